# SPDX-License-Identifier: EUPL-1.2
"""A body's chair and the roles at its table, in the region's words (Gelderland-Midden art. 8.1:
the Triage-overleg is chaired by the ketenmanager, with the location managers and the
information coordinator), shown on its meetings."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ketentafel.covenants.models import Body
from ketentafel.meetings import services as meetings
from tests.cases.conftest import World, api_client
from tests.cases.conftest import world as world  # the fixture

pytestmark = pytest.mark.django_db


def test_the_chair_and_the_roles_at_the_table_are_shown_on_the_meeting(world: World) -> None:
    body = Body.objects.get(covenant=world.house.covenant, slug="triage-overleg")
    body.chair = "manager"
    body.member_roles = ["manager", "location_manager", "information_coordinator"]
    body.save()
    covenant = body.covenant
    covenant.role_labels = {**covenant.role_labels, "manager": "Ketenmanager"}
    covenant.save()
    assert body.sitting() == [
        "Ketenmanager (voorzitter)",
        "Locatiemanager",
        "Informatiecoördinator",
    ]
    meeting = meetings.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=body.pk,
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    page = api_client(world.secretary).get(f"/overleggen/{meeting.pk}/").content.decode()
    assert "Aan tafel: Ketenmanager (voorzitter), Locatiemanager, Informatiecoördinator" in page
