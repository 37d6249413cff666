# SPDX-License-Identifier: EUPL-1.2
"""The four seed regions load, with the houses, parties and bodies their covenants list."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from ketentafel.accounts.models import Role
from ketentafel.covenants.models import (
    CASE_COORDINATOR,
    Body,
    Covenant,
    DecisionType,
    ExcludedSubject,
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
        # Case meetings: two MDO's, the casusoverleg radicalisering, the COB (brochure, route 2).
        bodies={"steering": 2, "tactical": 1, "triage": 2, "case_meeting": 4},
        tracks={"complex_cases", "aftercare", "radicalisation", "protected_case_meeting"},
        themes=6,
        # The MDO's five, the weegploeg's three outcomes, radicalisation's five, the COB's three.
        decision_types=16,
        escalation="chair",
    ),
    # 001: ondergetekenden per region (6 + 7 + 26 gemeenten), Bijlage 6, art. 4-8, 15.3.
    "midden-nederland": Expected(
        houses=3,
        parties=106,
        municipalities=set(),
        # Art. 2.4 and 8.1: a Casusoverleg radicalisering per house beside the Casusoverleg.
        bodies={"steering": 3, "tactical": 3, "case_meeting": 6},
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
# 2.4, 8.1; Midden-Limburg art. 6.1).
SERVED = {
    "gelderland-midden": {
        "triage-overleg": {"complex-cases", "protected-case-meeting"},
        "mdo-arnhem": {"complex-cases"},
        "mdo-west-veluwe-vallei": {"complex-cases"},
        "weegploeg-radicalisering": {"radicalisation"},
        "casusoverleg-radicalisering": {"radicalisation"},
        "cob-arnhem": {"protected-case-meeting"},
    },
    "ijsselland": {
        "regionale-casustafel": {"complexe-multi-problematiek"},
        "mdo": {"complexe-multi-problematiek"},
    },
    "midden-nederland": {
        "casusoverleg-flevoland": {"complexe-casuistiek", "mda-plus-plus"},
        "casusoverleg-gooi-en-vechtstreek": {"complexe-casuistiek", "mda-plus-plus"},
        "casusoverleg-regio-utrecht": {"complexe-casuistiek", "mda-plus-plus", "pga-ondermijning"},
        "casusoverleg-radicalisering-flevoland": {"radicalisering"},
        "casusoverleg-radicalisering-gooi-en-vechtstreek": {"radicalisering"},
        "casusoverleg-radicalisering-regio-utrecht": {"radicalisering"},
    },
    # Art. 6.1: the RTO meets "wanneer op basis van Triage wordt besloten"; nazorg detentie
    # (art. 2.3) has neither triage nor a meeting.
    "midden-limburg": {
        "ronde-tafel-overleg": {"complexe-multi-problematiek"},
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


# The region files corrected against the seeds (issue 14, item 10), and the rules per region
# (item 7), each as the covenant's article gives it.


def test_ijsselland_takes_polarisatie_en_extremisme_out_of_its_process() -> None:
    """Art. 2.3 slotzin: a separate covenant and privacy protocol for the subject."""
    region_load(path=region_path("ijsselland"))
    covenant = Covenant.objects.get(slug="ijsselland")
    assert not Track.objects.filter(covenant=covenant, slug="polarisatie-en-extremisme").exists()
    assert not Theme.objects.filter(covenant=covenant, slug="polarisatie-en-extremisme").exists()
    [subject] = ExcludedSubject.objects.filter(covenant=covenant)
    assert subject.slug == "polarisatie-en-extremisme"
    assert subject.source == "Art. 2.3 e en slotzin"
    assert "apart samenwerkingsconvenant en privacyprotocol" in subject.message


def test_ijsselland_ships_the_rciv_of_art_7_4() -> None:
    region_load(path=region_path("ijsselland"))
    rciv = Body.objects.get(covenant__slug="ijsselland", slug="rciv")
    assert (rciv.kind, rciv.label, rciv.source) == ("tactical", "RCIV", "Art. 7.4")
    assert not rciv.members.exists()
    assert "Districtelijk Veiligheidsoverleg" in rciv.cadence
    assert rciv.cadence_weeks is None


# Brochure, Organisatie: "alle gemeenten in de regio, Openbaar Ministerie, Politie, Dienst
# Justitiële Inrichtingen, Raad voor de Kinderbescherming, Jeugdbescherming, William Schrikker
# Groep, Reclassering Nederland, Iriszorg, Leger des Heils, Moviera, Veilig Thuis en HALT".
BROCHURE_PRIMARY = {
    "om-oost-nederland",
    "politie-oost-nederland",
    "dji-gelderland",
    "rvdk",
    "jeugdbescherming-gelderland",
    "william-schrikker-groep",
    "reclassering-nederland",
    "iriszorg",
    "leger-des-heils-welzijn-en-gezondheid",
    "moviera",
    "veilig-thuis-gelderland-midden",
    "halt-gelderland",
}


def test_gelderland_midden_primary_partners_are_the_brochures() -> None:
    region_load(path=region_path("gelderland-midden"))
    memberships = Membership.objects.filter(covenant__slug="gelderland-midden").select_related(
        "party"
    )
    primary = {m.party.slug for m in memberships if m.is_primary}
    municipalities = {m.party.slug for m in memberships if m.party.kind == PartyKind.GEMEENTE}
    assert primary == BROCHURE_PRIMARY | municipalities
    for m in memberships:
        assert "Brochure, Organisatie" in m.source, m.party.slug
    # Seated in the Stuurgroep (art. 4.3) but not in the brochure's list.
    for slug in ("vggm", "pro-persona", "pactum", "og-heldringstichting"):
        assert slug not in primary


def test_midden_limburg_steering_seats_are_art_4_2s() -> None:
    region_load(path=region_path("midden-limburg"))
    steering = Body.objects.get(covenant__slug="midden-limburg", slug="stuurgroep")
    voting = [seat for seat in steering.seats if not seat["is_advisory"]]
    advisers = [seat for seat in steering.seats if seat["is_advisory"]]
    # Two afgevaardigden of the gemeenten, one each of politie, OM and the zorgpartners.
    assert sum(seat["count"] for seat in voting) == 5
    assert [seat["parties"] for seat in voting[2:4]] == [["politie-limburg"], ["om-limburg"]]
    assert voting[4]["parties"] == []
    gemeenten = set(
        Membership.objects.filter(
            covenant__slug="midden-limburg", party__kind=PartyKind.GEMEENTE
        ).values_list("party__slug", flat=True)
    )
    assert set(voting[0]["parties"]) == set(voting[1]["parties"]) == gemeenten
    assert [seat["label"] for seat in advisers] == [
        "Manager van het Veiligheidshuis",
        "Voorzitter van de Voorbereidingsgroep stuurgroep",
    ]
    assert all(seat["source"].startswith("Art. 4.2") for seat in steering.seats)
    members = set(steering.members.values_list("slug", flat=True))
    assert members == gemeenten | {"politie-limburg", "om-limburg"}


def test_pga_ondermijning_is_offered_only_in_regio_utrecht() -> None:
    region_load(path=region_path("midden-nederland"))
    offered = {
        t.slug: {h.slug for h in t.houses.all()}
        for t in Track.objects.filter(covenant__slug="midden-nederland")
    }
    everywhere = {"flevoland", "gooi-en-vechtstreek", "regio-utrecht"}
    assert offered == {
        "complexe-casuistiek": everywhere,
        "mda-plus-plus": everywhere,
        "pga-ondermijning": {"regio-utrecht"},
        "radicalisering": everywhere,
    }


# Art. 1.8 (GM: triage fixes "het doel en de thema's"); IJsselland art. 2.3 "in ieder geval";
# Midden-Nederland art. 2.3-2.4 beside 2.2 a; Midden-Limburg art. 1.8 (only "het doel").
THEMES_REQUIRED = {
    "gelderland-midden": True,
    "ijsselland": False,
    "midden-nederland": False,
    "midden-limburg": False,
}
# Art. 3.1 of Midden-Nederland and Midden-Limburg lists no informatiecoördinator.
HAS_INFORMATION_COORDINATOR = {
    "gelderland-midden": True,
    "ijsselland": True,
    "midden-nederland": False,
    "midden-limburg": False,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_region_says_whether_themes_are_required_and_who_enriches(name: str) -> None:
    region_load(path=region_path(name))
    covenant = Covenant.objects.get(slug=name)
    assert covenant.themes_required is THEMES_REQUIRED[name]
    assert covenant.themes_source
    assert covenant.has_information_coordinator is HAS_INFORMATION_COORDINATOR[name]
    assert covenant.roles_source


def test_the_regions_own_role_words_and_the_national_fallback() -> None:
    for name in ("gelderland-midden", "ijsselland"):
        region_load(path=region_path(name))
    gm = Covenant.objects.get(slug="gelderland-midden")
    ijsselland = Covenant.objects.get(slug="ijsselland")
    assert gm.role_label(CASE_COORDINATOR) == "Uitvoerend coördinator"
    assert gm.role_label(Role.MEETING_SECRETARY) == "Administratief ondersteuner"
    assert gm.role_label(Role.MANAGER) == "Ketenmanager"
    assert ijsselland.role_label(Role.MANAGER) == "Manager"
    assert ijsselland.role_label(CASE_COORDINATOR) == "Casusregisseur"
    with translation.override("en"):
        assert ijsselland.role_label(Role.PROCESS_COORDINATOR) == "Process coordinator"
        assert gm.role_label(CASE_COORDINATOR) == "Uitvoerend coördinator"


def test_a_track_and_theme_that_leave_the_file_become_inactive(tmp_path: Path) -> None:
    """Loading IJsselland's earlier version, which shipped Polarisatie en extremisme, and then
    the shipped one: the track and theme stay for the cases that named them, inactive."""
    earlier = ijsselland_with_polarisatie(tmp_path)
    region_load(path=earlier)
    covenant = Covenant.objects.get(slug="ijsselland")
    assert Track.objects.get(covenant=covenant, slug="polarisatie-en-extremisme").is_active
    report = region_load(path=region_path("ijsselland"))
    assert report.counts["track:deactivated"] == 1
    assert report.counts["theme:deactivated"] == 1
    assert not Track.objects.get(covenant=covenant, slug="polarisatie-en-extremisme").is_active
    assert not Theme.objects.get(covenant=covenant, slug="polarisatie-en-extremisme").is_active
    assert ExcludedSubject.objects.get(covenant=covenant).is_active


EARLIER_TRACK = """
[[tracks]]
slug = "polarisatie-en-extremisme"
kind = "radicalisation"
name = "Polarisatie en extremisme"
protocol = "Apart samenwerkingsconvenant en privacyprotocol (wordt opgesteld, art. 2.3)"
source = "Art. 2.3 e en slotzin"

[[themes]]
slug = "polarisatie-en-extremisme"
name = "Polarisatie en extremisme"
source = "Art. 2.3 e"
"""


def ijsselland_with_polarisatie(tmp_path: Path) -> Path:
    """The IJsselland file as it was before version 2026.3: the subject as track and theme."""
    text = region_path("ijsselland").read_text(encoding="utf-8")
    text = re.sub(r"\[\[excluded_subjects\]\]\n(?:.+\n)+", "", text)
    text = text.replace('version = "2026.3"', 'version = "2026.2"')
    path = tmp_path / "ijsselland.toml"
    path.write_text(text + EARLIER_TRACK, encoding="utf-8")
    return path
