# SPDX-License-Identifier: EUPL-1.2
"""Generating the benchmark dataset in bulk: a real region, synthetic staff, cases and items.

The region is loaded by the real loader (`region_load`). Everything after it is written in
batches (COPY on PostgreSQL, multi-row inserts elsewhere), not through the services, which
would take hours for a million items; the rows are built to be what the services would have
left: phases with the data each phase needs (coordinators after intake, a triage decision,
invited parties with role and need, a held first meeting with a case coordinator, a plan of
action, a closure decided in a held meeting), items supplied by a party of the case under a
spread of sharing choices, and persons (Faker nl_NL, synthetic) of whom some recur in other
cases. Timestamps lie in the past five years and follow each case's course.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from ketentafel.accounts.models import HouseRole, Role, User
from ketentafel.covenants.models import (
    Body,
    BodyKind,
    Covenant,
    DecisionType,
    House,
    Membership,
    PartyKind,
    Theme,
    TrackKind,
)
from ketentafel.covenants.services import region_load, region_path
from ketentafel.meetings.models import Meeting, MeetingStatus
from ketentafel_devtools.bench.generate.cases import Generator, HouseWorld, World
from ketentafel_devtools.bench.generate.choices import HORIZON_DAYS
from ketentafel_devtools.bench.generate.rows import COLUMNS, Batch, Ids, Row, insert_rows

REGION = "gelderland-midden"
CHUNK = 2000  # cases per transaction


def _load_world(
    now: datetime.datetime, rng: random.Random, ids: Ids, log: Callable[[str], None]
) -> World:
    report = region_load(path=region_path(REGION))
    covenant = Covenant.objects.get(slug=report.covenant)
    memberships = list(
        Membership.objects.current()
        .filter(covenant=covenant)
        .select_related("party")
        .prefetch_related("houses")
    )
    kinds = {m.party_id: m.party.kind for m in memberships}
    houses = []
    for house in House.objects.filter(covenant=covenant, is_active=True).order_by("pk"):
        members = [m.party_id for m in memberships if house in m.houses.all()]
        # The house's case meeting for complex cases (not the Casusoverleg radicalisering).
        body = Body.objects.filter(
            covenant=covenant,
            kind=BodyKind.CASE_MEETING,
            houses=house,
            is_active=True,
            tracks__kind=TrackKind.COMPLEX_CASES,
        ).first()
        if body is None:
            raise RuntimeError(f"{house.name} has no case meeting in region {REGION}")
        houses.append(
            HouseWorld(
                id=house.pk,
                municipalities=[p for p in members if kinds[p] == PartyKind.GEMEENTE],
                members=members,
                body_id=body.pk,
                tracks=[
                    (t.pk, 0.7 if t.kind == TrackKind.COMPLEX_CASES else 0.3)
                    for t in body.tracks.filter(is_active=True).order_by("pk")
                ],
            )
        )
    police = next((p for p, k in kinds.items() if k == PartyKind.POLITIE), None)
    world = World(
        covenant_id=covenant.pk,
        houses=houses,
        kinds=kinds,
        themes=list(Theme.objects.filter(covenant=covenant).values_list("pk", flat=True)),
        decision_types=list(
            DecisionType.objects.filter(covenant=covenant).values_list("pk", flat=True)
        ),
        police=police,
        manager=0,
    )
    return world


def _staff(world: World, scale: int, fake: Faker, rng: random.Random) -> int:
    """Users for every role: coordinators per house in proportion to the cases, and
    professionals of every party in each house it works with."""
    users: list[User] = []
    roles: list[tuple[int, int, str]] = []  # (user index, house, role)

    def add(name: str, party: int, house_roles: Sequence[tuple[int, str]]) -> int:
        user = User(
            username=name,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{name}@bench.invalid",
            party_id=party,
        )
        user.set_unusable_password()
        users.append(user)
        index = len(users) - 1
        roles.extend((index, h, r) for h, r in house_roles)
        return index

    slots: dict[tuple[int, str], list[int]] = defaultdict(list)
    professionals: dict[tuple[int, int], list[int]] = defaultdict(list)
    for h, house in enumerate(world.houses):
        office = house.municipalities[0]
        for role, count in [
            (Role.PROCESS_COORDINATOR, max(2, scale // 2000)),
            (Role.INFORMATION_COORDINATOR, max(1, scale // 5000)),
            (Role.MEETING_SECRETARY, 2),
            (Role.LOCATION_MANAGER, 1),
            (Role.PRIVACY_OFFICER, 1),
            (Role.STEERING_MEMBER, 1),
        ]:
            for n in range(count):
                index = add(f"bench-{role}-{h}-{n}", office, [(house.id, role)])
                slots[(house.id, role)].append(index)
        for party in house.members:
            for n in range(2):
                index = add(
                    f"bench-prof-{party}-{h}-{n}", party, [(house.id, Role.PARTNER_PROFESSIONAL)]
                )
                professionals[(house.id, party)].append(index)
    everywhere = [(house.id, Role.MANAGER) for house in world.houses]
    manager = add("bench-manager", world.houses[0].municipalities[0], everywhere)
    add(
        "bench-beheerder",
        world.houses[0].municipalities[0],
        [(house.id, Role.FUNCTIONAL_ADMINISTRATOR) for house in world.houses],
    )
    created = User.objects.bulk_create(users)
    # Provisioned by the operator, as `user_create` without an actor does: in force at once.
    provisioned_at = timezone.now()
    HouseRole.objects.bulk_create(
        HouseRole(
            user_id=created[i].pk,
            house_id=h,
            role=r,
            granted_at=provisioned_at,
            confirmed_at=provisioned_at,
        )
        for i, h, r in roles
    )
    for house in world.houses:
        house.coordinators = [created[i].pk for i in slots[(house.id, Role.PROCESS_COORDINATOR)]]
        house.information_coordinators = [
            created[i].pk for i in slots[(house.id, Role.INFORMATION_COORDINATOR)]
        ]
        house.secretaries = [created[i].pk for i in slots[(house.id, Role.MEETING_SECRETARY)]]
        house.location_managers = [created[i].pk for i in slots[(house.id, Role.LOCATION_MANAGER)]]
        house.professionals = {
            party: [created[i].pk for i in professionals[(house.id, party)]]
            for party in house.members
        }
    world.manager = created[manager].pk
    return len(created)


def _meetings(world: World, now: datetime.datetime, ids: Ids, rng: random.Random) -> int:
    """Weekly case meetings per house over the horizon (held), and four planned ahead."""
    rows: list[Row] = []
    first = (now - datetime.timedelta(days=HORIZON_DAYS)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    for house in world.houses:
        start = first
        while start < now + datetime.timedelta(weeks=4):
            meeting_id = uuid.uuid4()
            held = start + datetime.timedelta(hours=3) < now
            rows.append(
                (
                    meeting_id,
                    house.body_id,
                    house.id,
                    start,
                    "Veiligheidshuis, zaal 2",
                    MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                    rng.choice(house.secretaries),
                    start + datetime.timedelta(hours=3) if held else None,
                )
            )
            house.meetings.append((start, meeting_id, held))
            start += datetime.timedelta(weeks=1)
        house.meeting_starts = [m[0] for m in house.meetings]
    return insert_rows(Meeting, COLUMNS[Meeting], rows)


def generate(
    *, scale: int, seed: int, log: Callable[[str], None]
) -> tuple[dict[str, int], dict[str, Any]]:
    """Fill the (claimed, empty) database; returns row counts per model and sample ids."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311  synthetic data, reproducible by seed
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    now = timezone.now()
    ids = Ids()
    with transaction.atomic():
        world = _load_world(now, rng, ids, log)
        users = _staff(world, scale, fake, rng)
        meetings = _meetings(world, now, ids, rng)
    seconds = time.perf_counter() - started
    log(f"  region {REGION}, {users} users, {meetings} meetings ({seconds:.1f}s)")
    generator = Generator(world=world, now=now, rng=rng, fake=fake, ids=ids)
    generator.counts["accounts.User"] = users
    generator.counts["cases.Meeting"] = meetings
    done = 0
    while done < scale:
        size = min(CHUNK, scale - done)
        batch = Batch()
        for n in range(size):
            generator.case(batch, force_dossier=done == 0 and n == 0)
        with transaction.atomic():
            batch.flush(generator.counts)
        done += size
        if done % (CHUNK * 10) == 0 or done == scale:
            log(
                f"  {done} cases, {generator.counts['information.InformationItem']} items "
                f"({time.perf_counter() - started:.0f}s)"
            )
    ids.reset_sequences()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A live database has been vacuumed by autovacuum: statistics for the planner and a
        # visibility map that lets index-only scans skip the table. Measure that state, not
        # the moment after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    samples: dict[str, Any] = {
        "dossier": generator.samples["dossier"][:200],
        "known": generator.samples["known"][:200],
        "coordinators": [u for u, _ in generator.cases_of.most_common(20)],
        "professionals": _professionals(world, rng),
    }
    return dict(generator.counts), samples


def _professionals(world: World, rng: random.Random) -> list[int]:
    """Partner professionals of the parties most often involved and of a few others."""
    chosen: list[int] = []
    for house in world.houses:
        frequent = [
            p
            for p in house.members
            if world.kinds[p]
            in (PartyKind.POLITIE, PartyKind.RECLASSERING, PartyKind.ZORG, PartyKind.GEMEENTE)
        ]
        others = [p for p in house.members if p not in frequent]
        for party in frequent[:6] + rng.sample(others, min(4, len(others))):
            chosen.append(house.professionals[party][0])
    return chosen
