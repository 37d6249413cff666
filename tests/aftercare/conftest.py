# SPDX-License-Identifier: EUPL-1.2
"""A Gelderland-Midden house with a DJI professional beside the people of a case, and nazorg
cases opened from DJI's notification through the service, with fictitious people."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.aftercare import services
from ketentafel.aftercare.models import DetentionNotification
from ketentafel.cases.models import Case
from ketentafel.cases.services import PersonInput, intake_start
from ketentafel.covenants.models import Party, Track
from tests.cases.conftest import World, world
from tests.factories import UserFactory

__all__ = ["Nazorg", "World", "nazorg", "notified", "world"]

PERSON = PersonInput(
    given_names="Karim",
    surname="Voorbeeld-Nazorg",
    birth_date=datetime.date(1988, 3, 9),
    bsn="123456782",
)


@dataclass
class Nazorg:
    world: World
    track: Track
    dji_party: Party
    dji: User  # a professional of DJI with a role in both houses of the region


@pytest.fixture
def nazorg(world: World) -> Nazorg:
    dji_party = world.party["dji-gelderland"]
    dji = UserFactory(
        username="dji",
        party=dji_party,
        roles=[(house, Role.PARTNER_PROFESSIONAL) for house in (world.house, world.other_house)],
    )
    return Nazorg(
        world=world,
        track=Track.objects.get(covenant=world.house.covenant, slug="aftercare"),
        dji_party=dji_party,
        dji=dji,
    )


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def notification_input(nazorg: Nazorg, **overrides: Any) -> dict[str, Any]:
    """The arguments of a valid notification: detained two months ago in PI Arnhem, release
    expected in a month, returning to Arnhem."""
    arguments: dict[str, Any] = {
        "actor": nazorg.dji,
        "person": PERSON,
        "detention_start": days_ago(60),
        "expected_release": timezone.localdate() + datetime.timedelta(days=30),
        "municipality_id": nazorg.world.municipality.pk,
        "institution": "PI Arnhem",
    }
    arguments.update(overrides)
    return arguments


def notified(nazorg: Nazorg, **overrides: Any) -> DetentionNotification:
    return services.detention_notify(**notification_input(nazorg, **overrides))


def taken_up(nazorg: Nazorg) -> Case:
    """A nazorg case whose intake the house's process coordinator started: on the nazorg route
    it is active at once (Bijlage 3, Proces nazorg), with the information coordinator named."""
    case = notified(nazorg).case
    world = nazorg.world
    intake_start(actor=world.pc, case_id=case.pk, information_coordinator_id=world.ic.pk)
    return Case.objects.get(pk=case.pk)
