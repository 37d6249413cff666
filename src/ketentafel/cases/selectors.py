# SPDX-License-Identifier: EUPL-1.2
"""Reads of cases, scoped to the actor: fetching and authorising in one call."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import CASE_ROLES, Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_listing
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import (
    OPEN_PHASES,
    Case,
    CaseParty,
    Closure,
    Person,
    Phase,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.policies import TRIAGE_ROLES, CaseAccess, case_access_q
from ketentafel.core.choices import label_for
from ketentafel.core.errors import InvalidTransition, NotAllowed, NotFound
from ketentafel.core.links import link_for_each
from ketentafel.covenants.models import Covenant, Party


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
    "house__covenant",
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
        raise NotFound(_("Deze casus bestaat niet of u heeft er geen rol in.")) from None
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


def covenant_of_case_for(user: User, case_id: UUID | str) -> Covenant | None:
    """The covenant whose triage rules (`[triage]`, `[criteria]`) apply to a case the user
    sees; None when the case is missing or out of sight, so the caller's service tells which."""
    return (
        Covenant.objects.filter(
            houses__cases__in=cases_visible_to(user).filter(pk=case_id).values("pk")
        )
        .distinct()
        .first()
    )


def hears_back(access: CaseAccess) -> bool:
    """Whether the actor reads what the house told the referrer about the case: the referring
    party's people, the case's coordinators and the house's triage staff (art. 8.3a: "Er gaat
    dan een advies naar de aanmelder"). Other participants do not read the triage's reasons."""
    return (
        access.user.party_id == access.case.referring_party_id
        or access.is_assigned_coordinator
        or access.has_role(*TRIAGE_ROLES)
    )


def triage_outcome_for(access: CaseAccess) -> TriageDecision | None:
    """The case's latest triage decision with its advice, for those who hear back."""
    if not hears_back(access):
        return None
    return TriageDecision.objects.filter(case=access.case).order_by("-decided_at").first()


def closure_notice_for(access: CaseAccess) -> Closure | None:
    """The case's closure with what the referrer was told, for those who hear back."""
    if not hears_back(access):
        return None
    return Closure.objects.filter(case=access.case).first()


def get_case_for(user: User, case_id: UUID | str) -> CaseAccess:
    """One case the user may see, with its persons, recording the read; 404 otherwise."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        case = access.case
        case_audit(access, AuditAction.READ, object_type="case", object_id=case.pk)
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
        raise NotFound(_("Deze casus bestaat niet of u heeft er geen rol in."))
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
        _("Over deze casus is al besloten (%(outcome)s); de casus is nu in fase '%(phase)s'.")
        % {"outcome": TriageOutcome(decision.outcome).label, "phase": Phase(case.phase).label}
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
        return NotFound(_("Deze casus bestaat niet of u heeft er geen rol in."))
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
            _("Deze aanmelding is al in behandeling genomen door een andere procesregisseur.")
        )
    return NotFound(_("Deze casus bestaat niet of u heeft er geen rol in."))


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
    audit_listing(
        user,
        object_type=object_type,
        object_ids=object_ids,
        person_ids=Person.objects.filter(case_id__in=set(case_ids)).values_list("id", flat=True),
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
            raise NotAllowed(_("Alleen de procesregie ziet of een persoon elders bekend is."))
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
        case_audit(
            access,
            AuditAction.SEARCH,
            object_type="already_known",
            object_id=case.pk,
            object_ids=sorted(str(i) for i in other_ids),
        )
    return found


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
    audit_listing(
        user,
        object_type="case",
        object_ids=sorted(str(pk) for pk in case_ids),
        person_ids=[person_id for names in persons.values() for person_id, _name in names],
        purpose="case_list",
    )
    return CasePage(_case_rows(shown, persons), page, len(values) > per_page)


def _roles_read(user: User) -> list[tuple[int, str]]:
    """The user's roles in force as (house id, role), read once for a meeting read: which
    meetings the user sees, whether the user organises one, which of its cases the user sees."""
    return list(roles_in_force(user).values_list("house_id", "role"))


def participating_parties(case_id: UUID | str) -> QuerySet[Party]:
    """The parties taking part in a case that are still current members of its house's
    covenant, for a form's choices; the caller has already read the case through an
    authorising selector."""
    house = Case.objects.filter(pk=case_id).values("house_id")
    return (
        Party.objects.members_of_houses(house)  # type: ignore[arg-type]
        .filter(pk__in=CaseParty.objects.filter(case_id=case_id).values("party_id"))
        .order_by("name")
    )
