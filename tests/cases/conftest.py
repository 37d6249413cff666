# SPDX-License-Identifier: EUPL-1.2
"""A Gelderland-Midden house with the people of a case, and API clients logged in as them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.services import second_factor_enrol, user_create
from ketentafel.covenants.models import Body, House, Party, Theme, Track
from tests.conftest import regions_ensure
from tests.factories import UserFactory


@dataclass
class World:
    house: House
    other_house: House
    track: Track
    mdo: Body
    themes: list[Theme]
    municipality: Party
    party: dict[str, Party]
    pc: User
    ic: User
    manager: User
    secretary: User
    police: User
    probation: User
    care: User
    housing: User
    admin: User

    def api(self, user: User) -> APIClient:
        return api_client(user)


def api_client(user: User) -> APIClient:
    """A client past login and second factor, as the login screens would leave it."""
    client = APIClient()
    client.force_login(user)
    device = second_factor_enrol(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def make_staff(username: str, party: Party, house: House, *roles: Role) -> User:
    return user_create(
        username=username,
        password=None,
        party_id=party.pk,
        roles=[(house.pk, role) for role in roles],
        first_name=username.capitalize(),
        last_name="Test",
        email=f"{username}@example.invalid",
    )


def staff(username: str, party: Party, house: House, *roles: Role) -> User:
    """A user of `party` in force in `house` in each of `roles`, written by a factory: the
    world's cast is the tests' given, not their subject (`tests.factories`)."""
    return UserFactory(
        username=username,
        party=party,
        first_name=username.capitalize(),
        roles=[(house, role) for role in roles],
    )


@pytest.fixture
def world(db: None) -> World:
    regions_ensure()
    house = House.objects.get(slug="arnhem")
    party = {p.slug: p for p in Party.objects.all()}
    gemeente = party["gemeente-arnhem"]
    return World(
        house=house,
        other_house=House.objects.get(slug="west-veluwe-vallei"),
        track=Track.objects.get(covenant=house.covenant, slug="complex-cases"),
        mdo=Body.objects.get(slug="mdo-arnhem"),
        themes=list(Theme.objects.filter(covenant=house.covenant).order_by("pk")),
        municipality=gemeente,
        party=party,
        pc=staff("pc", gemeente, house, Role.PROCESS_COORDINATOR),
        ic=staff("ic", gemeente, house, Role.INFORMATION_COORDINATOR),
        manager=staff("manager", gemeente, house, Role.LOCATION_MANAGER),
        secretary=staff("secretary", gemeente, house, Role.MEETING_SECRETARY),
        police=staff("police", party["politie-oost-nederland"], house, Role.PARTNER_PROFESSIONAL),
        probation=staff(
            "probation", party["reclassering-nederland"], house, Role.PARTNER_PROFESSIONAL
        ),
        care=staff("care", party["pro-persona"], house, Role.PARTNER_PROFESSIONAL),
        housing=staff("housing", party["vivare"], house, Role.PARTNER_PROFESSIONAL),
        admin=staff("admin", gemeente, house, Role.FUNCTIONAL_ADMINISTRATOR),
    )


def referral(world: World, **overrides: Any) -> dict[str, Any]:
    """A valid referral body, with fictitious personal data."""
    body: dict[str, Any] = {
        "house": world.house.pk,
        "track": world.track.pk,
        "subject_kind": "person",
        "persons": [
            {
                "given_names": "Jan",
                "surname": "de Vries",
                "birth_date": "1990-04-12",
                "bsn": "111222333",
                "address": "Voorbeeldstraat 1",
                "municipality": "Arnhem",
            }
        ],
        "municipality": world.municipality.pk,
        "problem_statement": "Herhaalde overlast en schulden; zorg en straf lopen langs elkaar.",
        "goal": "Eén gezamenlijk plan van aanpak.",
        "themes": [world.themes[0].pk],
    }
    body.update(overrides)
    return body


def future(days: int = 14) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()
