# SPDX-License-Identifier: EUPL-1.2
"""The main route of Midden-Limburg and Midden-Nederland in a real browser, each in its own
process (ADR 0018): the process coordinator does intake and triage (no information
coordinator: art. 3.1), the case meeting of the region (Midden-Limburg's Ronde Tafel Overleg,
Midden-Nederland's Casusoverleg) makes the plan and later decides afschaling with the region's
own decision type. axe-core checks every screen as in tests/web/test_browser.py."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Case, Phase
from ketentafel.covenants.models import Body, DecisionType, House, Party, PartyKind
from ketentafel.covenants.services import region_load, region_path
from ketentafel.meetings.models import AgendaItem, AgendaPurpose
from tests.cases.conftest import make_staff
from tests.web.test_browser import UUID, Person
from tests.web.test_browser import browser as browser  # the fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Route:
    region: str
    house: str
    body: str
    closing: str
    active_words: str


ROUTES = [
    Route(
        "midden-limburg",
        "midden-limburg",
        "ronde-tafel-overleg",
        "afschaling",
        "Ronde Tafel Overleg (afstemming tijdens de uitvoering)",
    ),
    Route(
        "midden-nederland",
        "regio-utrecht",
        "casusoverleg-regio-utrecht",
        "afschalen",
        "Fase 3: Casusoverleg (afstemming tijdens de uitvoering)",
    ),
]


def _party(house: House, kind: PartyKind) -> Party:
    party = Party.objects.filter(memberships__houses=house, kind=kind).order_by("slug").first()
    assert party is not None, (house, kind)
    return party


@pytest.mark.parametrize("route", ROUTES, ids=[r.region for r in ROUTES])
def test_the_regions_main_route_in_the_browser(
    route: Route, live_server: Any, browser: Any
) -> None:
    region_load(path=region_path(route.region))
    house = House.objects.get(covenant__slug=route.region, slug=route.house)
    municipality = _party(house, PartyKind.GEMEENTE)
    probation = _party(house, PartyKind.RECLASSERING)
    body = Body.objects.get(covenant=house.covenant, slug=route.body)
    violations: list[str] = []
    base = live_server.url
    police_user = make_staff(
        "agent", _party(house, PartyKind.POLITIE), house, Role.PARTNER_PROFESSIONAL
    )
    police = Person(browser, base, police_user, violations)
    pc = Person(
        browser,
        base,
        make_staff("regisseur", municipality, house, Role.PROCESS_COORDINATOR),
        violations,
    )

    # The police refer a person; no theme is required here.
    page = police.go("/aanmelden/")
    page.select_option("#id_house", str(house.pk))
    page.select_option("#id_track", label=house.covenant.tracks.get(kind="complex_cases").name)
    page.check("#id_subject_kind_0")
    page.fill("#id_persons-0-given_names", "Noor")
    page.fill("#id_persons-0-surname", "Bakker")
    page.fill("#id_persons-0-birth_date", "1991-07-14")
    page.select_option("#id_municipality", str(municipality.pk))
    page.fill(
        "#id_problem_statement", "Overlast, schulden en verslaving; partijen werken langs elkaar."
    )
    page.fill("#id_goal", "Eén plan van aanpak.")
    police.submit("Aanmelden")
    match = re.search(rf"/casussen/({UUID})/", page.url)
    assert match, page.url
    case_id = match.group(1)

    # The process coordinator takes it up without an information coordinator and weighs it.
    page = pc.go(f"/casussen/{case_id}/", f"{route.region}-case")
    assert not page.locator("#id_information_coordinator").count()
    pc.submit("Intake starten")
    pc.submit("Aanbieden voor triage")
    page = pc.go(f"/casussen/{case_id}/triage/", f"{route.region}-triage")
    for box in ("#id_serious_area_problem", "#id_multiple_chains_needed", "#id_multiple_problems"):
        page.check(box)
    page.check("#id_outcome_2")
    page.fill("#id_explanation", "Voldoet aan de criteria complexe casuïstiek.")
    page.fill("#id_goal", "Stabiel wonen en toezicht.")
    page.check(f"input[name=invite][value='{probation.pk}']")
    page.fill("#id_invite_reason", "Toezicht en voorwaarden")
    page.check("#id_referrer_consulted")
    page.fill("#id_referrer_consulted_on", timezone.localdate().isoformat())
    page.fill("#id_referrer_consultation", "Met de politie besproken.")
    pc.submit("Besluit vastleggen")
    assert Case.objects.get(pk=case_id).phase == Phase.ACCEPTED

    # The region's case meeting makes the plan: it records the criteria for afschaling.
    _meeting_with(pc, body, case_id, purpose_index=0, minutes=2)
    with page.expect_navigation():
        pc.page.get_by_role("link", name="Verslag en besluiten vastleggen").click()
    pc.page.fill("#id_minutes", "Plan van aanpak besproken.")
    pc.page.fill("#id_closure_criteria", "Drie maanden zonder meldingen.")
    pc.submit("Opslaan")
    pc.submit("Overleg is gehouden")
    case = Case.objects.get(pk=case_id)
    assert case.phase == Phase.ACTIVE
    assert route.active_words in pc.go(f"/casussen/{case_id}/").content()

    # A later meeting decides afschaling with the region's decision type.
    _meeting_with(pc, body, case_id, purpose_index=2, minutes=3)
    pc.submit("Overleg is gehouden")
    item = AgendaItem.objects.get(case_id=case_id, purpose=AgendaPurpose.CLOSURE)
    page = pc.go(f"/agendapunten/{item.pk}/", f"{route.region}-decision")
    closing = DecisionType.objects.get(covenant=house.covenant, slug=route.closing)
    page.select_option("#decide_decision_type", str(closing.pk))
    page.fill("#decide_decision", "Criteria gehaald; afschalen.")
    page.fill("#decide_referrer_notice", "De politie is geïnformeerd over de afschaling.")
    pc.submit("Besluit vastleggen")
    assert Case.objects.get(pk=case_id).phase == Phase.CLOSED
    assert violations == [], "\n".join(violations)


def _meeting_with(
    pc: Person, body: Body, case_id: str, *, purpose_index: int, minutes: int
) -> None:
    page = pc.go("/overleggen/")
    starts = timezone.localtime() + datetime.timedelta(minutes=minutes)
    page.select_option("#id_body", str(body.pk))
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    pc.submit("Plannen")
    page.fill("#id_search", "Bakker")
    pc.submit("Zoeken")
    page.check(f"input[name=case][value='{case_id}']")
    page.check(f"#id_purpose_{purpose_index}")
    pc.submit("Agenderen")
