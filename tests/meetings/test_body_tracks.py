# SPDX-License-Identifier: EUPL-1.2
"""A case goes only on the agenda of a body that discusses its track (the region file's
`tracks`): Gelderland-Midden's MDO takes complex cases, its Casusoverleg radicalisering only
radicalisation (Bijlage 3, Proces radicalisering). Refused in the service and the API, and
the choices the case page and the agenda search offer are filtered the same way."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.cases import selectors
from ketentafel.cases.models import Case
from ketentafel.core.errors import InvalidInput
from ketentafel.covenants.models import Body, Track
from ketentafel.meetings import selectors as meeting_selectors
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Meeting
from tests.cases import flows
from tests.cases.conftest import World

pytestmark = pytest.mark.django_db


def radicalisation(world: World) -> World:
    """The same house and people, referring on the radicalisation track."""
    track = Track.objects.get(covenant=world.house.covenant, slug="radicalisation")
    return dataclasses.replace(world, track=track)


def meeting_of(world: World, body_slug: str) -> Meeting:
    return meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=Body.objects.get(slug=body_slug).pk,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )


def test_a_complex_case_is_refused_on_the_radicalisation_case_meeting(world: World) -> None:
    case = flows.accepted(world)
    meeting = meeting_of(world, "casusoverleg-radicalisering")
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        meeting_services.agenda_item_add(
            actor=world.pc,
            meeting_id=meeting.pk,
            case_id=case.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )
    assert refused.value.field == "case"
    assert refused.value.message == (
        "Het overleg 'Casusoverleg radicalisering' bespreekt geen casussen van het werkproces "
        "'Integrale veiligheid en Complexe Multi-Problematiek'. Kies een overleg voor dit "
        "werkproces."
    )
    assert not AgendaItem.objects.exists()
    assert AuditEvent.objects.count() == events
    assert Case.objects.get(pk=case.pk).phase == case.phase


def test_each_case_goes_on_a_meeting_of_its_own_track(world: World) -> None:
    complex_case = flows.accepted(world)
    radical_case = flows.accepted(radicalisation(world))
    mdo = meeting_of(world, "mdo-arnhem")
    radical_meeting = meeting_of(world, "casusoverleg-radicalisering")
    for meeting, case in ((mdo, complex_case), (radical_meeting, radical_case)):
        meeting_services.agenda_item_add(
            actor=world.pc,
            meeting_id=meeting.pk,
            case_id=case.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )
    with pytest.raises(InvalidInput) as refused:
        meeting_services.agenda_item_add(
            actor=world.pc,
            meeting_id=mdo.pk,
            case_id=radical_case.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )
    assert "'MDO' bespreekt geen casussen van het werkproces 'Radicalisering'" in (
        refused.value.message
    )
    # (The radicalisation case was weighed in a session of the weegploeg: a triage item.)
    first = AgendaItem.objects.filter(purpose=AgendaPurpose.FIRST_DISCUSSION)
    assert set(first.values_list("meeting_id", "case_id")) == {
        (mdo.pk, complex_case.pk),
        (radical_meeting.pk, radical_case.pk),
    }


def test_the_api_answers_a_problem_naming_the_case(world: World) -> None:
    case = flows.accepted(world)
    meeting = meeting_of(world, "casusoverleg-radicalisering")
    response = world.api(world.pc).post(
        f"/api/v1/meetings/{meeting.pk}/agenda-items/",
        {"case": str(case.pk), "purpose": "first_discussion"},
        format="json",
    )
    assert response.status_code == 400, response.content.decode()
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert [error["field"] for error in problem["errors"]] == ["case"]
    assert "bespreekt geen casussen van het werkproces" in problem["detail"]
    assert not AgendaItem.objects.exists()


def test_the_agenda_search_offers_only_cases_of_the_bodys_tracks(world: World) -> None:
    complex_case = flows.accepted(world)  # both: Jan de Vries
    radical_case = flows.accepted(radicalisation(world))
    mdo = meeting_of(world, "mdo-arnhem")
    radical_meeting = meeting_of(world, "casusoverleg-radicalisering")

    found = meeting_selectors.agenda_candidates_for(world.pc, mdo.pk, "Vries")
    assert [row.pk for row in found] == [complex_case.pk]
    found = meeting_selectors.agenda_candidates_for(world.pc, radical_meeting.pk, "Vries")
    assert [row.pk for row in found] == [radical_case.pk]
    # The search records what it returned, nothing of the other track.
    event = AuditEvent.objects.filter(purpose="agenda_search").order_by("-seq")[0]
    assert event.object_ids == [str(radical_case.pk)]


def test_the_case_page_offers_only_meetings_of_bodies_serving_its_track(world: World) -> None:
    complex_case = flows.accepted(world)
    radical_case = flows.accepted(radicalisation(world))
    mdo = meeting_of(world, "mdo-arnhem")
    radical_meeting = meeting_of(world, "casusoverleg-radicalisering")

    for case, meeting in ((complex_case, mdo), (radical_case, radical_meeting)):
        access = selectors.access_for_read(world.pc, case.pk)
        assert list(meeting_selectors.case_agenda_for(access).meetings) == [meeting]
