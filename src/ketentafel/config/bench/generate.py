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

import bisect
import datetime
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from faker import Faker

from ketentafel.accounts.models import HouseRole, Role, User
from ketentafel.cases.models import (
    OPEN_PHASES,
    Action,
    ActionPlan,
    ActionPlanVersion,
    ActionStatus,
    AdviceOutcome,
    AdviceRequest,
    AgendaItem,
    AgendaPurpose,
    Case,
    CaseParty,
    Closure,
    ClosureReason,
    Decision,
    Meeting,
    MeetingStatus,
    Person,
    Phase,
    SubjectKind,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.services import REFERRER_ROLE
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
from ketentafel.information.models import (
    DataCategory,
    InformationItem,
    InformationRequest,
    ItemShare,
    LifeDomain,
    RequestStatus,
    Sharing,
)

REGION = "gelderland-midden"
HORIZON_DAYS = 5 * 365
CHUNK = 2000  # cases per transaction
DOSSIER_ITEMS = 100

#: The course a case has run so far, in shares of all cases (closed cases pile up over years).
PHASE_WEIGHTS = {
    Phase.REFERRED: 0.03,
    Phase.ENRICHMENT: 0.06,
    Phase.TRIAGE: 0.03,
    Phase.DECLINED: 0.05,
    Phase.ACCEPTED: 0.03,
    Phase.ACTIVE: 0.30,
    Phase.CLOSED: 0.50,
}
#: How suppliers choose to share (Sharing), in shares of items.
SHARING_WEIGHTS = {
    Sharing.COORDINATION: 0.15,
    Sharing.PRE_MEETING: 0.35,
    Sharing.AFTER_MEETING: 0.35,
    Sharing.NAMED: 0.15,
}
SUBJECT_WEIGHTS = {SubjectKind.PERSON: 0.75, SubjectKind.FAMILY: 0.20, SubjectKind.AREA: 0.05}
RECURRING_PERSON = 0.08  # share of persons already known from another case

CATEGORY_OF_KIND = {
    PartyKind.POLITIE: DataCategory.POLICE,
    PartyKind.OM: DataCategory.JUSTICE,
    PartyKind.DJI: DataCategory.JUSTICE,
    PartyKind.RECLASSERING: DataCategory.JUSTICE,
    PartyKind.HALT: DataCategory.JUSTICE,
    PartyKind.ZORG: DataCategory.SPECIAL,
    PartyKind.VERSLAVINGSZORG: DataCategory.SPECIAL,
    PartyKind.VEILIG_THUIS: DataCategory.SPECIAL,
}

PROBLEMS = [
    "Oplopende schulden, dreigende huisuitzetting en zorgmijding",
    "Herhaald huiselijk geweld binnen het gezin, kinderen in beeld bij school",
    "Overlast in de wijk samenhangend met middelengebruik",
    "Terugkeer na detentie zonder woonplek, inkomen of zorg",
    "Verward gedrag en dreigende uitspraken richting buren",
    "Jongere met schoolverzuim en contacten in een crimineel netwerk",
    "Ondermijnende activiteiten rond een bedrijfspand in het buitengebied",
    "Radicaliserende uitingen en sociaal isolement",
]
GOALS = [
    "Stabiele woonsituatie en een sluitend zorgaanbod",
    "Veiligheid van de kinderen geborgd, geweld gestopt",
    "Overlast beëindigd en behandeling gestart",
    "Recidive voorkomen met huisvesting, inkomen en begeleiding",
    "Zicht op de situatie en één aanspreekpunt voor alle partijen",
]
ITEM_TEXTS = {
    LifeDomain.CRIMINAL_HISTORY: "Registraties afgelopen drie jaar: {n} incidenten, laatste {m} "
    "maanden geleden.",
    LifeDomain.HOUSING: "Huurachterstand van {n} maanden; de verhuurder is een "
    "ontruimingsprocedure gestart.",
    LifeDomain.EDUCATION_WORK: "Sinds {n} maanden geen werk; re-integratie na {m} weken gestopt.",
    LifeDomain.FINANCES: "Schulden bij {n} schuldeisers; bewind aangevraagd {m} weken geleden.",
    LifeDomain.FAMILY: "Gezin met {n} kinderen; contact met de ex-partner via een advocaat.",
    LifeDomain.BEHAVIOUR: "Agressief gedrag naar hulpverleners bij {n} van de {m} contacten.",
    LifeDomain.NETWORK: "Beperkt netwerk; {n} familieleden in beeld, contact met {m} van hen.",
    LifeDomain.MENTAL_HEALTH: "In behandeling geweest bij de GGZ; laatste contact {n} maanden "
    "geleden.",
    LifeDomain.SUBSTANCE_USE: "Dagelijks gebruik volgens eigen zeggen; {n} meldingen van overlast.",
}
LEGAL_BASES = [
    "Convenant art. 16.1; AVG art. 6 lid 1 sub e",
    "Convenant art. 17; Wpg art. 19",
    "Convenant art. 16; Wjsg art. 8a",
    "Convenant art. 16; AVG art. 9 lid 2 sub g",
]
INVITED_ROLES = [
    ("Casusregie zorg", "Zicht op behandeling en zorgcontinuïteit"),
    ("Toezicht", "Voorwaarden en naleving"),
    ("Woonbegeleiding", "Huisvestingssituatie en afspraken met de verhuurder"),
    ("Strafrechtelijke interventie", "Lopende zaken en te verwachten beslissingen"),
    ("Veiligheid kinderen", "Signalen over de veiligheid van de kinderen"),
    ("Schuldhulp", "Financiële situatie en lopende regelingen"),
]
ACTIONS = [
    "Huisbezoek afleggen en afspraken vastleggen",
    "Aanmelding bij de GGZ regelen",
    "Budgetbeheer starten",
    "Contact met de verhuurder over een betalingsregeling",
    "Toezichtafspraken afstemmen met de reclassering",
    "Veiligheidsplan met het gezin opstellen",
]


@dataclass
class HouseWorld:
    """One house of the loaded region with the staff generated for it."""

    id: int
    municipalities: list[int]
    members: list[int]
    body_id: int
    # The tracks its case meeting serves, weighted: a case of another track could not be put
    # on that meeting's agenda (`services.agenda_item_add`).
    tracks: list[tuple[int, float]]
    coordinators: list[int] = field(default_factory=list)
    information_coordinators: list[int] = field(default_factory=list)
    secretaries: list[int] = field(default_factory=list)
    location_managers: list[int] = field(default_factory=list)
    professionals: dict[int, list[int]] = field(default_factory=dict)  # party id -> user ids
    meetings: list[tuple[datetime.datetime, uuid.UUID, bool]] = field(default_factory=list)
    meeting_starts: list[datetime.datetime] = field(default_factory=list)


@dataclass
class World:
    covenant_id: int
    houses: list[HouseWorld]
    kinds: dict[int, str]
    themes: list[int]
    decision_types: list[int]
    police: int | None
    manager: int


class Ids:
    """Allocates primary keys for auto-numbered models, so related rows can be linked in bulk."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            highest = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
            self._next[model] = highest + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    Case: (
        "id",
        "house_id",
        "track_id",
        "phase",
        "subject_kind",
        "area_description",
        "municipality_id",
        "referring_party_id",
        "referred_by_id",
        "problem_statement",
        "goal",
        "process_coordinator_id",
        "information_coordinator_id",
        "case_coordinator_party_id",
        "case_coordinator_id",
        "referred_at",
        "first_discussed_at",
        "closed_at",
        "updated_at",
    ),
    Case.themes.through: ("id", "case_id", "theme_id"),
    Person: (
        "id",
        "case_id",
        "given_names",
        "surname",
        "surname_key",
        "birth_date",
        "bsn",
        "address",
        "municipality",
        "is_primary",
    ),
    CaseParty: (
        "id",
        "case_id",
        "party_id",
        "role",
        "information_need",
        "invited_by_id",
        "invited_at",
    ),
    AdviceRequest: (
        "id",
        "house_id",
        "requesting_party_id",
        "recorded_by_id",
        "question",
        "outcome",
        "advice",
        "case_id",
        "created_at",
        "concluded_at",
    ),
    TriageDecision: (
        "id",
        "case_id",
        "decided_by_id",
        "decided_at",
        "serious_area_problem",
        "system_impact",
        "multiple_chains_needed",
        "multiple_problems",
        "outcome",
        "explanation",
    ),
    InformationRequest: (
        "id",
        "case_id",
        "party_id",
        "question",
        "reason",
        "deadline",
        "status",
        "requested_by_id",
        "requested_at",
        "answered_at",
        "answer_note",
    ),
    InformationItem: (
        "id",
        "case_id",
        "request_id",
        "supplier_party_id",
        "supplied_by_id",
        "life_domain",
        "text",
        "legal_basis",
        "data_category",
        "track_id",
        "sharing",
        "supplied_at",
        "sharing_changed_at",
    ),
    ItemShare: ("id", "item_id", "party_id"),
    Meeting: (
        "id",
        "body_id",
        "house_id",
        "starts_at",
        "location",
        "status",
        "scheduled_by_id",
        "held_at",
    ),
    AgendaItem: (
        "id",
        "meeting_id",
        "case_id",
        "position",
        "purpose",
        "minutes",
        "informs_client",
        "on_arrest",
        "closure_criteria",
        "progress",
    ),
    Decision: ("id", "agenda_item_id", "decision_type_id", "text", "recorded_by_id", "recorded_at"),
    ActionPlan: ("id", "case_id", "goal", "version"),
    Action: ("id", "plan_id", "owner_party_id", "owner_id", "what", "due_on", "status"),
    ActionPlanVersion: (
        "id",
        "plan_id",
        "number",
        "goal",
        "actions",
        "changed_by_id",
        "changed_at",
        "change",
    ),
    Closure: (
        "id",
        "case_id",
        "agenda_item_id",
        "reason",
        "handed_over_to_id",
        "explanation",
        "referrer_notice",
        "referrer_informed_at",
        "decided_by_id",
    ),
}

Row = tuple[Any, ...]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert rows as they are, bypassing `save()` (so `auto_now` fields keep their values).

    PostgreSQL gets one COPY per call; other databases a multi-row INSERT with each value
    prepared by its field, as the ORM would.
    """
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            with cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row([Jsonb(v) if isinstance(v, list | dict) else v for v in row])
                    count += 1
            return count
        fields = [model._meta.get_field(c) for c in columns]
        placeholders = ", ".join(["%s"] * len(columns))
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]  # type: ignore[union-attr]
            for row in rows
        ]
        if prepared:
            cursor.executemany(
                # Table and column names come from the models, never from input.
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) "  # noqa: S608
                f"VALUES ({placeholders})",
                prepared,
            )
        return len(prepared)


def valid_bsn(rng: random.Random) -> str:
    """A random nine-digit number that passes the elfproef (synthetic, like Faker's names)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, [*digits, last]))


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# The region and its staff -----------------------------------------------------------------


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


# Cases -------------------------------------------------------------------------------------


@dataclass
class Batch:
    """Rows of one chunk of cases, per model, inserted together."""

    rows: dict[type[models.Model], list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, model: type[models.Model], row: Row) -> None:
        self.rows[model].append(row)

    def flush(self, counts: Counter[str]) -> None:
        for model, columns in COLUMNS.items():
            rows = self.rows.get(model)
            if rows:
                counts[model._meta.label] += insert_rows(model, columns, rows)
        self.rows.clear()


@dataclass
class Generator:
    world: World
    now: datetime.datetime
    rng: random.Random
    fake: Faker
    ids: Ids
    counts: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    identities: list[tuple[str, str, datetime.date, str, str, str, uuid.UUID]] = field(
        default_factory=list
    )
    positions: Counter[uuid.UUID] = field(default_factory=Counter)
    cases_of: Counter[int] = field(default_factory=Counter)
    names: tuple[list[str], list[str], list[str], list[str]] = field(
        default_factory=lambda: ([], [], [], [])
    )

    def __post_init__(self) -> None:
        first, last, streets, places = self.names
        first.extend(self.fake.first_name() for _ in range(600))
        last.extend(self.fake.last_name() for _ in range(600))
        streets.extend(self.fake.street_address() for _ in range(400))
        places.extend(self.fake.city() for _ in range(60))

    def _when(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        span = max((end - start).total_seconds(), 1.0)
        return start + datetime.timedelta(seconds=self.rng.uniform(0, span))

    def _meeting_after(
        self, house: HouseWorld, moment: datetime.datetime
    ) -> tuple[datetime.datetime, uuid.UUID, bool] | None:
        index = bisect.bisect_right(house.meeting_starts, moment)
        return house.meetings[index] if index < len(house.meetings) else None

    def _persons(
        self, case_id: uuid.UUID, kind: SubjectKind, batch: Batch, case_open: bool
    ) -> bool:
        """The case's persons; True when one of them is already known from another case."""
        count = {SubjectKind.PERSON: 1, SubjectKind.FAMILY: self.rng.randint(2, 4)}.get(kind, 0)
        first, last, streets, places = self.names
        recurring = False
        for index in range(count):
            if self.identities and self.rng.random() < RECURRING_PERSON:
                given, surname, born, bsn, address, place, _ = self.rng.choice(self.identities)
                recurring = True
            else:
                given, surname = self.rng.choice(first), self.rng.choice(last)
                born = datetime.date(1950, 1, 1) + datetime.timedelta(
                    days=self.rng.randint(0, 365 * 58)
                )
                bsn = valid_bsn(self.rng) if self.rng.random() < 0.85 else ""
                address, place = self.rng.choice(streets), self.rng.choice(places)
                if case_open:
                    self.identities.append((given, surname, born, bsn, address, place, case_id))
                    if len(self.identities) > 20000:
                        self.identities.pop(self.rng.randrange(len(self.identities)))
            batch.add(
                Person,
                (
                    uuid.uuid4(),
                    case_id,
                    given,
                    surname,
                    Person.key_for(surname),
                    born,
                    bsn,
                    address,
                    place,
                    index == 0,
                ),
            )
        return recurring

    def case(self, batch: Batch, force_dossier: bool) -> None:
        rng, world, now = self.rng, self.world, self.now
        house = rng.choice(world.houses)
        phase: Phase = _weighted(rng, PHASE_WEIGHTS)
        if force_dossier:
            phase = Phase.ACTIVE
        day = datetime.timedelta(days=1)
        referred_at = {
            Phase.REFERRED: now - rng.uniform(0, 14) * day,
            Phase.ENRICHMENT: now - rng.uniform(7, 60) * day,
            Phase.TRIAGE: now - rng.uniform(14, 60) * day,
            Phase.ACCEPTED: now - rng.uniform(14, 40) * day,
            Phase.ACTIVE: now - rng.uniform(30, 730) * day,
        }.get(phase, now - rng.uniform(120, HORIZON_DAYS - 30) * day)
        case_id = uuid.uuid4()
        track = rng.choices([t for t, _ in house.tracks], [w for _, w in house.tracks])[0]
        kind: SubjectKind = _weighted(rng, SUBJECT_WEIGHTS)
        if world.police in house.members and rng.random() < 0.25:
            referrer = world.police
        elif rng.random() < 0.4:
            referrer = rng.choice(house.municipalities)
        else:
            referrer = rng.choice(house.members)
        assert referrer is not None
        referred_by = rng.choice(house.professionals[referrer])
        coordinator = None if phase == Phase.REFERRED else rng.choice(house.coordinators)
        info_coordinator = (
            None if phase == Phase.REFERRED else rng.choice(house.information_coordinators)
        )
        accepted = phase in (Phase.ACCEPTED, Phase.ACTIVE, Phase.CLOSED)
        triaged = accepted or phase == Phase.DECLINED
        decided_at = referred_at + rng.uniform(7, 13) * day
        parties = [referrer]
        invitees: list[int] = []
        if accepted:
            others = [p for p in house.members if p != referrer]
            invitees = rng.sample(others, min(len(others), rng.randint(2, 5)))
            parties += invitees
        first_meeting = closing_meeting = None
        if phase in (Phase.ACTIVE, Phase.CLOSED):
            first_meeting = self._meeting_after(house, decided_at + rng.uniform(1, 10) * day)
            if first_meeting is None or not first_meeting[2]:
                phase = Phase.ACCEPTED
                first_meeting = None
        if phase == Phase.CLOSED and first_meeting is not None:
            closing_meeting = self._meeting_after(
                house, first_meeting[0] + rng.uniform(60, 400) * day
            )
            if closing_meeting is None or not closing_meeting[2]:
                phase, closing_meeting = Phase.ACTIVE, None
        planned_meeting = None
        if phase == Phase.ACCEPTED and rng.random() < 0.5:
            planned_meeting = self._meeting_after(house, now)
        first_discussed_at = (
            first_meeting[0] + datetime.timedelta(hours=3) if first_meeting else None
        )
        closed_at = (
            closing_meeting[0] + datetime.timedelta(hours=3) + rng.uniform(0, 2) * day
            if closing_meeting
            else None
        )
        end = closed_at or now
        case_coordinator_party = rng.choice(invitees) if first_meeting and invitees else None
        case_coordinator = (
            rng.choice(house.professionals[case_coordinator_party])
            if case_coordinator_party and rng.random() < 0.7
            else None
        )
        batch.add(
            Case,
            (
                case_id,
                house.id,
                track,
                phase,
                kind,
                "Woonwijk rond het winkelcentrum, overlast en handel"
                if kind == SubjectKind.AREA
                else "",
                rng.choice(house.municipalities),
                referrer,
                referred_by,
                rng.choice(PROBLEMS),
                rng.choice(GOALS),
                coordinator,
                info_coordinator,
                case_coordinator_party,
                case_coordinator,
                referred_at,
                first_discussed_at,
                closed_at,
                closed_at or first_discussed_at or referred_at,
            ),
        )
        if coordinator is not None:
            self.cases_of[coordinator] += 1
        case_open = phase in OPEN_PHASES
        recurring = self._persons(case_id, kind, batch, case_open)
        if rng.random() < 0.1:
            batch.add(
                AdviceRequest,
                (
                    uuid.uuid4(),
                    house.id,
                    referrer,
                    referred_by,
                    "Kunnen wij deze situatie bij het Veiligheidshuis aanmelden?",
                    AdviceOutcome.REFERRED,
                    "",
                    case_id,
                    referred_at - rng.uniform(1, 10) * day,
                    referred_at,
                ),
            )
        batch.add(
            CaseParty,
            (
                self.ids.take(CaseParty),
                case_id,
                referrer,
                REFERRER_ROLE,
                "Aanmeldende partij",
                referred_by,
                referred_at,
            ),
        )
        for party in invitees:
            role, need = rng.choice(INVITED_ROLES)
            batch.add(
                CaseParty,
                (
                    self.ids.take(CaseParty),
                    case_id,
                    party,
                    role,
                    need,
                    rng.choice(house.location_managers),
                    decided_at,
                ),
            )
        if accepted:
            for theme in rng.sample(self.world.themes, min(2, len(self.world.themes))):
                batch.add(Case.themes.through, (self.ids.take(Case.themes.through), case_id, theme))
        if triaged:
            batch.add(
                TriageDecision,
                (
                    uuid.uuid4(),
                    case_id,
                    rng.choice(house.location_managers),
                    decided_at,
                    accepted,
                    True,
                    True,
                    accepted,
                    TriageOutcome.ACCEPTED if accepted else TriageOutcome.NOT_FOR_HOUSE,
                    "Voldoet aan de criteria"
                    if accepted
                    else "Advies: lokaal oppakken via het wijkteam",
                ),
            )
        agenda_first = self._agenda(
            batch,
            first_meeting or planned_meeting,
            case_id,
            AgendaPurpose.FIRST_DISCUSSION,
            house,
            decision=first_meeting is not None,
        )
        agenda_close = self._agenda(
            batch, closing_meeting, case_id, AgendaPurpose.CLOSURE, house, decision=True
        )
        if closed_at is not None and agenda_close is not None and coordinator is not None:
            reason = rng.choice(list(ClosureReason))
            batch.add(
                Closure,
                (
                    self.ids.take(Closure),
                    case_id,
                    agenda_close,
                    reason,
                    rng.choice(invitees or [referrer])
                    if reason == ClosureReason.HANDED_OVER
                    else None,
                    "Afgesproken in het casusoverleg" if reason == ClosureReason.OTHER else "",
                    "De aanmelder is telefonisch geïnformeerd over de afschaling.",
                    closed_at,
                    coordinator,
                ),
            )
        del agenda_first
        if first_meeting is not None and coordinator is not None:
            self._plan(
                batch,
                case_id,
                parties,
                house,
                coordinator,
                first_discussed_at or now,
                end,
                closed_at is not None,
            )
        if phase != Phase.REFERRED and info_coordinator is not None:
            dossier = force_dossier or (
                phase in (Phase.ACCEPTED, Phase.ACTIVE) and rng.random() < 0.01
            )
            self._information(
                batch,
                case_id,
                phase,
                house,
                parties,
                track,
                info_coordinator,
                referred_at,
                end,
                dossier,
            )
            if dossier and coordinator is not None:
                self.samples["dossier"].append([str(case_id), coordinator])
        if (
            case_open
            and coordinator is not None
            and kind != SubjectKind.AREA
            and (recurring or rng.random() < 0.05)
        ):
            self.samples["known"].append([str(case_id), coordinator])

    def _agenda(
        self,
        batch: Batch,
        meeting: tuple[datetime.datetime, uuid.UUID, bool] | None,
        case_id: uuid.UUID,
        purpose: AgendaPurpose,
        house: HouseWorld,
        *,
        decision: bool,
    ) -> uuid.UUID | None:
        if meeting is None:
            return None
        start, meeting_id, held = meeting
        self.positions[meeting_id] += 1
        item_id = uuid.uuid4()
        first = purpose == AgendaPurpose.FIRST_DISCUSSION and held
        batch.add(
            AgendaItem,
            (
                item_id,
                meeting_id,
                case_id,
                self.positions[meeting_id],
                purpose,
                "Besproken; afspraken vastgelegd." if held else "",
                "De casusregisseur" if first else "",
                "Reclassering informeert de procesregie" if first else "",
                "Doelen van het plan behaald" if first else "",
                "",
            ),
        )
        if decision and held and self.world.decision_types:
            batch.add(
                Decision,
                (
                    self.ids.take(Decision),
                    item_id,
                    self.rng.choice(self.world.decision_types),
                    "Plan van aanpak vastgesteld" if first else "Afschalen",
                    self.rng.choice(house.secretaries),
                    start + datetime.timedelta(hours=2),
                ),
            )
        return item_id

    def _plan(
        self,
        batch: Batch,
        case_id: uuid.UUID,
        parties: list[int],
        house: HouseWorld,
        coordinator: int,
        start: datetime.datetime,
        end: datetime.datetime,
        closed: bool,
    ) -> None:
        rng = self.rng
        plan_id = self.ids.take(ActionPlan)
        goal = rng.choice(GOALS)
        count = rng.randint(2, 5)
        snapshot: list[dict[str, Any]] = []
        today = self.now.date()
        for number in range(1, count + 1):
            changed_at = start + datetime.timedelta(hours=number)
            batch.add(
                ActionPlanVersion,
                (
                    self.ids.take(ActionPlanVersion),
                    plan_id,
                    number,
                    goal,
                    list(snapshot),
                    coordinator,
                    changed_at,
                    "actie toegevoegd",
                ),
            )
            action_id = uuid.uuid4()
            party = rng.choice(parties)
            due = (start + datetime.timedelta(days=rng.randint(14, 120))).date()
            if closed:
                status = rng.choice([ActionStatus.DONE, ActionStatus.DONE, ActionStatus.CANCELLED])
            else:
                status = (
                    ActionStatus.DONE if due < today and rng.random() < 0.7 else ActionStatus.OPEN
                )
            owner = rng.choice(house.professionals[party]) if rng.random() < 0.5 else None
            what = rng.choice(ACTIONS)
            batch.add(Action, (action_id, plan_id, party, owner, what, due, status))
            snapshot.append(
                {
                    "id": str(action_id),
                    "owner_party_id": party,
                    "owner_id": owner,
                    "what": what,
                    "due_on": due.isoformat(),
                    "status": ActionStatus.OPEN,
                }
            )
        batch.add(ActionPlan, (plan_id, case_id, goal, count + 1))
        del end

    def _information(
        self,
        batch: Batch,
        case_id: uuid.UUID,
        phase: Phase,
        house: HouseWorld,
        parties: list[int],
        track: int,
        info_coordinator: int,
        referred_at: datetime.datetime,
        end: datetime.datetime,
        dossier: bool,
    ) -> None:
        rng = self.rng
        day = datetime.timedelta(days=1)
        asked = rng.sample(house.members, min(len(house.members), rng.randint(1, 4)))
        requests: dict[int, uuid.UUID] = {}
        for party in asked:
            request_id = uuid.uuid4()
            requested_at = referred_at + rng.uniform(0.5, 5) * day
            is_open = (
                phase in (Phase.ENRICHMENT, Phase.TRIAGE, Phase.ACCEPTED) and rng.random() < 0.5
            )
            batch.add(
                InformationRequest,
                (
                    request_id,
                    case_id,
                    party,
                    "Welke informatie heeft u over de betrokkene(n)?",
                    "Nodig voor de weging in de triage (doelbinding art. 16).",
                    (requested_at + 14 * day).date(),
                    RequestStatus.OPEN if is_open else RequestStatus.ANSWERED,
                    info_coordinator,
                    requested_at,
                    None if is_open else min(requested_at + rng.uniform(1, 14) * day, end),
                    "",
                ),
            )
            requests[party] = request_id
        if dossier:
            count = DOSSIER_ITEMS
        elif phase == Phase.DECLINED:
            count = rng.randint(0, 4)
        elif phase == Phase.ENRICHMENT:
            count = rng.randint(1, 8)
        else:
            count = rng.randint(4, 19)
        suppliers = sorted(set(asked) | set(parties))
        for _ in range(count):
            supplier = rng.choice(suppliers)
            domain = rng.choice(list(LifeDomain))
            sharing: Sharing = _weighted(rng, SHARING_WEIGHTS)
            item_id = uuid.uuid4()
            supplied_at = self._when(referred_at, end)
            batch.add(
                InformationItem,
                (
                    item_id,
                    case_id,
                    requests.get(supplier),
                    supplier,
                    rng.choice(house.professionals[supplier]),
                    domain,
                    ITEM_TEXTS[domain].format(n=rng.randint(1, 9), m=rng.randint(2, 12)),
                    rng.choice(LEGAL_BASES),
                    CATEGORY_OF_KIND.get(self.world.kinds[supplier], DataCategory.ORDINARY),  # type: ignore[call-overload]
                    track,
                    sharing,
                    supplied_at,
                    None,
                ),
            )
            if sharing == Sharing.NAMED:
                named = [p for p in parties if p != supplier] or [
                    p for p in house.members if p != supplier
                ]
                for party in rng.sample(named, min(len(named), rng.randint(1, 2))):
                    batch.add(ItemShare, (self.ids.take(ItemShare), item_id, party))


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
