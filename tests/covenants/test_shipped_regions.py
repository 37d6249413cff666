# SPDX-License-Identifier: EUPL-1.2
"""The four seed regions load, with the houses, parties and bodies their covenants list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from ketentafel.covenants.models import (
    Body,
    Covenant,
    DecisionType,
    House,
    Membership,
    PartyKind,
    Theme,
    Track,
)
from ketentafel.covenants.region_file import TRACK_BODY_KINDS, read_region_file
from ketentafel.covenants.services import region_load, region_path

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Expected:
    houses: int
    parties: int
    municipalities: set[str]
    bodies: dict[str, int]
    tracks: set[str]
    themes: int
    decision_types: int
    escalation: str


# Counted in ../shared/seeds (see each region file's comments for the articles).
EXPECTED = {
    # 000: aanhef (15 gemeenten in two columns, 44 organisations), art. 4, 6, 8, 9, Bijlage 3.
    "gelderland-midden": Expected(
        houses=2,
        parties=59,
        municipalities={
            "Ede",
            "Wageningen",
            "Renkum",
            "Nijkerk",
            "Scherpenzeel",
            "Barneveld",
            "Arnhem",
            "Doesburg",
            "Duiven",
            "Lingewaard",
            "Overbetuwe",
            "Rozendaal",
            "Rheden",
            "Westervoort",
            "Zevenaar",
        },
        bodies={"steering": 2, "tactical": 1, "triage": 2, "case_meeting": 3},
        tracks={"complex_cases", "aftercare", "radicalisation", "protected_case_meeting"},
        themes=6,
        decision_types=5,
        escalation="chair",
    ),
    # 001: ondergetekenden per region (6 + 7 + 26 gemeenten), Bijlage 6, art. 4-8, 15.3.
    "midden-nederland": Expected(
        houses=3,
        parties=106,
        municipalities=set(),
        bodies={"steering": 3, "tactical": 3, "case_meeting": 3},
        tracks={"complex_cases", "mda_plus_plus", "pga_undermining", "radicalisation"},
        themes=3,
        decision_types=5,
        escalation="regional_safety_council",
    ),
    # 003: ondergetekenden (11 gemeenten, 27 organisations), art. 4-9, Bijlage 3 fase 3.
    "ijsselland": Expected(
        houses=1,
        parties=38,
        municipalities={
            "Dalfsen",
            "Deventer",
            "Hardenberg",
            "Kampen",
            "Olst-Wijhe",
            "Ommen",
            "Raalte",
            "Staphorst",
            "Steenwijkerland",
            "Zwartewaterland",
            "Zwolle",
        },
        # Art. 7.4 adds the RCIV (tactical); art. 2.3 slotzin takes Polarisatie en extremisme
        # out as track and theme.
        bodies={"steering": 1, "tactical": 2, "case_meeting": 2},
        tracks={"complex_cases"},
        themes=4,
        decision_types=5,
        escalation="district_safety_meeting",
    ),
    # 004: ondergetekenden (7 gemeenten, 18 organisations), art. 4-7.
    "midden-limburg": Expected(
        houses=1,
        parties=25,
        municipalities={
            "Echt-Susteren",
            "Leudal",
            "Maasgouw",
            "Nederweert",
            "Roerdalen",
            "Roermond",
            "Weert",
        },
        bodies={"steering": 1, "tactical": 1, "case_meeting": 1},
        tracks={"complex_cases", "aftercare"},
        themes=0,
        decision_types=3,
        escalation="other",
    ),
}
MUNICIPALITY_COUNTS = {
    "gelderland-midden": 15,
    "midden-nederland": 39,
    "ijsselland": 11,
    "midden-limburg": 7,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_shipped_region_loads_with_the_seed_counts(name: str) -> None:
    expected = EXPECTED[name]
    region_load(path=region_path(name))
    covenant = Covenant.objects.get(slug=name)
    memberships = Membership.objects.filter(covenant=covenant).select_related("party")
    assert House.objects.filter(covenant=covenant).count() == expected.houses
    assert memberships.count() == expected.parties
    municipalities = [m for m in memberships if m.party.kind == PartyKind.GEMEENTE]
    assert len(municipalities) == MUNICIPALITY_COUNTS[name]
    if expected.municipalities:
        names = {m.name.removeprefix("Gemeente ").strip() for m in municipalities}
        assert names == expected.municipalities
    kinds = Counter(Body.objects.filter(covenant=covenant).values_list("kind", flat=True))
    assert dict(kinds) == expected.bodies
    assert set(Track.objects.filter(covenant=covenant).values_list("kind", flat=True)) == (
        expected.tracks
    )
    assert Theme.objects.filter(covenant=covenant).count() == expected.themes
    assert DecisionType.objects.filter(covenant=covenant).count() == expected.decision_types
    steering = Body.objects.filter(covenant=covenant, kind="steering")
    assert {b.escalation for b in steering} == {expected.escalation}
    assert all(b.source for b in Body.objects.filter(covenant=covenant))
    assert all(m.source for m in memberships)


def test_ijsselland_ships_its_case_meeting_decisions() -> None:
    region_load(path=region_path("ijsselland"))
    labels = set(DecisionType.objects.values_list("label", flat=True))
    assert {
        "Afschalen",
        "Procesregie elders dan VHH",
        "Procesregie VHH",
        "ISD",
        "ZSM advies",
    } <= labels


def test_all_four_regions_load_side_by_side_and_reload_unchanged() -> None:
    for name in EXPECTED:
        region_load(path=region_path(name))
    for name in EXPECTED:
        report = region_load(path=region_path(name))
        assert not report.changed, report.summary()


def test_the_command_loads_a_region_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_region", "midden-limburg")
    assert "midden-limburg" in capsys.readouterr().out
    assert Covenant.objects.filter(slug="midden-limburg").exists()


# Which tracks each case meeting and triage body serves, as its region file's comment argues
# from the covenant (Gelderland-Midden Bijlage 3; IJsselland art. 2.3; Midden-Nederland art. 2.3,
# 2.4; Midden-Limburg art. 6.1).
SERVED = {
    "gelderland-midden": {
        "triage-overleg": {"complex-cases", "protected-case-meeting"},
        "mdo-arnhem": {"complex-cases"},
        "mdo-west-veluwe-vallei": {"complex-cases"},
        "weegploeg-radicalisering": {"radicalisation"},
        "casusoverleg-radicalisering": {"radicalisation"},
    },
    "ijsselland": {
        "regionale-casustafel": {"complexe-multi-problematiek"},
        "mdo": {"complexe-multi-problematiek"},
    },
    "midden-nederland": {
        "casusoverleg-flevoland": {"complexe-casuistiek", "mda-plus-plus"},
        "casusoverleg-gooi-en-vechtstreek": {"complexe-casuistiek", "mda-plus-plus"},
        "casusoverleg-regio-utrecht": {"complexe-casuistiek", "mda-plus-plus", "pga-ondermijning"},
    },
    "midden-limburg": {
        "ronde-tafel-overleg": {"complexe-multi-problematiek", "nazorg-detentie"},
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_case_meeting_and_triage_body_names_its_tracks(name: str) -> None:
    region = read_region_file(region_path(name))
    case_bodies = [b for b in region.bodies if b.kind in TRACK_BODY_KINDS]
    assert case_bodies
    assert [b.slug for b in case_bodies if b.tracks is None] == []
    region_load(path=region_path(name))
    loaded = Body.objects.filter(covenant__slug=name, kind__in=TRACK_BODY_KINDS)
    assert {b.slug: {t.slug for t in b.tracks.all()} for b in loaded} == SERVED[name]
    others = Body.objects.filter(covenant__slug=name).exclude(kind__in=TRACK_BODY_KINDS)
    assert not others.filter(tracks__isnull=False).exists()
