# SPDX-License-Identifier: EUPL-1.2
"""Reads of cases, scoped to the actor: fetching and authorising in one call."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.models import (
    OPEN_PHASES,
    Action,
    ActionStatus,
    Case,
    CaseParty,
    Meeting,
    Person,
    Phase,
)
from ketentafel.cases.policies import CaseAccess, case_access_q
from ketentafel.core.errors import NotAllowed, NotFound


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases `user` may see, filtered in the database in one query."""
    return Case.objects.filter(case_access_q(user))


def _with_access(user: User, queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.filter(case_access_q(user)).annotate(
        is_case_party=Exists(
            CaseParty.objects.filter(case=OuterRef("pk"), party_id=user.party_id or 0)
        )
    )


def _access(user: User, case: Case) -> CaseAccess:
    roles = frozenset(
        roles_in_force(user).filter(house_id=case.house_id).values_list("role", flat=True)
    )
    return CaseAccess(
        case=case,
        user=user,
        house_roles=roles,
        is_case_party=bool(getattr(case, "is_case_party", False)),
    )


def access_for_read(user: User, case_id: UUID | str) -> CaseAccess:
    """One case the user may see, with its persons, for a caller that audits the read itself;
    404 when missing or not visible."""
    case = (
        _with_access(user, Case.objects.all())
        .filter(pk=case_id)
        .select_related(
            "house",
            "track",
            "municipality",
            "referring_party",
            "case_coordinator_party",
            "process_coordinator",
            "information_coordinator",
        )
        .prefetch_related("persons", "themes")
        .first()
    )
    if case is None:
        raise NotFound("Deze casus bestaat niet of u heeft er geen rol in.")
    return _access(user, case)


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


def access_for_update(user: User, case_id: UUID | str) -> CaseAccess:
    """Lock a visible case for a change in the caller's transaction; 404 otherwise."""
    case = (
        _with_access(user, Case.objects.select_for_update(of=("self",)))
        .filter(pk=case_id)
        .select_related("house", "track")
        .first()
    )
    if case is None:
        raise NotFound("Deze casus bestaat niet of u heeft er geen rol in.")
    return _access(user, case)


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


def overdue_actions_by_party(user: User, *, today: datetime.date | None = None) -> QuerySet[Action]:
    """For a process coordinator: overdue actions in the cases it coordinates, per party."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(
            plan__case__process_coordinator=user,
            status=ActionStatus.OPEN,
            due_on__lt=today,
            plan__case__phase=Phase.ACTIVE,
        )
        .select_related("owner_party", "plan")
        .order_by("owner_party__name", "due_on")
    )
