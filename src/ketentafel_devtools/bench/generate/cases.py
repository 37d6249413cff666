# SPDX-License-Identifier: EUPL-1.2
"""One generated case with everything its phase implies, added to a `Batch` of rows."""

from __future__ import annotations

import bisect
import datetime
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.cases.models import (
    OPEN_PHASES,
    Case,
    CaseParty,
    Closure,
    ClosureReason,
    Person,
    Phase,
    SubjectKind,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.services import REFERRER_ROLE
from ketentafel.information.models import (
    DataCategory,
    InformationItem,
    InformationRequest,
    ItemShare,
    LifeDomain,
    RequestStatus,
    Sharing,
)
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Decision
from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion, ActionStatus
from ketentafel_devtools.bench.generate.choices import (
    ACTIONS,
    CATEGORY_OF_KIND,
    DOSSIER_ITEMS,
    GOALS,
    HORIZON_DAYS,
    INVITED_ROLES,
    ITEM_TEXTS,
    LEGAL_BASES,
    PHASE_WEIGHTS,
    PROBLEMS,
    RECURRING_PERSON,
    SHARING_WEIGHTS,
    SUBJECT_WEIGHTS,
    valid_bsn,
)
from ketentafel_devtools.bench.generate.rows import Batch, Ids


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


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


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
