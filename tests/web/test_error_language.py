# SPDX-License-Identifier: EUPL-1.2
"""A refusal of the domain reaches the reader in the language chosen on the language switch:
Dutch by default, English with the language cookie, in an API problem response and on a
screen alike; the labels a message names (phases, purposes, what is still to record) are in
the same language. A browser's Accept-Language alone changes nothing (docs/web.md)."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Meeting
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.web.flows import ok

pytestmark = pytest.mark.django_db

DUTCH_PURPOSE = (
    "Een agendapunt 'Voortgang' kan alleen voor een casus in fase 'Plan van aanpak in uitvoering'."
)
ENGLISH_PURPOSE = (
    "An agenda item 'Progress' is only possible for a case in phase 'Action plan in progress'."
)


def _in_english(client: APIClient) -> APIClient:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _mdo_meeting(world: World, *, minutes: int = 60 * 24 * 2) -> Meeting:
    return meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(minutes=minutes),
    )


def test_an_api_problem_speaks_the_readers_language(world: World) -> None:
    case = flows.accepted(world)
    meeting = _mdo_meeting(world)
    progress = {"case": str(case.pk), "purpose": "review"}
    url = f"/api/v1/meetings/{meeting.pk}/agenda-items/"

    dutch = world.api(world.pc).post(url, progress, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert dutch.status_code == 409, dutch.content.decode()
    assert dutch["Content-Language"] == "nl"
    assert dutch.json()["detail"] == DUTCH_PURPOSE

    english = _in_english(world.api(world.pc)).post(url, progress, format="json")
    assert english.status_code == 409, english.content.decode()
    assert english["Content-Type"] == "application/problem+json"
    assert english["Content-Language"] == "en"
    problem = english.json()
    assert problem["detail"] == ENGLISH_PURPOSE
    assert problem["errors"] == [{"field": "purpose", "message": ENGLISH_PURPOSE}]
    assert not AgendaItem.objects.exists()


def test_a_screen_form_shows_the_refusal_at_its_field_in_the_readers_language(
    world: World,
) -> None:
    case = flows.accepted(world)
    meeting = _mdo_meeting(world)
    progress = {"meeting": str(meeting.pk), "purpose": "review"}
    url = f"/casussen/{case.pk}/agenderen/"

    dutch = unescape(ok(api_client(world.pc).post(url, progress), 400).content.decode())
    assert DUTCH_PURPOSE in dutch

    english = ok(_in_english(api_client(world.pc)).post(url, progress), 400)
    html = unescape(english.content.decode())
    assert 'href="#id_purpose_0"' in html
    assert ENGLISH_PURPOSE in html
    assert DUTCH_PURPOSE not in html
    assert not AgendaItem.objects.exists()


def test_what_a_meeting_still_lacks_is_named_in_the_readers_language(world: World) -> None:
    case = flows.accepted(world)
    meeting = _mdo_meeting(world, minutes=1)
    meeting_services.agenda_item_add(
        actor=world.pc,
        meeting_id=meeting.pk,
        case_id=case.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    secretary = _in_english(api_client(world.secretary))
    refused = ok(secretary.post(f"/overleggen/{meeting.pk}/gehouden/"), 302)
    page = unescape(ok(secretary.get(refused["Location"])).content.decode())
    assert (
        "Agenda item 1: still to record: case coordinator, who informs the client, "
        "what to do on arrest, criteria for closure."
    ) in page
    assert "leg nog vast" not in page
