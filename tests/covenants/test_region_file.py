# SPDX-License-Identifier: EUPL-1.2
"""Broken region files name the file, the key and the problem, and load nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ketentafel.covenants.models import Covenant, House, Party
from ketentafel.covenants.region_file import RegionFileError, read_region_file
from ketentafel.covenants.services import region_load
from tests.conftest import MINI_REGION


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = MINI_REGION.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mini-region.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(RegionFileError) as caught:
        read_region_file(path)
    assert str(path) in str(caught.value)
    return caught.value.problems


def test_the_test_region_is_valid() -> None:
    region = read_region_file(MINI_REGION)
    assert [p.slug for p in region.parties] == ["gemeente-noordstad", "politie-test", "zorg-test"]


def test_missing_key_is_named(tmp_path: Path) -> None:
    path = broken(tmp_path, 'name = "Politie Eenheid Test"\n', "")
    assert problems_of(path) == [("parties[1].name", "required key is missing")]


def test_unknown_party_kind_is_named_with_the_allowed_values(tmp_path: Path) -> None:
    path = broken(tmp_path, 'kind = "politie"', 'kind = "marechaussee"')
    [(key, problem)] = problems_of(path)
    assert key == "parties[1].kind"
    assert "'marechaussee'" in problem
    assert "'politie'" in problem


def test_duplicate_party_is_named(tmp_path: Path) -> None:
    path = broken(tmp_path, 'slug = "zorg-test"', 'slug = "politie-test"')
    assert problems_of(path) == [("parties[2].slug", "duplicate slug 'politie-test'")]


def test_reference_to_unknown_party_is_named(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        'members = ["gemeente-noordstad", "politie-test"]',
        'members = ["gemeente-noordstad", "politie-elders"]',
    )
    assert problems_of(path) == [("bodies[0].members[1]", "unknown party 'politie-elders'")]


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, 'location = "Zuidstad"', 'location = "Zuidstad"\nkleur = "blauw"')
    assert problems_of(path) == [("houses[1].kleur", "unknown key")]


def test_steering_body_without_escalation_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, 'escalation = "chair"\n', "")
    [(key, problem)] = problems_of(path)
    assert key == "bodies[0]"
    assert "escalation" in problem


def test_invalid_toml_is_reported(tmp_path: Path) -> None:
    path = broken(tmp_path, "schema = 1", "schema = = 1")
    [(key, problem)] = problems_of(path)
    assert key == "(file)"
    assert "not valid TOML" in problem


def test_file_name_must_match_slug(tmp_path: Path) -> None:
    path = tmp_path / "elders.toml"
    path.write_text(MINI_REGION.read_text(encoding="utf-8"), encoding="utf-8")
    assert problems_of(path) == [
        ("covenant.slug", "'mini-region' differs from the file name 'elders'")
    ]


@pytest.mark.django_db
def test_a_broken_file_loads_nothing(tmp_path: Path) -> None:
    path = broken(tmp_path, 'kind = "zorg"', 'kind = "onbekend"')
    with pytest.raises(RegionFileError):
        region_load(path=path)
    assert not Covenant.objects.exists()
    assert not Party.objects.exists()
    assert not House.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_file_key_and_problem(tmp_path: Path) -> None:
    path = broken(tmp_path, 'kind = "zorg"', 'kind = "onbekend"')
    with pytest.raises(CommandError) as caught:
        call_command("load_region", file=path)
    message = str(caught.value)
    assert "Nothing was loaded" in message
    assert f"{path}: parties[2].kind: unknown value 'onbekend'" in message


@pytest.mark.django_db
def test_the_command_names_the_shipped_regions_for_an_unknown_name() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("load_region", "atlantis")
    assert "unknown region 'atlantis'" in str(caught.value)


@pytest.mark.django_db
def test_a_shared_party_must_keep_its_kind(tmp_path: Path) -> None:
    region_load(path=MINI_REGION)
    other = tmp_path / "other-region.toml"
    text = (
        MINI_REGION.read_text(encoding="utf-8")
        .replace('slug = "mini-region"', 'slug = "other-region"')
        .replace('kind = "zorg"', 'kind = "welzijn"')
    )
    other.write_text(text, encoding="utf-8")
    with pytest.raises(RegionFileError) as caught:
        region_load(path=other)
    assert caught.value.problems == [
        (
            "parties[2].kind",
            "party 'zorg-test' is 'zorg' in covenant 'mini-region'; "
            "a party shared by covenants has one kind",
        )
    ]
    assert not Covenant.objects.filter(slug="other-region").exists()


MDO_SOURCE = 'label = "MDO"\nhouses = ["noord"]\nsource = "test"'


def test_a_case_meeting_names_the_tracks_it_serves() -> None:
    region = read_region_file(MINI_REGION)
    assert region.bodies[1].tracks is None  # left out: every track of the covenant


def test_a_tracks_reference_to_an_unknown_track_is_named(tmp_path: Path) -> None:
    path = broken(tmp_path, MDO_SOURCE, MDO_SOURCE + '\ntracks = ["complex-cases", "nazorg"]')
    assert problems_of(path) == [("bodies[1].tracks[1]", "unknown track 'nazorg'")]


def test_a_track_named_twice_is_named(tmp_path: Path) -> None:
    path = broken(
        tmp_path, MDO_SOURCE, MDO_SOURCE + '\ntracks = ["complex-cases", "complex-cases"]'
    )
    assert problems_of(path) == [("bodies[1].tracks[1]", "duplicate track 'complex-cases'")]


def test_an_empty_tracks_list_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, MDO_SOURCE, MDO_SOURCE + "\ntracks = []")
    [(key, problem)] = problems_of(path)
    assert key == "bodies[1].tracks"
    assert "at least 1" in problem


def test_a_steering_body_serves_no_tracks(tmp_path: Path) -> None:
    path = broken(
        tmp_path, 'escalation = "chair"\n', 'escalation = "chair"\ntracks = ["complex-cases"]\n'
    )
    [(key, problem)] = problems_of(path)
    assert key == "bodies[0]"
    assert "only a triage or case_meeting body has `tracks`" in problem


@pytest.mark.django_db
def test_an_unknown_track_loads_nothing_and_the_command_names_it(tmp_path: Path) -> None:
    path = broken(tmp_path, MDO_SOURCE, MDO_SOURCE + '\ntracks = ["radicalisering"]')
    with pytest.raises(CommandError) as caught:
        call_command("load_region", file=path)
    assert f"{path}: bodies[1].tracks[0]: unknown track 'radicalisering'" in str(caught.value)
    assert not Covenant.objects.exists()


# Region rules (issue 14, items 7 and 10): each new key is checked and named like the others.

TRACK_SOURCE = 'protocol = "Privacy protocol test"\nsource = "test"\n'
COVENANT_SOURCE = 'effective_from = "2024-01-01"\nsource = "test"\n'
STEERING_END = 'escalation_label = "de voorzitter"\nsource = "test"\n'


def test_a_track_limited_to_an_unknown_house_is_named(tmp_path: Path) -> None:
    path = broken(tmp_path, TRACK_SOURCE, TRACK_SOURCE + 'houses = ["noord", "west"]\n')
    assert problems_of(path) == [("tracks[0].houses[1]", "unknown house 'west'")]


def test_a_track_naming_a_house_twice_is_named(tmp_path: Path) -> None:
    path = broken(tmp_path, TRACK_SOURCE, TRACK_SOURCE + 'houses = ["noord", "noord"]\n')
    assert problems_of(path) == [("tracks[0].houses[1]", "duplicate house 'noord'")]


def test_an_excluded_subject_that_is_also_a_track_is_refused(tmp_path: Path) -> None:
    excluded = (
        '\n[[excluded_subjects]]\nslug = "complex-cases"\nname = "Complex"\n'
        'message = "Elders."\nsource = "art. 2.3"\n'
    )
    path = tmp_path / "mini-region.toml"
    path.write_text(MINI_REGION.read_text(encoding="utf-8") + excluded, encoding="utf-8")
    [(key, problem)] = problems_of(path)
    assert key == "excluded_subjects[0].slug"
    assert "'complex-cases' is also a track or theme" in problem


def test_an_excluded_subject_without_its_article_is_refused(tmp_path: Path) -> None:
    excluded = '\n[[excluded_subjects]]\nslug = "extremisme"\nname = "X"\nmessage = "Elders."\n'
    path = tmp_path / "mini-region.toml"
    path.write_text(MINI_REGION.read_text(encoding="utf-8") + excluded, encoding="utf-8")
    assert problems_of(path) == [("excluded_subjects[0].source", "required key is missing")]


def test_themes_required_without_its_article_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, COVENANT_SOURCE, COVENANT_SOURCE + "themes_required = true\n")
    [(key, problem)] = problems_of(path)
    assert key == "covenant"
    assert "themes_source" in problem


def _with_roles(tmp_path: Path, roles: str) -> Path:
    path = tmp_path / "mini-region.toml"
    text = MINI_REGION.read_text(encoding="utf-8").replace(
        "\n[[houses]]", f"\n{roles}\n[[houses]]", 1
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_role_word_is_named(tmp_path: Path) -> None:
    path = _with_roles(
        tmp_path, '[roles]\nsource = "art. 3.1"\n[roles.labels]\nwijkagent = "Wijkagent"\n'
    )
    [(key, problem)] = problems_of(path)
    assert key == "roles"
    assert "unknown role word 'wijkagent'" in problem
    assert "'case_coordinator'" in problem


def test_a_label_for_an_absent_information_coordinator_is_refused(tmp_path: Path) -> None:
    path = _with_roles(
        tmp_path,
        '[roles]\ninformation_coordinator = false\nsource = "art. 3.1"\n'
        '[roles.labels]\ninformation_coordinator = "Informatiemakelaar"\n',
    )
    [(key, problem)] = problems_of(path)
    assert key == "roles"
    assert "information_coordinator = false" in problem


def test_roles_without_their_article_are_refused(tmp_path: Path) -> None:
    path = _with_roles(tmp_path, "[roles]\ninformation_coordinator = false\n")
    assert problems_of(path) == [("roles.source", "required key is missing")]


def test_a_seat_filled_by_a_party_outside_the_body_is_named(tmp_path: Path) -> None:
    seats = (
        '\n[[bodies.seats]]\nlabel = "Burgemeester"\nparties = ["gemeente-noordstad"]\n'
        'source = "art. 4.2"\n\n[[bodies.seats]]\nlabel = "Zorg"\nparties = ["zorg-test"]\n'
        'source = "art. 4.2"\n'
    )
    path = broken(
        tmp_path,
        STEERING_END,
        STEERING_END + seats,
    )
    assert problems_of(path) == [
        ("bodies[0].seats[1].parties[0]", "party 'zorg-test' is not in the body's members")
    ]


def test_a_seat_needs_at_least_one_place(tmp_path: Path) -> None:
    seats = '\n[[bodies.seats]]\nlabel = "Burgemeester"\ncount = 0\nsource = "art. 4.2"\n'
    path = broken(
        tmp_path,
        STEERING_END,
        STEERING_END + seats,
    )
    [(key, problem)] = problems_of(path)
    assert key == "bodies[0].seats[0].count"
    assert "greater than or equal to 1" in problem


def test_organisers_name_their_article(tmp_path: Path) -> None:
    path = broken(tmp_path, MDO_SOURCE, MDO_SOURCE + '\norganisers = ["case_coordinator"]')
    [(key, problem)] = problems_of(path)
    assert key == "bodies[1]"
    assert "`organisers` needs `organisers_source`" in problem


def test_organisers_are_house_roles_or_the_case_coordinator(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        MDO_SOURCE,
        MDO_SOURCE + '\norganisers = ["case_process_coordinator"]\norganisers_source = "art. 13.2"',
    )
    [(key, problem)] = problems_of(path)
    assert key == "bodies[1]"
    assert "not 'case_process_coordinator'" in problem


def test_a_steering_body_has_no_organisers(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        'escalation = "chair"\n',
        'escalation = "chair"\norganisers = ["manager"]\norganisers_source = "art. 4"\n',
    )
    [(key, problem)] = problems_of(path)
    assert key == "bodies[0]"
    assert "only a triage or case_meeting body has `organisers`" in problem
