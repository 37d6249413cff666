# SPDX-License-Identifier: EUPL-1.2
"""The complex-case criteria as region data: the rule's tiny grammar, the loader's checks of a
`[criteria]` table and what the shipped regions say (Bijlage 2 of each covenant)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketentafel.covenants.criteria import (
    CRITERION_FIELDS,
    Criteria,
    RuleError,
    evaluate,
    keys_of,
    parse_rule,
    rule_meets,
)
from ketentafel.covenants.models import Covenant
from ketentafel.covenants.region_file import RegionFileError, read_region_file
from ketentafel.covenants.services import region_load, region_path
from tests.conftest import MINI_REGION

KEYS = list(CRITERION_FIELDS)
ALL_CHECKS = [
    dict(zip(KEYS, values, strict=True)) for values in itertools.product([False, True], repeat=4)
]

CRITERIA = """
[criteria]
rule = "{rule}"
source = "test, Bijlage 2"

[[criteria.items]]
key = "A"
label = "Gebied"
source = "test"

[[criteria.items]]
key = "B"
label = "Systeem"
source = "test"

[[criteria.items]]
key = "C"
label = "Ketens"
source = "test"

[[criteria.items]]
key = "D"
label = "Problemen"
source = "test"
"""


def with_criteria(tmp_path: Path, rule: str, extra: str = "") -> Path:
    text = MINI_REGION.read_text(encoding="utf-8")
    anchor = 'source = "test"\n'
    head, _, tail = text.partition(anchor)
    path = tmp_path / "mini-region.toml"
    path.write_text(head + anchor + CRITERIA.format(rule=rule) + extra + tail, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(RegionFileError) as caught:
        read_region_file(path)
    assert str(path) in str(caught.value)
    return caught.value.problems


@pytest.mark.parametrize(
    ("rule", "python"),
    [
        ("(A or B) and C and D", lambda v: (v["A"] or v["B"]) and v["C"] and v["D"]),
        ("C and (A or B or D)", lambda v: v["C"] and (v["A"] or v["B"] or v["D"])),
        ("A or B and C", lambda v: v["A"] or (v["B"] and v["C"])),
        ("((A))", lambda v: v["A"]),
    ],
)
def test_a_rule_means_what_the_same_words_mean_in_python(rule: str, python: object) -> None:
    expr = parse_rule(rule, KEYS)
    for checks in ALL_CHECKS:
        assert evaluate(expr, checks) == python(checks), (rule, checks)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("", "the rule is empty"),
        ("A and", "the rule ends too soon"),
        ("(A or B", "the rule ends too soon"),
        ("A B", "unexpected 'B' after the end of the rule"),
        ("A and E", "unknown criterion 'E'"),
        ("A & B", "unexpected '&'"),
        ("and A", "expected a criterion, found 'and'"),
        ("__import__('os')", 'unexpected "\'" at position 12'),
        ("os", "unknown criterion 'os'"),
    ],
)
def test_a_rule_outside_the_grammar_is_refused_with_its_problem(rule: str, problem: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(rule, KEYS)
    assert problem in str(caught.value)


@given(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6), st.data())
def test_any_rule_built_from_the_grammar_parses_back_to_its_keys(
    keys: list[str], data: st.DataObject
) -> None:
    text = keys[0]
    for key in keys[1:]:
        joiner = data.draw(st.sampled_from([" and ", " or "]))
        text = f"({text}){joiner}{key}" if data.draw(st.booleans()) else f"{text}{joiner}{key}"
    assert keys_of(parse_rule(text, KEYS)) == set(keys)


def test_the_criteria_table_is_read_and_stored_on_the_covenant(tmp_path: Path, db: None) -> None:
    path = with_criteria(tmp_path, "C and (A or B or D)")
    region_load(path=path)
    criteria = Covenant.objects.get(slug="mini-region").criteria
    assert criteria.rule == "C and (A or B or D)"
    assert criteria.labels == {"A": "Gebied", "B": "Systeem", "C": "Ketens", "D": "Problemen"}
    assert criteria.meets({"A": False, "B": False, "C": True, "D": True})
    assert not criteria.meets({"A": True, "B": True, "C": False, "D": True})


def test_a_region_without_criteria_uses_the_national_ones(db: None) -> None:
    region_load(path=MINI_REGION)
    covenant = Covenant.objects.get(slug="mini-region")
    assert covenant.triage_criteria == {}
    assert covenant.criteria == Criteria.national()
    assert covenant.municipality_view_required is False


def test_a_rule_that_does_not_parse_is_named_at_its_key(tmp_path: Path) -> None:
    assert problems_of(with_criteria(tmp_path, "(A or B and C and D")) == [
        ("criteria.rule", "the rule ends too soon")
    ]


def test_a_rule_naming_an_undeclared_criterion_is_named(tmp_path: Path) -> None:
    [(key, problem)] = problems_of(with_criteria(tmp_path, "A and B and C and D and E"))
    assert key == "criteria.rule"
    assert "unknown criterion 'E'" in problem


def test_a_criterion_the_rule_leaves_out_is_named(tmp_path: Path) -> None:
    assert problems_of(with_criteria(tmp_path, "A and B and C")) == [
        ("criteria.items[3].key", "criterion 'D' is not in the rule")
    ]


def test_a_criterion_outside_the_national_keys_is_named(tmp_path: Path) -> None:
    path = with_criteria(tmp_path, "(A or B) and C and D")
    path.write_text(
        path.read_text(encoding="utf-8").replace('key = "D"', 'key = "E"', 1), encoding="utf-8"
    )
    problems = problems_of(path)
    assert problems[0][0] == "criteria.items[3].key"
    assert "'A'" in problems[0][1]


def test_a_duplicate_criterion_is_named(tmp_path: Path) -> None:
    path = with_criteria(tmp_path, "(A or B) and C and D")
    path.write_text(
        path.read_text(encoding="utf-8").replace('key = "D"', 'key = "C"', 1), encoding="utf-8"
    )
    assert ("criteria.items[3].key", "duplicate criterion 'C'") in problems_of(path)


def test_a_required_municipality_view_needs_its_article(tmp_path: Path) -> None:
    triage = (
        "\n[triage]\nmunicipality_view_required = true\n"
        'referrer_consultation_source = "art. 8.1a"\n'
    )
    path = with_criteria(tmp_path, "(A or B) and C and D", triage)
    [(key, problem)] = problems_of(path)
    assert key == "triage"
    assert "municipality_view_source is required" in problem


@pytest.mark.parametrize(
    "region", ["gelderland-midden", "midden-nederland", "ijsselland", "midden-limburg"]
)
def test_every_shipped_covenant_reads_its_bijlage_2_as_a_or_b_and_c_and_d(region: str) -> None:
    """Each seed covenant's Bijlage 2: "A, of; B: C; en: D". Gelderland-Midden's brochure joins
    them as C and (A or B or D), but the covenant governs (the file says why)."""
    criteria = read_region_file(region_path(region)).criteria
    assert criteria is not None
    assert criteria.rule == "(A or B) and C and D"
    assert [c.key for c in criteria.items] == KEYS
    assert all("Bijlage 2" in c.source for c in criteria.items)


def test_the_covenant_governs_where_gelderland_midden_s_brochure_differs() -> None:
    """C and D without A or B: complex by the brochure's reading, not by the covenant's."""
    checks = {"A": False, "B": False, "C": True, "D": True}
    assert rule_meets("C and (A or B or D)", checks)
    assert not rule_meets(read_region_file(region_path("gelderland-midden")).criteria.rule, checks)  # type: ignore[union-attr]
    text = region_path("gelderland-midden").read_text(encoding="utf-8")
    assert "The covenant governs" in text


@pytest.mark.parametrize(
    ("region", "required"),
    [
        ("gelderland-midden", True),  # art. 1.8
        ("ijsselland", True),  # Bijlage 3, Fase 1
        ("midden-nederland", False),
        ("midden-limburg", False),
    ],
)
def test_the_municipality_s_view_is_required_where_the_covenant_makes_it_part_of_triage(
    region: str, required: bool
) -> None:
    triage = read_region_file(region_path(region)).triage
    assert triage is not None
    assert triage.municipality_view_required is required
    assert triage.referrer_consultation_source
