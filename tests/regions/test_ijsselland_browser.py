# SPDX-License-Identifier: EUPL-1.2
"""IJsselland's main route in a real browser (tests/web/test_browser.py): the administratief
medewerker puts a case on the Regionale Casustafel and holds it, the procesregisseur records
"Procesregie VHH" on the agenda item's page, the MDO makes the plan, and the casustafel
decides "Afschalen" (Bijlage 3, fase 2-5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.cases import services as cases
from ketentafel.cases.models import Case, Phase
from ketentafel.meetings import services as meetings
from ketentafel.meetings.models import AgendaItem
from tests.clock import clock_at
from tests.regions.conftest import Region, region, soon
from tests.regions.test_ijsselland import _referred, cast
from tests.web.test_browser import Person, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DECIDE = "form[action$='/besluit/']"


@pytest.fixture
def ijsselland() -> Iterator[Region]:
    # At noon, so a session planned a minute ahead is held on the same day.
    with clock_at("12:00"):
        yield cast(region("ijsselland", "ijsselland"))


def _session(r: Region, body: str) -> str:
    meeting = meetings.meeting_schedule(
        actor=r.users["am"], house_id=r.house.pk, body_id=r.body(body).pk, starts_at=soon()
    )
    return f"/overleggen/{meeting.pk}/"


def _item(case: Case, meeting_url: str) -> str:
    item = AgendaItem.objects.get(case=case, meeting_id=meeting_url.split("/")[2])
    return f"/agendapunten/{item.pk}/"


def test_ijsselland_from_the_casustafel_to_afschalen_in_the_browser(
    ijsselland: Region,
    live_server: Any,
    browser: Any,  # noqa: F811
) -> None:
    r = ijsselland
    violations: list[str] = []
    case = _referred(r)
    cases.intake_start(
        actor=r.users["pr"], case_id=case.pk, information_coordinator_id=r.users["ic"].pk
    )
    cases.triage_submit(actor=r.users["pr"], case_id=case.pk)
    am = Person(browser, live_server.url, r.users["am"], violations)
    pr = Person(browser, live_server.url, r.users["pr"], violations)

    # Fase 2: the administratief medewerker finds the case and puts it on the casustafel.
    table = _session(r, "regionale-casustafel")
    page = am.go(table, "ij-casustafel")
    page.fill("#id_search", "Jansen")
    am.submit("Zoeken")
    page.check(f"input[name=case][value='{case.pk}']")
    page.check("input[name=purpose][value=triage]")
    am.submit("Agenderen")
    am.submit("Overleg is gehouden")

    # Fase 3: the procesregisseur records the casustafel's decision on the agenda item.
    page = pr.go(table)
    with page.expect_navigation():
        page.get_by_role("link", name="Besluit van het overleg").first.click()
    pr.check("ij-agenda-item")
    page.select_option(f"{DECIDE} select[name=decision_type]", label="Procesregie VHH")
    page.fill(f"{DECIDE} textarea[name=decision]", "Procesregie bij het VHH; MDO plannen.")
    for box in ("serious_area_problem", "multiple_chains_needed", "multiple_problems"):
        page.check(f"{DECIDE} input[name={box}]")
    page.fill(f"{DECIDE} textarea[name=municipality_view]", "De gemeente Zwolle steunt het.")
    page.check(f"{DECIDE} input[name=referrer_consulted]")
    page.fill(f"{DECIDE} input[name=referrer_consulted_on]", timezone.localdate().isoformat())
    page.fill(f"{DECIDE} textarea[name=referrer_consultation]", "Politie gebeld.")
    page.fill(f"{DECIDE} textarea[name=goal]", "Plan van aanpak in het MDO.")
    page.check(f"{DECIDE} input[name=themes]>> nth=0")
    page.check(f"{DECIDE} input[name=invite][value='{r.party['reclassering-nederland'].pk}']")
    page.fill(f"{DECIDE} textarea[name=invite_reason]", "Toezicht en voorwaarden")
    pr.submit("Besluit vastleggen")
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED, page.content()[-6000:]

    # Fase 4: from the case page onto the MDO; the plan's agreements; held.
    mdo = _session(r, "mdo")
    page = pr.go(f"/casussen/{case.pk}/", "ij-case")
    page.select_option("#id_meeting", mdo.split("/")[2])
    pr.submit("Agenderen")
    page = pr.go(_item(case, mdo), "ij-mdo-item")
    page.select_option("#id_case_coordinator_party", str(r.party["reclassering-nederland"].pk))
    page.fill("#id_informs_client", "Reclassering")
    pr.submit("Opslaan")
    pr.submit("Overleg is gehouden")
    assert Case.objects.get(pk=case.pk).phase == Phase.ACTIVE

    # Fase 4a-5: monitoring at the casustafel, which decides "Afschalen".
    review = _session(r, "regionale-casustafel")
    page = am.go(f"/casussen/{case.pk}/")
    page.select_option("#id_meeting", review.split("/")[2])
    am.submit("Agenderen")
    am.submit("Overleg is gehouden")
    page = am.go(_item(case, review) + "#besluit")
    page.select_option(f"{DECIDE} select[name=decision_type]", label="Afschalen")
    page.fill(f"{DECIDE} textarea[name=decision]", "Doelen bereikt; afschalen.")
    page.fill(f"{DECIDE} textarea[name=referrer_notice]", "De politie is gemeld.")
    am.submit("Besluit vastleggen")
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED

    assert violations == [], "\n".join(violations)
