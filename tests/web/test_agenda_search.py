# SPDX-License-Identifier: EUPL-1.2
"""The meeting page finds cases for its agenda by a person's name, sent by POST so no name
goes into a URL, offers only what may go on, records the search and refuses others."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaItem, Meeting
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.web.flows import ok

pytestmark = pytest.mark.django_db


def _meeting(world: World) -> Meeting:
    return meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )


def _search(world: World, meeting: Meeting, words: str, user: object = None) -> object:
    client = api_client(user or world.pc)  # type: ignore[arg-type]
    return client.post(f"/overleggen/{meeting.pk}/zoeken/", {"search": words})


def test_an_organiser_finds_a_case_by_name_and_puts_it_on_the_agenda(world: World) -> None:
    case = flows.accepted(world)  # Jan de Vries
    meeting = _meeting(world)
    page = ok(api_client(world.pc).get(f"/overleggen/{meeting.pk}/")).content.decode()
    assert f'action="/overleggen/{meeting.pk}/zoeken/"' in page
    assert 'role="search"' in page

    html = ok(_search(world, meeting, "vri jan")).content.decode()
    assert f'value="{case.pk}"' in html
    assert "Jan de Vries" in html
    # The choice goes to the meeting page, not back to the search it came from.
    assert f'<form method="post" action="/overleggen/{meeting.pk}/" novalidate>' in html
    event = AuditEvent.objects.filter(purpose="agenda_search").order_by("-seq")[0]
    assert event.object_ids == [str(case.pk)]
    assert event.person_ids == [str(p.pk) for p in case.persons.all()]
    assert "Vries" not in str(event.__dict__)

    response = api_client(world.pc).post(
        f"/overleggen/{meeting.pk}/", {"case": str(case.pk), "purpose": "first_discussion"}
    )
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, case=case).exists()
    # Once on this agenda it is offered no more.
    again = _search(world, meeting, "Vries")
    assert f'value="{case.pk}"' not in again.content.decode()  # type: ignore[attr-defined]


def test_only_cases_that_may_go_on_are_offered(world: World) -> None:
    accepted = flows.accepted(world)
    waiting = flows.referred(world)  # the same person, not yet through triage
    meeting = _meeting(world)
    html = ok(_search(world, meeting, "Vries")).content.decode()
    assert f'value="{accepted.pk}"' in html
    assert f'value="{waiting.pk}"' not in html
    nothing = _search(world, meeting, "Bakker")
    assert nothing.status_code == 200  # type: ignore[attr-defined]
    assert "Geen casus gevonden" in nothing.content.decode()  # type: ignore[attr-defined]


def test_a_short_search_is_refused_at_its_field_and_records_nothing(world: World) -> None:
    flows.accepted(world)
    meeting = _meeting(world)
    before = AuditEvent.objects.filter(purpose="agenda_search").count()
    response = _search(world, meeting, "v")
    assert response.status_code == 400  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "Typ ten minste twee letters van een naam." in html
    assert 'href="#id_search"' in html
    assert AuditEvent.objects.filter(purpose="agenda_search").count() == before


def test_adding_without_a_choice_sends_the_person_back_to_the_search(world: World) -> None:
    meeting = _meeting(world)
    response = api_client(world.pc).post(
        f"/overleggen/{meeting.pk}/", {"purpose": "first_discussion"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Zoek en kies een casus." in html
    assert 'href="#id_search"' in html
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_a_partner_cannot_search_the_agenda(world: World) -> None:
    flows.accepted(world)
    meeting = _meeting(world)
    response = _search(world, meeting, "Vries", user=world.probation)
    assert response.status_code in (403, 404)  # type: ignore[attr-defined]
    assert not AuditEvent.objects.filter(purpose="agenda_search").exists()
    denial = AuditEvent.objects.order_by("-seq")[0]
    assert (denial.action, denial.actor_id) == ("permission_denied", world.probation.pk)
