# SPDX-License-Identifier: EUPL-1.2
"""Reads of cases, scoped to the actor: fetching and authorising in one call."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
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
    Decision,
    Meeting,
    MeetingStatus,
    Person,
    Phase,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.policies import (
    CASE_ROLES,
    SCHEDULING_ROLES,
    TRIAGE_ROLES,
    CaseAccess,
    case_access_q,
    coordinated_by_q,
)
from ketentafel.core.choices import label_for
from ketentafel.core.errors import InvalidTransition, NotAllowed, NotFound
from ketentafel.core.links import link_for_each
from ketentafel.covenants.models import MembershipStatus, Party


def cases_visible_to(
    user: User, *, roles_read: Sequence[tuple[int, str]] | None = None
) -> QuerySet[Case]:
    """The cases `user` may see, filtered in the database in one query (`roles_read`: see
    `case_access_q`)."""
    return Case.objects.filter(case_access_q(user, roles_read=roles_read))


def _with_access(
    user: User, queryset: QuerySet[Case], roles_read: Sequence[tuple[int, str]] | None = None
) -> QuerySet[Case]:
    return queryset.filter(case_access_q(user, roles_read=roles_read)).annotate(
        is_case_party=Exists(
            CaseParty.objects.filter(case=OuterRef("pk"), party_id=user.party_id or 0)
        )
    )


def _access(
    user: User, case: Case, roles_read: Sequence[tuple[int, str]] | None = None
) -> CaseAccess:
    """What `user` is to `case`; `roles_read`: all the user's (house id, role) pairs in force,
    when the caller has read them already in this request."""
    if roles_read is None:
        roles = frozenset(
            roles_in_force(user)
            .filter(house_id=case.house_id, role__in=CASE_ROLES)
            .values_list("role", flat=True)
        )
    else:
        roles = frozenset(
            role
            for house_id, role in roles_read
            if house_id == case.house_id and role in CASE_ROLES
        )
    return CaseAccess(
        case=case,
        user=user,
        house_roles=roles,
        is_case_party=bool(getattr(case, "is_case_party", False)),
        houses=None if roles_read is None else frozenset(house for house, _role in roles_read),
    )


#: What the case page shows of a case besides its own fields.
_CASE_FACTS = (
    "house",
    "track",
    "municipality",
    "referring_party",
    "case_coordinator_party",
    "process_coordinator",
    "information_coordinator",
)


def _read_access(
    user: User, case_id: UUID | str, related: Sequence[str], prefetched: Sequence[str]
) -> CaseAccess:
    # The roles are read once: for the access filter, the user's roles in the case's house and
    # the user's houses.
    roles = list(roles_in_force(user).values_list("house_id", "role"))
    try:
        # get(), not first(): first() orders by the case list's order, and ordering a query
        # of this many columns costs Django more to compile than finding the one row.
        case = (
            _with_access(user, Case.objects.all(), roles)
            .select_related(*related)
            .prefetch_related(*prefetched)
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        raise NotFound("Deze casus bestaat niet of u heeft er geen rol in.") from None
    return _access(user, case, roles)


def access_for_read(user: User, case_id: UUID | str) -> CaseAccess:
    """One case the user may see, with its persons, for a caller that audits the read itself;
    404 when missing or not visible."""
    return _read_access(user, case_id, _CASE_FACTS, ("persons", "themes"))


def access_for_item_read(user: User, case_id: UUID | str) -> CaseAccess:
    """`access_for_read` for a read of the case's information items: the case with its
    persons and track only, what the read records. The dossier shows none of the other
    related rows, and joining them and the themes cost it about 2 ms a page."""
    return _read_access(user, case_id, ("track",), ("persons",))


def get_case_for(user: User, case_id: UUID | str) -> CaseAccess:
    """One case the user may see, with its persons, recording the read; 404 otherwise."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        case = access.case
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="case",
            object_id=case.pk,
            case_id=case.pk,
            house_id=case.house_id,
            person_ids=[p.pk for p in case.persons.all()],
            role=access.role_label,
            purpose=case.track.slug,
        )
    return access


def access_for_update(user: User, case_id: UUID | str, *, step: str = "") -> CaseAccess:
    """Lock a case for a change in the caller's transaction, then check the user may see it
    as it is now; 404 when missing or not visible.

    The row is locked by id first and its visibility read after: filtering by visibility in
    the locking query would, once a competing change commits (PostgreSQL re-reads a locked
    row), drop a case that this change just took out of the user's sight, and the loser of
    the race would read 404 for a case that exists. A caller taking a phase step (`step`, a
    `cases.workflow` transition) that another took first gets 409 with what happened
    (`_out_of_sight`); every other change of a case the user does not see stays 404."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .filter(pk=case_id)
        .select_related("house", "track")
        .first()
    )
    if case is None:
        raise NotFound("Deze casus bestaat niet of u heeft er geen rol in.")
    visible = _with_access(user, Case.objects.filter(pk=case.pk)).only("pk").first()
    if visible is None:
        raise _out_of_sight(user, case, step)
    case.is_case_party = visible.is_case_party  # type: ignore[attr-defined]
    return _access(user, case)


def already_decided(case: Case) -> InvalidTransition | None:
    """Why a case that has been through triage is not (any more) in triage: the last triage
    decision, or None for a case in triage or never triaged."""
    if case.phase == Phase.TRIAGE:
        return None
    decision = (
        TriageDecision.objects.filter(case=case).order_by("-decided_at").only("outcome").first()
    )
    if decision is None:
        return None
    return InvalidTransition(
        f"Over deze casus is al besloten ({TriageOutcome(decision.outcome).label}); de casus "
        f"is nu in fase '{Phase(case.phase).label}'."
    )


#: The steps whose takers see the case only in the phase the step leaves.
TRIAGE_STEPS = frozenset({"decline", "request_more_information", "accept"})


def _out_of_sight(user: User, case: Case, step: str) -> NotFound | InvalidTransition:
    """The answer for a case that exists but that `user` may not see now: 409 when the user
    takes `step` and the same kind of step, by someone else, moved the case out of the
    phase in which the user's role sees it; 404 otherwise.

    The house's triage staff see every case of the house while it is in triage, and its
    process coordinators every referral while it awaits intake; a case with a triage decision
    was in triage, one with a process coordinator awaited intake. For anyone else, any other
    change, and a case that never passed the phase the role sees, missing and forbidden look
    the same."""
    if step not in TRIAGE_STEPS and step != "start_intake":
        return NotFound("Deze casus bestaat niet of u heeft er geen rol in.")
    roles = set(
        roles_in_force(user)
        .filter(house_id=case.house_id, role__in=CASE_ROLES)
        .values_list("role", flat=True)
    )
    if step in TRIAGE_STEPS and user.party_id is not None and roles.intersection(TRIAGE_ROLES):
        decided = already_decided(case)
        if decided is not None:
            return decided
    if (
        step == "start_intake"
        and Role.PROCESS_COORDINATOR in roles
        and case.phase != Phase.REFERRED
        and case.process_coordinator_id is not None
    ):
        return InvalidTransition(
            "Deze aanmelding is al in behandeling genomen door een andere procesregisseur."
        )
    return NotFound("Deze casus bestaat niet of u heeft er geen rol in.")


def listing_record(
    user: User,
    *,
    object_type: str,
    object_ids: Sequence[object],
    case_ids: Sequence[object],
    purpose: str,
) -> None:
    """One search event for a list of objects from cases, naming the objects and the persons
    of their cases (NEN 7513: a search names what it returned)."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type=object_type,
            object_ids=object_ids,
            person_ids=Person.objects.filter(case_id__in=set(case_ids)).values_list(
                "id", flat=True
            ),
            purpose=purpose,
        )


def record_listing(user: User, cases: Sequence[Case], *, purpose: str = "case_list") -> None:
    """One search event for a page of cases, naming the ids returned (NEN 7513)."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="case",
            object_ids=[c.pk for c in cases],
            person_ids=[p.pk for c in cases for p in c.persons.all()],
            purpose=purpose,
        )


@dataclass(frozen=True)
class KnownElsewhere:
    """That a person of this case is in another open case: where, who, and whom to call."""

    house: str
    parties: list[str]
    contact: str


def _contact(case: Case) -> str:
    coordinator = case.process_coordinator
    if coordinator is None:
        return f"Procesregie {case.house.name}"
    return f"{coordinator.get_full_name()} <{coordinator.email}>"


def already_known_for(user: User, case_id: UUID | str) -> list[KnownElsewhere]:
    """Open cases in any house of the deployment about a person of this case (by BSN, or by
    surname and date of birth). Reveals where and whom to contact, never content."""
    with transaction.atomic():
        access = access_for_update(user, case_id)
        case = access.case
        if not (access.is_assigned_coordinator or access.has_role(Role.PROCESS_COORDINATOR)):
            raise NotAllowed("Alleen de procesregie ziet of een persoon elders bekend is.")
        match = Q(pk__in=[])
        persons = list(case.persons.all())
        for person in persons:
            if person.bsn:
                match |= Q(bsn=person.bsn)
            match |= Q(surname_key=person.surname_key, birth_date=person.birth_date)
        other_ids = set(
            Person.objects.filter(match, case__phase__in=OPEN_PHASES)
            .exclude(case_id=case.pk)
            .values_list("case_id", flat=True)
        )
        others = (
            Case.objects.filter(pk__in=other_ids)
            .select_related("house", "process_coordinator")
            .prefetch_related("case_parties__party")
            .order_by("house__name", "referred_at")
        )
        found = [
            KnownElsewhere(  # the contact is a colleague's work address, not the subject's
                house=other.house.name,
                parties=sorted({cp.party.name for cp in other.case_parties.all()}),
                contact=_contact(other),
            )
            for other in others
        ]
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="already_known",
            object_id=case.pk,
            object_ids=sorted(str(i) for i in other_ids),
            case_id=case.pk,
            house_id=case.house_id,
            person_ids=[p.pk for p in persons],
            role=access.role_label,
            purpose=case.track.slug,
        )
    return found


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings of the houses where the user holds a role in force."""
    return Meeting.objects.filter(house_id__in=roles_in_force(user).values("house_id"))


@dataclass(frozen=True)
class CaseAgenda:
    """What the case page offers for putting the case on a meeting's agenda."""

    offered: bool
    meetings: QuerySet[Meeting]
    purpose: AgendaPurpose


def case_agenda_for(access: CaseAccess) -> CaseAgenda:
    """The planned upcoming meetings of the case's house, of bodies that discuss the case's
    track, that the actor may put this case on.

    Offered to the house's process coordinators and meeting secretaries (they schedule the
    meetings, services.meeting_schedule) while the case is accepted (first discussion) or
    active (progress, closure), the phases services.agenda_item_add accepts. The meetings are
    listed whatever the phase and role, so a post the service refuses still shows the form
    with its error (a wrong phase) or answers 403 (no scheduling role).
    """
    case = access.case
    # `meetings_visible_to(actor)` limited to the case's house: the actor holds a case role in
    # force there (`access.house_roles`, which let the actor read the case), so that house's
    # meetings are the actor's without asking the database for the roles again.
    of_house = Meeting.objects.filter(house_id=case.house_id)
    meetings = (
        (of_house if access.house_roles else Meeting.objects.none())
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        # Only bodies that discuss the case's track (the region file's `tracks`), as
        # services.agenda_item_add requires; one row per meeting, a body lists a track once.
        .filter(body__tracks=case.track_id)
        .select_related("body")
        .order_by("starts_at")
    )
    return CaseAgenda(
        offered=access.has_role(*SCHEDULING_ROLES) and case.phase in (Phase.ACCEPTED, Phase.ACTIVE),
        meetings=meetings,
        purpose=(
            AgendaPurpose.REVIEW if case.phase == Phase.ACTIVE else AgendaPurpose.FIRST_DISCUSSION
        ),
    )


def overdue_actions_for(user: User, *, today: datetime.date | None = None) -> QuerySet[Action]:
    """Open actions past their due date that the user's party owns, in cases the user sees."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(
            owner_party_id=user.party_id,
            status=ActionStatus.OPEN,
            due_on__lt=today,
            plan__case__in=cases_visible_to(user),
            plan__case__phase=Phase.ACTIVE,
        )
        .select_related("plan", "owner_party")
        .order_by("due_on")
    )


def overdue_actions_by_party(
    user: User,
    *,
    today: datetime.date | None = None,
    roles_read: Sequence[tuple[int, str]] | None = None,
) -> QuerySet[Action]:
    """For a process coordinator: overdue actions in the cases it coordinates and sees (a
    coordinator whose role ended sees none), per party."""
    today = today or timezone.localdate()
    if roles_read is None:
        roles_read = _roles_read(user)
    coordinated = Case.objects.filter(
        coordinated_by_q(user, roles_read=roles_read, roles=[Role.PROCESS_COORDINATOR])
    )
    return (
        Action.objects.filter(
            plan__case__in=coordinated,
            status=ActionStatus.OPEN,
            due_on__lt=today,
            plan__case__phase=Phase.ACTIVE,
        )
        .select_related("owner_party", "plan")
        .order_by("owner_party__name", "due_on")
    )


# Screens and exports ----------------------------------------------------------------------
# Each read below fetches, authorises and records in one call, as the API's reads do, so a
# screen cannot show personal data without its audit event.


@dataclass(frozen=True)
class CaseRow:
    """One case as the case lists show it, its texts ready.

    The work queue shows up to 75 cases; as model instances with their persons they cost
    more to build and to walk in the template than the queries that read them
    (docs/performance.md, pages)."""

    pk: UUID
    url: str
    title: str  # the case's first person, or its kind of subject when it names none
    others: int  # how many more persons the case names
    phase: str
    house: str
    referring_party: str
    referred_on: str  # the local date of referral, dd-mm-yyyy as every screen shows dates
    known_elsewhere: bool = False


@dataclass(frozen=True)
class OverdueAction:
    """An overdue action as the work queue shows it."""

    party: str
    what: str
    due_on: str  # dd-mm-yyyy
    plan_url: str


@dataclass(frozen=True)
class WorkQueue:
    """A coordinator's work: what waits for intake or triage, own cases, meetings, overdue.
    Referrals and triage hold the `limit` longest waiting, own cases the newest `limit`; the
    full lists are on the case list. Each `*_total` counts the whole list, shown or not."""

    new_referrals: list[CaseRow]
    triage_due: list[CaseRow]
    coordinated: list[CaseRow]
    upcoming_meetings: Sequence[Meeting]
    overdue_actions: list[OverdueAction]
    new_referrals_total: int
    triage_total: int
    coordinated_total: int
    overdue_total: int


def _known_elsewhere(case_ids: Sequence[UUID]) -> frozenset[UUID]:
    """The listed cases with a person in another open case (by BSN, or surname and birth
    date), in one query; says that, never where or what (PRODUCT.md section 2, referral)."""
    if not case_ids:
        return frozenset()
    other = (
        Person.objects.filter(case__phase__in=OPEN_PHASES)
        .exclude(case_id=OuterRef("case_id"))
        .filter(
            Q(bsn=OuterRef("bsn"), bsn__gt="")
            | Q(surname_key=OuterRef("surname_key"), birth_date=OuterRef("birth_date"))
        )
    )
    return frozenset(
        Person.objects.filter(case_id__in=case_ids)
        .filter(Exists(other))
        .order_by()
        .values_list("case_id", flat=True)
    )


# What a case row reads: (id, referred at, phase, kind of subject, house, referring party).
_RowValues = tuple[UUID, datetime.datetime, str, str, str, str]


def _row_values(queryset: QuerySet[Case], start: int, stop: int) -> list[_RowValues]:
    return list(
        queryset.values_list(
            "pk", "referred_at", "phase", "subject_kind", "house__name", "referring_party__name"
        )[start:stop]
    )


def _persons_of(case_ids: Collection[UUID]) -> dict[UUID, list[tuple[UUID, str]]]:
    """Each case's persons as (id, name) in model order, the first heading its row."""
    persons: dict[UUID, list[tuple[UUID, str]]] = defaultdict(list)
    for case_id, person_id, given_names, surname in Person.objects.filter(
        case_id__in=case_ids
    ).values_list("case_id", "pk", "given_names", "surname"):
        persons[case_id].append((person_id, f"{given_names} {surname}"))
    return persons


def _case_rows(
    values: Sequence[_RowValues],
    persons: dict[UUID, list[tuple[UUID, str]]],
    known: frozenset[UUID] = frozenset(),
) -> list[CaseRow]:
    case_url = link_for_each("cases:detail")
    return [
        CaseRow(
            pk=pk,
            url=case_url(pk),
            title=(
                persons[pk][0][1] if persons[pk] else str(label_for(Case, "subject_kind", kind))
            ),
            others=max(len(persons[pk]) - 1, 0),
            phase=str(label_for(Case, "phase", phase)),
            house=house,
            referring_party=party,
            referred_on=timezone.localtime(referred_at).strftime("%d-%m-%Y"),
            known_elsewhere=pk in known,
        )
        for pk, referred_at, phase, kind, house, party in values
    ]


def _record_cases(
    user: User,
    case_ids: Collection[UUID],
    persons: dict[UUID, list[tuple[UUID, str]]],
    *,
    purpose: str,
) -> None:
    """One search event naming the cases shown and every person read with them (NEN 7513)."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="case",
            object_ids=sorted(str(pk) for pk in case_ids),
            person_ids=[person_id for names in persons.values() for person_id, _name in names],
            purpose=purpose,
        )


def work_queue_for(user: User, *, limit: int = 25) -> WorkQueue:
    """The work queue of a process or information coordinator, triage staff or secretary.

    Every list and count is a part of `cases_visible_to(user)` (the one access rule), so a
    coordinator whose role was removed or expired, or who was deactivated, finds nothing of
    the cases it once coordinated here either."""
    # The user's houses per role first (one small query): each list below then filters on
    # literal houses, and PostgreSQL walks `case_house_phase` straight to the newest cases of
    # the phase instead of `case_recent` past every case of other phases.
    roles = _roles_read(user)
    visible = cases_visible_to(user, roles_read=roles)
    houses: dict[str, set[int]] = {}
    for house_id, role in roles:
        houses.setdefault(role, set()).add(house_id)
    intake_houses = houses.get(Role.PROCESS_COORDINATOR, set())
    triage_houses = set().union(*(houses.get(role, set()) for role in TRIAGE_ROLES))

    # New referrals and triage are queues: the longest waiting first, so none drops off the
    # list while newer ones arrive. One walk along `case_house_phase` per house, merged: with
    # several houses in one IN the planner walks `case_recent` from the oldest case instead.
    def longest_waiting(phase: Phase, house_ids: set[int]) -> list[_RowValues]:
        waiting = visible.filter(phase=phase).order_by("referred_at", "id")
        found = [
            row
            for house_id in sorted(house_ids)
            for row in _row_values(waiting.filter(house_id=house_id), 0, limit)
        ]
        return sorted(found, key=lambda row: (row[1], row[0]))[:limit]

    def total(shown: Sequence[object], queryset: QuerySet[Any]) -> int:
        """The whole list's length: counted only when the shown part is full."""
        return len(shown) if len(shown) < limit else queryset.order_by().count()

    new = longest_waiting(Phase.REFERRED, intake_houses)
    triage = longest_waiting(Phase.TRIAGE, triage_houses)
    # Own cases newest first: two walks along the coordinators' partial indexes instead of
    # one OR that reads and sorts all of a coordinator's open cases.
    open_cases = visible.filter(phase__in=OPEN_PHASES).order_by("-referred_at", "-id")
    own = {
        row[0]: row
        for role in (Role.PROCESS_COORDINATOR, Role.INFORMATION_COORDINATOR)
        for row in _row_values(
            open_cases.filter(coordinated_by_q(user, roles_read=roles, roles=[role])), 0, limit
        )
    }
    coordinated = sorted(own.values(), key=lambda row: (row[1], row[0]), reverse=True)[:limit]
    coordinated_total = total(
        coordinated, open_cases.filter(coordinated_by_q(user, roles_read=roles))
    )
    meetings = list(
        meetings_visible_to(user)
        .filter(
            status=MeetingStatus.PLANNED,
            starts_at__gte=timezone.now() - datetime.timedelta(days=1),
        )
        .select_related("body", "house")
        .order_by("starts_at")[:20]
    )
    # Counted apart: a Count() join groups by every column of meeting, body and house. Only
    # the items of cases the user sees count, as the meeting page lists them.
    counts = dict(
        AgendaItem.objects.filter(meeting__in=[m.pk for m in meetings], case__in=visible)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values_list("meeting", "n")
    )
    for meeting in meetings:
        meeting.agenda_count = counts.get(meeting.pk, 0)  # type: ignore[attr-defined]
    overdue_all = overdue_actions_by_party(user, roles_read=roles)
    overdue = list(
        overdue_all.values_list("owner_party__name", "what", "due_on", "plan__case_id")[:limit]
    )
    case_ids = {row[0] for row in [*new, *triage, *coordinated]}
    # One query for the persons of all lists (a case may stand in two of them) and of the
    # overdue actions' cases, which the audit event names too.
    persons = _persons_of(case_ids | {case_id for *_action, case_id in overdue})
    known = _known_elsewhere([row[0] for row in [*new, *coordinated] if row[2] != Phase.TRIAGE])
    _record_cases(user, case_ids, persons, purpose="work_queue")
    plan_url = link_for_each("cases:plan")
    return WorkQueue(
        new_referrals=_case_rows(new, persons, known),
        triage_due=_case_rows(triage, persons),
        coordinated=_case_rows(coordinated, persons, known),
        upcoming_meetings=meetings,
        overdue_actions=[
            OverdueAction(
                party=party,
                what=what,
                due_on=due_on.strftime("%d-%m-%Y"),
                plan_url=plan_url(case_id),
            )
            for party, what, due_on, case_id in overdue
        ],
        new_referrals_total=total(
            new, visible.filter(phase=Phase.REFERRED, house_id__in=intake_houses)
        ),
        triage_total=total(triage, visible.filter(phase=Phase.TRIAGE, house_id__in=triage_houses)),
        coordinated_total=coordinated_total,
        overdue_total=total(overdue, overdue_all),
    )


@dataclass(frozen=True)
class CasePage:
    """One page of the case list: its rows, its number and whether another page follows."""

    rows: list[CaseRow]
    number: int
    has_next: bool


def case_page_for(user: User, *, page: int = 1, phase: str = "", per_page: int = 50) -> CasePage:
    """A page of the cases the user may see, newest first, of one phase or all, recorded as
    one search naming the cases shown."""
    cases = cases_visible_to(user)
    if phase:
        cases = cases.filter(phase=phase)
    start = (page - 1) * per_page
    # One row more than shown tells whether a next page exists; it is neither shown nor
    # recorded.
    values = _row_values(cases.order_by("-referred_at", "-id"), start, start + per_page + 1)
    shown = values[:per_page]
    case_ids = [row[0] for row in shown]
    persons = _persons_of(case_ids)
    _record_cases(user, case_ids, persons, purpose="case_list")
    return CasePage(_case_rows(shown, persons), page, len(values) > per_page)


@dataclass(frozen=True)
class MeetingSheet:
    """A meeting with the agenda items of the cases the reader may see (purpose limitation:
    each participant sees only the cases its party takes part in)."""

    meeting: Meeting
    items: list[AgendaItem]
    may_organise: bool


def _roles_read(user: User) -> list[tuple[int, str]]:
    """The user's roles in force as (house id, role), read once for a meeting read: which
    meetings the user sees, whether the user organises one, which of its cases the user sees."""
    return list(roles_in_force(user).values_list("house_id", "role"))


def _meeting_of(
    user: User, meeting_id: UUID | str, roles: Sequence[tuple[int, str]]
) -> tuple[Meeting, bool]:
    """The meeting, as `meetings_visible_to` lets the user see it (404 otherwise), and whether
    the user may organise it: a process coordinator or meeting secretary of its house."""
    meeting = (
        Meeting.objects.select_related("body", "house")
        .filter(pk=meeting_id, house_id__in={house_id for house_id, _role in roles})
        .first()
    )
    if meeting is None:
        raise NotFound("Dit overleg bestaat niet of u werkt niet in dit huis.")
    may_organise = any(
        house_id == meeting.house_id and role in SCHEDULING_ROLES for house_id, role in roles
    )
    return meeting, may_organise


def _visible_agenda(
    user: User, meeting: Meeting, roles: Sequence[tuple[int, str]]
) -> QuerySet[AgendaItem]:
    """The meeting's items of cases the user may see: the one purpose-limitation filter of the
    agenda screen and its exports."""
    return AgendaItem.objects.filter(
        meeting=meeting, case__in=cases_visible_to(user, roles_read=roles)
    ).order_by("position")


def _meeting_sheet(user: User, meeting_id: UUID | str) -> MeetingSheet:
    roles = _roles_read(user)
    meeting, may_organise = _meeting_of(user, meeting_id, roles)
    items = list(
        _visible_agenda(user, meeting, roles)
        .select_related("case", "case__track", "case__case_coordinator_party")
        .prefetch_related("case__persons", "case__case_parties__party", "decisions__decision_type")
    )
    return MeetingSheet(meeting, items, may_organise)


def _record_meeting(
    user: User,
    meeting: Meeting,
    item_ids: Sequence[UUID],
    person_ids: Sequence[UUID],
    *,
    action: AuditAction,
    reason: str,
) -> None:
    """The one audit event of a meeting read: the meeting, every item shown, their persons."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action=action,
            object_type="meeting",
            object_id=meeting.pk,
            object_ids=[str(pk) for pk in item_ids],
            person_ids=list(person_ids),
            house_id=meeting.house_id,
            purpose="meeting",
            reason=reason,
        )


def meeting_for(
    user: User,
    meeting_id: UUID | str,
    *,
    action: AuditAction = AuditAction.SEARCH,
    reason: str = "",
) -> MeetingSheet:
    """A meeting and the agenda items the user may see, recorded naming every item shown.
    Exports pass `AuditAction.EXPORT` or `PRINT` with what was made, so a PDF or calendar
    file is an event of its own (NEN 7513: export)."""
    sheet = _meeting_sheet(user, meeting_id)
    _record_meeting(
        user,
        sheet.meeting,
        [i.pk for i in sheet.items],
        [p.pk for i in sheet.items for p in i.case.persons.all()],
        action=action,
        reason=reason,
    )
    return sheet


@dataclass(frozen=True)
class AgendaRow:
    """One agenda item as the meeting screen shows it, its texts ready.

    A meeting has 50-120 visible items; as model graphs (case, persons, parties, decisions)
    they cost more to build and to walk in the template than the rest of the page
    (docs/performance.md, pages)."""

    pk: UUID
    case_id: UUID
    case_url: str
    record_url: str  # where the organisers record minutes and decisions
    position: int
    title: str  # the case's first person, or its kind of subject when it names none
    purpose: str
    parties: list[str]  # "party (role)", in invitation order
    minutes: str
    progress: str
    decisions: list[tuple[str | None, str]]  # (decision type label or None, text)

    # The heading and the invited parties as one text each: every value a template writes
    # costs a lookup and an escape, and three values and a `|join` per item added about 3 ms
    # to a meeting of 60 items.
    @property
    def heading(self) -> str:
        """The item's heading: its position, title and purpose."""
        return f"{self.position}. {self.title} — {self.purpose}"

    @property
    def invited(self) -> str:
        """The invited parties as the item lists them."""
        return ", ".join(self.parties)


@dataclass(frozen=True)
class MeetingPage:
    """The meeting screen: the same items, filter and audit event as `meeting_for`."""

    meeting: Meeting
    items: list[AgendaRow]
    may_organise: bool


def meeting_page_for(user: User, meeting_id: UUID | str) -> MeetingPage:
    """The meeting screen's agenda: only the shown fields, read as rows in four queries."""
    roles = _roles_read(user)
    meeting, may_organise = _meeting_of(user, meeting_id, roles)
    items = list(
        _visible_agenda(user, meeting, roles).values_list(
            "pk", "case_id", "position", "purpose", "minutes", "progress", "case__subject_kind"
        )
    )
    case_ids = [item[1] for item in items]
    # Person, CaseParty and Decision keep their model ordering, as the prefetches of
    # `meeting_for` read them: the first person heads the item and the audit names all.
    persons = _persons_of(case_ids)
    parties: dict[UUID, list[str]] = defaultdict(list)
    for case_id, name, role in CaseParty.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "party__name", "role"
    ):
        parties[case_id].append(f"{name} ({role})")
    decisions: dict[UUID, list[tuple[str | None, str]]] = defaultdict(list)
    for item_id, type_id, label, text in Decision.objects.filter(
        agenda_item_id__in=[item[0] for item in items]
    ).values_list("agenda_item_id", "decision_type_id", "decision_type__label", "text"):
        decisions[item_id].append((label if type_id is not None else None, text))
    case_url = link_for_each("cases:detail")
    record_url = link_for_each("cases:agenda-item")
    rows = [
        AgendaRow(
            pk=pk,
            case_id=case_id,
            case_url=case_url(case_id),
            record_url=record_url(pk),
            position=position,
            title=(
                persons[case_id][0][1]
                if persons[case_id]
                else str(label_for(Case, "subject_kind", subject_kind))
            ),
            purpose=str(label_for(AgendaItem, "purpose", purpose)),
            parties=parties[case_id],
            minutes=minutes,
            progress=progress,
            decisions=decisions[pk],
        )
        for pk, case_id, position, purpose, minutes, progress, subject_kind in items
    ]
    _record_meeting(
        user,
        meeting,
        [row.pk for row in rows],
        [person_id for row in rows for person_id, _name in persons[row.case_id]],
        action=AuditAction.SEARCH,
        reason="",
    )
    return MeetingPage(meeting, rows, may_organise)


def agenda_candidates_for(
    user: User, meeting_id: UUID | str, search: str, *, limit: int = 10
) -> list[CaseRow]:
    """The cases an organiser of the meeting may put on its agenda whose persons match every
    word of `search` (given names or surname, any part): accepted or active cases of the
    meeting's house, of a track its body discusses, that the user sees and that are not on
    this agenda yet, newest first.
    Recorded as one search naming what it returned; the words themselves are not recorded,
    being personal data. A planned meeting only; others and other users are refused."""
    roles = _roles_read(user)
    meeting, may_organise = _meeting_of(user, meeting_id, roles)
    if not may_organise:
        raise NotAllowed("Alleen de procesregisseur of notulist van dit huis agendeert.")
    if meeting.status != MeetingStatus.PLANNED:
        raise NotAllowed("Dit overleg is al gehouden of afgelast.")
    found = cases_visible_to(user, roles_read=roles).filter(
        house_id=meeting.house_id,
        phase__in=(Phase.ACCEPTED, Phase.ACTIVE),
        # Tracks the meeting's body discusses (services.agenda_item_add); one row per case.
        track__bodies=meeting.body_id,
    )
    for word in search.split():
        found = found.filter(
            Exists(
                Person.objects.filter(case_id=OuterRef("pk")).filter(
                    Q(surname__icontains=word) | Q(given_names__icontains=word)
                )
            )
        )
    found = found.exclude(agenda_items__meeting=meeting).order_by("-referred_at", "-id")
    values = _row_values(found, 0, limit)
    case_ids = [row[0] for row in values]
    persons = _persons_of(case_ids)
    _record_cases(user, case_ids, persons, purpose="agenda_search")
    return _case_rows(values, persons)


def agenda_item_for(user: User, agenda_item_id: UUID | str) -> tuple[CaseAccess, AgendaItem]:
    """One agenda item of a case the user may see, with its decisions; audited."""
    with transaction.atomic():
        case_id = (
            AgendaItem.objects.filter(pk=agenda_item_id, case__in=cases_visible_to(user))
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is None:
            raise NotFound("Dit agendapunt bestaat niet of u heeft er geen rol in.")
        access = access_for_read(user, case_id)
        item = (
            AgendaItem.objects.select_related("meeting", "meeting__body")
            .prefetch_related("decisions__decision_type")
            .get(pk=agenda_item_id)
        )
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="agendaitem",
            object_id=item.pk,
            case_id=case_id,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
        )
    return access, item


@dataclass(frozen=True)
class PlanSheet:
    access: CaseAccess
    plan: ActionPlan | None
    actions: list[Action]
    versions: list[ActionPlanVersion]


def plan_for(
    user: User, case_id: UUID | str, *, action: AuditAction = AuditAction.READ, reason: str = ""
) -> PlanSheet:
    """The action plan of a case with its actions and earlier versions, audited; exports pass
    `AuditAction.EXPORT`."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        plan = ActionPlan.objects.filter(case=access.case).first()
        actions = (
            list(plan.actions.select_related("owner_party", "owner").order_by("due_on", "pk"))
            if plan
            else []
        )
        versions = (
            list(plan.versions.select_related("changed_by").order_by("-number")) if plan else []
        )
        audit_record(
            actor=user,
            action=action,
            object_type="actionplan",
            object_id=plan.pk if plan else "",
            object_ids=[str(a.pk) for a in actions],
            case_id=access.case.pk,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
            reason=reason,
        )
    return PlanSheet(access, plan, actions, versions)


@dataclass(frozen=True)
class ActionChange:
    """One action of a plan, read by the case's process coordinator to change it."""

    access: CaseAccess
    action: Action


def action_for(user: User, action_id: UUID | str) -> Action:
    """An action of a case the user may see, with its owner party; the read is recorded.
    404 when the action or its case is not visible."""
    with transaction.atomic():
        found = Action.objects.filter(pk=action_id).values_list("plan__case_id", flat=True).first()
        if found is None:
            raise NotFound("Deze actie bestaat niet.")
        access = access_for_read(user, found)
        action = Action.objects.select_related("owner_party", "plan").get(pk=action_id)
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="action",
            object_id=action.pk,
            case_id=access.case.pk,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
        )
    return action


def action_for_change(user: User, action_id: UUID | str) -> ActionChange:
    """An action with its case, for the process coordinator of the case (who alone changes
    what and when, `services.action_update`); the read is recorded. 404 when the action or its
    case is not visible, 403 for anyone else who sees the case."""
    with transaction.atomic():
        case_id = Action.objects.filter(pk=action_id).values_list("plan__case_id", flat=True)
        found = case_id.first()
        if found is None:
            raise NotFound("Deze actie bestaat niet.")
        access = access_for_read(user, found)
        if not access.is_process_coordinator:
            raise NotAllowed(
                "Alleen de procesregisseur wijzigt acties; de eigenaar-partij meldt de status."
            )
        action = Action.objects.select_related("owner_party").get(pk=action_id)
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="action",
            object_id=action.pk,
            case_id=access.case.pk,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
        )
    return ActionChange(access, action)


@dataclass(frozen=True)
class ActionRow:
    """An action as the party's action list shows it, its texts and links ready (a list of
    100 rows, each with its own status form)."""

    pk: UUID
    what: str
    due_on: str  # dd-mm-yyyy
    is_overdue: bool
    status: str
    status_url: str
    plan_url: str
    version: int


def actions_of_party_for(user: User, *, limit: int = 100) -> list[ActionRow]:
    """Open actions the user's party owns in running cases it may see, oldest due first.

    Only the fields the list shows are read (what, due date, status, the case of the plan),
    with `is_overdue` against today in the user's time zone; the id breaks ties of the due
    date, so the same hundred are shown, and named in the audit event, on every visit."""
    actions = list(
        Action.objects.filter(
            owner_party_id=user.party_id or 0,
            status=ActionStatus.OPEN,
            plan__case__in=cases_visible_to(user),
            plan__case__phase=Phase.ACTIVE,
        )
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(due_on__lt=timezone.localdate()), output_field=BooleanField()
            )
        )
        .order_by("due_on", "pk")
        .values_list("pk", "what", "due_on", "is_overdue", "status", "version", "plan__case_id")[
            :limit
        ]
    )
    listing_record(
        user,
        object_type="action",
        object_ids=[action[0] for action in actions],
        case_ids=[action[-1] for action in actions],
        purpose="own_actions",
    )
    status_url = link_for_each("cases:action-status")
    plan_url = link_for_each("cases:plan")
    return [
        ActionRow(
            pk=pk,
            what=what,
            due_on=due_on.strftime("%d-%m-%Y"),
            is_overdue=is_overdue,
            status=status,
            status_url=status_url(pk),
            plan_url=plan_url(case_id),
            version=version,
        )
        for pk, what, due_on, is_overdue, status, version, case_id in actions
    ]


@dataclass(frozen=True)
class HouseFigures:
    """Counts for a manager: no person, no case content (PRODUCT.md section 6)."""

    house: str
    by_phase: list[tuple[str, int]]
    open_actions: int
    overdue_actions: int
    planned_meetings: int


def house_figures_for(user: User) -> list[HouseFigures]:
    """The work of each house the user manages, as counts; refused for anyone else."""
    houses = list(
        roles_in_force(user)
        .filter(role__in=[Role.MANAGER, Role.LOCATION_MANAGER])
        .values_list("house_id", "house__name")
        .distinct()
        .order_by("house__name")
    )
    if not houses:
        raise NotAllowed("Alleen een (keten- of locatie)manager ziet het overzicht van het huis.")
    ids = [pk for pk, _name in houses]
    phases: dict[int, dict[str, int]] = {}
    for row in (
        Case.objects.filter(house_id__in=ids).values("house_id", "phase").annotate(n=Count("id"))
    ):
        phases.setdefault(row["house_id"], {})[row["phase"]] = row["n"]
    today = timezone.localdate()
    actions: dict[int, tuple[int, int]] = {
        row["plan__case__house_id"]: (row["open"], row["overdue"])
        for row in Action.objects.filter(
            plan__case__house_id__in=ids,
            status=ActionStatus.OPEN,
            plan__case__phase=Phase.ACTIVE,
        )
        .values("plan__case__house_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    }
    meetings = dict(
        Meeting.objects.filter(
            house_id__in=ids, status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
        )
        .values("house_id")
        .annotate(n=Count("id"))
        .values_list("house_id", "n")
    )
    return [
        HouseFigures(
            house=name,
            by_phase=[(str(p.label), phases.get(pk, {}).get(p.value, 0)) for p in Phase],
            open_actions=actions.get(pk, (0, 0))[0],
            overdue_actions=actions.get(pk, (0, 0))[1],
            planned_meetings=meetings.get(pk, 0),
        )
        for pk, name in houses
    ]


def participating_parties(case_id: UUID | str) -> QuerySet[Party]:
    """The current covenant parties taking part in a case, for a form's choices; the caller
    has already read the case through an authorising selector."""
    return (
        Party.objects.filter(
            pk__in=CaseParty.objects.filter(case_id=case_id).values("party_id"),
            memberships__status=MembershipStatus.MEMBER,
        )
        .distinct()
        .order_by("name")
    )


# Advice requests --------------------------------------------------------------------------
# An advice request (adviesvraag, Gelderland-Midden Bijlage 3 "Adviesfase") holds no person
# rows, only the question and the advice as free text: its reads name the request, and the
# case it led to, but no person id.


def advice_requests_visible_to(user: User) -> QuerySet[AdviceRequest]:
    """The advice requests `user` may read, filtered in the database: every request of the
    houses where it is process coordinator (they answer them), and the requests its own party
    asked in houses where it holds a case role (to read the advice given)."""
    if not user.is_active or user.party_id is None:
        return AdviceRequest.objects.none()
    roles = list(roles_in_force(user).filter(role__in=CASE_ROLES).values_list("house_id", "role"))
    working = sorted({house for house, _role in roles})
    if not working:
        return AdviceRequest.objects.none()
    coordinated = sorted({house for house, role in roles if role == Role.PROCESS_COORDINATOR})
    return AdviceRequest.objects.filter(
        Q(house_id__in=coordinated) | Q(house_id__in=working, requesting_party_id=user.party_id)
    )


def _age_in_days(moment: datetime.datetime, today: datetime.date) -> int:
    return (today - timezone.localdate(moment)).days


@dataclass(frozen=True)
class AdviceRow:
    """One advice request as the advice list shows it, its texts ready."""

    pk: UUID
    url: str
    house: str
    requesting_party: str
    question: str
    recorded_on: str  # dd-mm-yyyy
    age_days: int  # days since it was recorded (open requests)
    outcome: str
    advice: str
    concluded_on: str  # dd-mm-yyyy, or "" while open
    case_url: str  # the case it was referred as, or ""


@dataclass(frozen=True)
class AdviceOverview:
    """The open advice requests, longest waiting first, and the most recently concluded."""

    open: list[AdviceRow]
    concluded: list[AdviceRow]


def _advice_rows(requests: QuerySet[AdviceRequest], today: datetime.date) -> list[AdviceRow]:
    advice_url = link_for_each("cases:advice")
    case_url = link_for_each("cases:detail")
    return [
        AdviceRow(
            pk=pk,
            url=advice_url(pk),
            house=house,
            requesting_party=party,
            question=question,
            recorded_on=timezone.localtime(created_at).strftime("%d-%m-%Y"),
            age_days=_age_in_days(created_at, today),
            outcome=str(label_for(AdviceRequest, "outcome", outcome)),
            advice=advice,
            concluded_on=(
                timezone.localtime(concluded_at).strftime("%d-%m-%Y") if concluded_at else ""
            ),
            case_url=case_url(case_id) if case_id else "",
        )
        for pk, house, party, question, created_at, outcome, advice, concluded_at, case_id in (
            requests.values_list(
                "pk",
                "house__name",
                "requesting_party__name",
                "question",
                "created_at",
                "outcome",
                "advice",
                "concluded_at",
                "case_id",
            )
        )
    ]


def advice_overview_for(
    user: User, *, open_limit: int = 200, concluded_limit: int = 25
) -> AdviceOverview:
    """The advice requests the user may read: open ones oldest first (the process
    coordinator's to conclude), then the `concluded_limit` most recently concluded. Recorded
    as one search naming every request shown."""
    today = timezone.localdate()
    visible = advice_requests_visible_to(user)
    opened = _advice_rows(
        visible.filter(outcome=AdviceOutcome.OPEN).order_by("created_at", "id")[:open_limit],
        today,
    )
    concluded = _advice_rows(
        visible.exclude(outcome=AdviceOutcome.OPEN).order_by("-concluded_at", "-id")[
            :concluded_limit
        ],
        today,
    )
    advice_listing_record(user, [row.pk for row in [*opened, *concluded]], purpose="advice_list")
    return AdviceOverview(open=opened, concluded=concluded)


def advice_listing_record(user: User, advice_ids: Sequence[UUID], *, purpose: str) -> None:
    """One search event for a list of advice requests, naming the requests returned."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="advicerequest",
            object_ids=[str(pk) for pk in advice_ids],
            purpose=purpose,
        )


@dataclass(frozen=True)
class AdviceSheet:
    """One advice request, with what the reader may do with it."""

    advice: AdviceRequest
    age_days: int
    may_conclude: bool  # a process coordinator of the house, while it is open
    may_refer: bool  # the house's process coordinator or the asking party, while it is open


def advice_request_for(user: User, advice_id: UUID | str) -> AdviceSheet:
    """One advice request the user may read, recording the read; 404 otherwise."""
    with transaction.atomic():
        advice = (
            advice_requests_visible_to(user)
            .select_related("house", "requesting_party", "recorded_by")
            .filter(pk=advice_id)
            .first()
        )
        if advice is None:
            raise NotFound("Deze adviesvraag bestaat niet of u kunt haar niet inzien.")
        coordinates = (
            roles_in_force(user)
            .filter(house_id=advice.house_id, role=Role.PROCESS_COORDINATOR)
            .exists()
        )
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="advicerequest",
            object_id=advice.pk,
            case_id=advice.case_id or "",
            house_id=advice.house_id,
            role=Role.PROCESS_COORDINATOR if coordinates else Role.PARTNER_PROFESSIONAL,
            purpose="advice",
        )
    is_open = advice.outcome == AdviceOutcome.OPEN
    return AdviceSheet(
        advice=advice,
        age_days=_age_in_days(advice.created_at, timezone.localdate()),
        may_conclude=is_open and coordinates,
        may_refer=is_open and (coordinates or advice.requesting_party_id == user.party_id),
    )
