# SPDX-License-Identifier: EUPL-1.2
"""Reads that combine the rooms of the case process for one screen: the work queue and the
manager's overview. Every list is a part of `cases_visible_to` (the one access rule)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.audit.services import audit_listing
from ketentafel.cases.models import (
    OPEN_PHASES,
    Case,
    Phase,
)
from ketentafel.cases.policies import TRIAGE_ROLES, coordinated_by_q
from ketentafel.cases.selectors import (
    CaseRow,
    _case_rows,
    _known_elsewhere,
    _persons_of,
    _roles_read,
    _row_values,
    _RowValues,
    cases_visible_to,
)
from ketentafel.core.errors import NotAllowed
from ketentafel.core.links import link_for_each
from ketentafel.meetings.models import AgendaItem, Meeting, MeetingStatus
from ketentafel.meetings.selectors import meetings_visible_to
from ketentafel.plans.models import Action, ActionStatus
from ketentafel.plans.selectors import overdue_actions_by_party


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
    # The secretary prepares the session where a body weighs the cases in triage (IJsselland
    # art. 15.2, Bijlage 3 fase 2): those of tracks weighed in session, not every case in triage
    # she sees through her party.
    prepared_houses = houses.get(Role.MEETING_SECRETARY, set()) - triage_houses
    in_session = Q(track__triage_in_session=True)

    # New referrals and triage are queues: the longest waiting first, so none drops off the
    # list while newer ones arrive. One walk along `case_house_phase` per house, merged: with
    # several houses in one IN the planner walks `case_recent` from the oldest case instead.
    def longest_waiting(
        phase: Phase, house_ids: set[int], only: Q | None = None
    ) -> list[_RowValues]:
        waiting = visible.filter(only or Q(), phase=phase).order_by("referred_at", "id")
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
    triage = sorted(
        longest_waiting(Phase.TRIAGE, triage_houses)
        + longest_waiting(Phase.TRIAGE, prepared_houses, in_session),
        key=lambda row: (row[1], row[0]),
    )[:limit]
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
    audit_listing(
        user,
        object_type="case",
        object_ids=sorted(str(pk) for pk in case_ids),
        person_ids=[person_id for names in persons.values() for person_id, _name in names],
        purpose="work_queue",
    )
    plan_url = link_for_each("plans:plan")
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
        triage_total=total(
            triage,
            visible.filter(
                Q(house_id__in=triage_houses) | (Q(house_id__in=prepared_houses) & in_session),
                phase=Phase.TRIAGE,
            ),
        ),
        coordinated_total=coordinated_total,
        overdue_total=total(overdue, overdue_all),
    )


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
        raise NotAllowed(
            _("Alleen een (keten- of locatie)manager ziet het overzicht van het huis.")
        )
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
