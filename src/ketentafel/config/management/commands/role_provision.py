# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel role_provision <username> <house-slug> <role> [--valid-until]`.

The operator's way to give the first location manager (or functional administrator) of a
house a role in force: a grant in `/beheer/` waits for a second person of the house, and a new
house has nobody to confirm. The role is recorded in the audit log as provisioned by the
system; whoever runs this has shell access to the server.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.services import house_role_grant
from ketentafel.core.errors import DomainError
from ketentafel.covenants.models import House


class Command(BaseCommand):
    help = "Give a user a role in a house, in force at once (bootstrap; audited as the system)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("house", help="the house's slug")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument(
            "--valid-until",
            type=datetime.datetime.fromisoformat,
            help="ISO 8601 moment with offset at which the role ends (default: no end)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"unknown user {options['username']!r}")
        house = House.objects.filter(slug=options["house"]).first()
        if house is None:
            raise CommandError(f"unknown house {options['house']!r}")
        ends = options["valid_until"]
        if ends is not None and ends.tzinfo is None:
            raise CommandError("--valid-until needs a UTC offset, e.g. 2027-01-01T00:00+01:00")
        try:
            held = house_role_grant(
                actor=None, user=user, house_id=house.pk, role=options["role"], valid_until=ends
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{user.username}: {held.get_role_display()} in {house.name}, in force")
