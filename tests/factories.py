# SPDX-License-Identifier: EUPL-1.2
"""Rows a test takes as given rather than checks: the staff of a house and their roles.

A factory writes the rows `accounts.services.user_create` writes for the operator (an active
user of a party with an unusable password, each role provisioned and in force at once), with
the database's own checks (constraints, separation-of-duties triggers) but without the
service's audit events and locks, which cost a tenth of a second for the staff of one house
in every test. A test of provisioning itself, or one that needs its events, makes its users
through the service (`tests.cases.conftest.make_staff`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from factory.django import DjangoModelFactory

from ketentafel.accounts.models import HouseRole, Role, User
from ketentafel.covenants.models import House


class UserFactory(DjangoModelFactory[User]):
    """`UserFactory(username=..., party=..., roles=[(house, role), ...])`."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: make_password(None))
    first_name = factory.LazyAttribute(lambda user: user.username.capitalize())
    last_name = "Test"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")

    @factory.post_generation
    def roles(
        user: User,  # noqa: N805 - factory_boy passes the object made
        create: bool,
        extracted: Iterable[tuple[House, Role]] | None,
        **kwargs: Any,
    ) -> None:
        """Each (house, role) in force since now, provisioned by the operator."""
        if not create or not extracted:
            return
        now = timezone.now()
        HouseRole.objects.bulk_create(
            HouseRole(user=user, house=house, role=role, granted_at=now, confirmed_at=now)
            for house, role in extracted
        )
