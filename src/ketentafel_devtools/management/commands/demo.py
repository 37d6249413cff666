# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel demo`: a working Ketentafel on localhost with fictitious users for every role."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from faker import Faker

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.services import second_factor_enrol, user_create
from ketentafel.covenants.models import Covenant, House, Membership, PartyKind
from ketentafel.covenants.services import region_load, region_path
from ketentafel_devtools.demo_work import demo_work_load

DEMO_PASSWORD = "demo-ketentafel"  # noqa: S105  fictitious demo accounts only


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    party_kind: PartyKind
    all_houses: bool = False


DEMO_USERS = [
    DemoUser("ketenmanager", Role.MANAGER, PartyKind.GEMEENTE, all_houses=True),
    DemoUser("locatiemanager", Role.LOCATION_MANAGER, PartyKind.GEMEENTE),
    DemoUser("procesregisseur", Role.PROCESS_COORDINATOR, PartyKind.GEMEENTE),
    DemoUser("informatiecoordinator", Role.INFORMATION_COORDINATOR, PartyKind.GEMEENTE),
    DemoUser("secretaris", Role.MEETING_SECRETARY, PartyKind.GEMEENTE),
    DemoUser("politie", Role.PARTNER_PROFESSIONAL, PartyKind.POLITIE),
    DemoUser("reclassering", Role.PARTNER_PROFESSIONAL, PartyKind.RECLASSERING),
    DemoUser("zorg", Role.PARTNER_PROFESSIONAL, PartyKind.ZORG),
    DemoUser("privacy", Role.PRIVACY_OFFICER, PartyKind.GEMEENTE),
    DemoUser("stuurgroep", Role.STEERING_MEMBER, PartyKind.OM),
    DemoUser("beheerder", Role.FUNCTIONAL_ADMINISTRATOR, PartyKind.GEMEENTE, all_houses=True),
]


class Command(BaseCommand):
    help = "Migrate, load a region, create demo users for every role and serve on localhost."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="gelderland-midden")
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare only; do not serve.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Serve without the task worker (notices then wait in the queue).",
        )

    def handle(
        self,
        *args: Any,
        region: str,
        addrport: str,
        no_serve: bool,
        no_worker: bool = False,
        **options: Any,
    ) -> None:
        if not settings.KETENTAFEL_DEMO:
            raise CommandError("The demo runs only with development settings (KETENTAFEL_DEMO).")
        call_command("migrate", interactive=False, verbosity=0)
        report = region_load(path=region_path(region))
        self.stdout.write(report.summary())
        covenant = Covenant.objects.get(slug=report.covenant)
        rows, users, work_house = self._users(covenant)
        self.stdout.write(demo_work_load(work_house, users).summary())
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo users (fictitious; password for all: {DEMO_PASSWORD}):")
        )
        for username, role, party, house in rows:
            self.stdout.write(f"  {username:<22} {role:<28} {party} — {house}")
        self.stdout.write(
            "\nThe second-factor page shows demo users their current code; production settings "
            "make this impossible.\n"
        )
        if not no_serve:
            worker = None if no_worker else self._worker_start()
            self.stdout.write(f"Serving on http://{addrport}/ (health: /health)\n")
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                if worker is not None:
                    self._worker_stop(worker)

    def _worker_start(self) -> subprocess.Popen[bytes]:
        """`ketentafel worker` beside the server, with the same settings: it sends the notices
        (the development settings print them) and runs the daily jobs; it stops with the demo."""
        worker = subprocess.Popen(
            [sys.executable, "-m", "ketentafel", "worker"], env=os.environ.copy()
        )

        def stop_on_term(signum: int, frame: FrameType | None) -> None:
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop_on_term)
        self.stdout.write(f"Task worker started (pid {worker.pid}); it stops with the demo.\n")
        return worker

    def _worker_stop(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)

    @transaction.atomic
    def _users(
        self, covenant: Covenant
    ) -> tuple[list[tuple[str, str, str, str]], dict[str, User], House]:
        """The demo users (made once), the rows that list them, and the house they work in."""
        houses = list(House.objects.filter(covenant=covenant, is_active=True).order_by("pk"))
        first_house = houses[0]
        members = Membership.objects.current().filter(covenant=covenant).select_related("party")
        by_kind: dict[str, Any] = {}
        for membership in members.order_by("pk"):
            by_kind.setdefault(membership.party.kind, membership.party)
        fallback = first_house.managing_municipality or by_kind[PartyKind.GEMEENTE]
        fake = Faker("nl_NL")
        fake.seed_instance(covenant.slug)
        rows = []
        users: dict[str, User] = {}
        for spec in DEMO_USERS:
            party = (
                fallback
                if spec.party_kind == PartyKind.GEMEENTE
                else by_kind.get(spec.party_kind, fallback)
            )
            username = (
                f"{spec.username}-{covenant.slug}"
                if User.objects.filter(username=spec.username).exclude(party=party).exists()
                else spec.username
            )
            user_houses = houses if spec.all_houses else [first_house]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    party_id=party.pk,
                    roles=[(h.pk, spec.role) for h in user_houses],
                    first_name=fake.first_name(),
                    last_name=fake.last_name(),
                    email=f"{username}@demo.invalid",
                    is_demo=True,
                )
            second_factor_enrol(user=user)
            users[spec.username] = user
            rows.append(
                (username, str(spec.role.label), party.name, ", ".join(h.name for h in user_houses))
            )
        return rows, users, first_house
