# SPDX-License-Identifier: EUPL-1.2
"""IJsselland art. 15 and Bijlage 3 fase 2-3 through the screens: the administratief
medewerker finds the cases awaiting the Regionale Casustafel in her work queue, plans the
casustafel, finds the case for its agenda and adds it for "Weging", records the minutes
(art. 15.4) and the casustafel's decision; the case page links to the session."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone

from ketentafel.cases import services as cases
from ketentafel.cases.models import Case, Phase
from ketentafel.meetings.models import AgendaItem, Meeting, MeetingStatus
from tests.cases.conftest import api_client
from tests.cases.flows import consulted_form
from tests.clock import clock_at
from tests.regions.conftest import Region, region
from tests.regions.test_ijsselland import _referred, cast
from tests.web.flows import ok

pytestmark = pytest.mark.django_db


@pytest.fixture
def ijsselland() -> Iterator[Region]:
    # At noon, so the casustafel planned a minute ahead is held on the same day.
    with clock_at("12:00"):
        yield cast(region("ijsselland", "ijsselland"))


def _awaiting_the_casustafel(r: Region) -> Case:
    case = _referred(r)
    cases.intake_start(
        actor=r.users["pr"], case_id=case.pk, information_coordinator_id=r.users["ic"].pk
    )
    cases.triage_submit(actor=r.users["pr"], case_id=case.pk)
    return case


def test_the_administratief_medewerker_prepares_and_records_the_casustafel(
    ijsselland: Region,
) -> None:
    r = ijsselland
    case = _awaiting_the_casustafel(r)
    am = api_client(r.users["am"])

    queue = ok(am.get("/werkvoorraad/")).content.decode()
    assert f"/casussen/{case.pk}/" in queue
    assert "Piet Jansen" in queue

    starts = timezone.localtime(timezone.now() + datetime.timedelta(minutes=2))
    planned = am.post(
        "/overleggen/",
        {
            "body": r.body("regionale-casustafel").pk,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "location": "Zwolle",
        },
    )
    assert planned.status_code == 302, planned.content.decode()[:2000]
    meeting = Meeting.objects.get(body=r.body("regionale-casustafel"))

    found = ok(am.post(f"/overleggen/{meeting.pk}/zoeken/", {"search": "jansen"})).content
    assert f'value="{case.pk}"' in found.decode()
    added = am.post(f"/overleggen/{meeting.pk}/", {"case": str(case.pk), "purpose": "triage"})
    assert added.status_code == 302, added.content.decode()[:2000]
    item = AgendaItem.objects.get(meeting=meeting, case=case)
    assert item.purpose == "triage"

    # The case page names the session and links to its agenda item.
    page = ok(am.get(f"/casussen/{case.pk}/")).content.decode()
    assert f"/agendapunten/{item.pk}/" in page
    assert "Regionale Casustafel" in page

    assert am.post(f"/overleggen/{meeting.pk}/gehouden/").status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    sheet = ok(am.get(f"/overleggen/{meeting.pk}/")).content.decode()
    assert f"/agendapunten/{item.pk}/#besluit" in sheet

    # Art. 15.4: she keeps the record. The record offers no decision type that moves the case:
    # IJsselland's decisions all do, so they are the session's decision below.
    screen = ok(am.get(f"/agendapunten/{item.pk}/")).content.decode()
    assert 'name="decision_type"' in screen  # the session's decision form
    assert screen.count('name="decision_type"') == 1
    assert "Procesregie VHH" in screen
    recorded = am.post(
        f"/agendapunten/{item.pk}/",
        {"version": item.version, "minutes": "Besproken: zorg en straf samen.", "decision": ""},
    )
    assert recorded.status_code == 302, recorded.content.decode()[:2000]
    assert AgendaItem.objects.get(pk=item.pk).minutes == "Besproken: zorg en straf samen."

    decided = am.post(
        f"/agendapunten/{item.pk}/besluit/",
        {
            "decision_type": r.decision("procesregie-vhh").pk,
            "decision": "Procesregie bij het VHH; MDO plannen.",
            "serious_area_problem": "on",
            "multiple_chains_needed": "on",
            "multiple_problems": "on",
            "explanation": "Zorg en straf samen nodig.",
            "goal": "Plan van aanpak in het MDO.",
            "themes": [r.themes()[0].pk],
            "invite": [r.party["reclassering-nederland"].pk],
            "invite_reason": "Toezicht en voorwaarden",
            **consulted_form(),
        },
    )
    assert decided.status_code == 302, decided.content.decode()[:4000]
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED
