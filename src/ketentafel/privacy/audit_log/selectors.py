# SPDX-License-Identifier: EUPL-1.2
"""Reading the audit log: searches for privacy officers and the access report per person.

Every read of the log is itself an event (NEN 7513: the log is protected as well as the data).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action, AuditEvent, EventPerson
from ketentafel.audit.services import audit_record
from ketentafel.privacy.audit_log.policies import audit_scope_for


@dataclass(frozen=True)
class EventFilter:
    person_id: str | None = None
    actor_id: int | None = None
    case_id: str | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    action: str | None = None


def _filtered(events: QuerySet[AuditEvent], where: EventFilter) -> QuerySet[AuditEvent]:
    if where.person_id:
        events = events.filter(
            pk__in=EventPerson.objects.filter(person_id=where.person_id).values("event_id")
        )
    if where.actor_id is not None:
        events = events.filter(actor_id=where.actor_id)
    if where.case_id:
        events = events.filter(case_id=where.case_id)
    if where.since is not None:
        events = events.filter(occurred_at__gte=where.since)
    if where.until is not None:
        events = events.filter(occurred_at__lt=where.until)
    if where.action:
        events = events.filter(action=where.action)
    return events


def events_visible_to(user: User, where: EventFilter) -> QuerySet[AuditEvent]:
    """The events a privacy officer may read that match `where`, newest first."""
    scope = audit_scope_for(user)
    return _filtered(AuditEvent.objects.filter(scope.q()), where).order_by("-seq")


def reading_record(user: User, events: Sequence[AuditEvent], where: EventFilter) -> None:
    """One search event for a page of the log that was read, naming the events returned."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action=Action.SEARCH,
            object_type="auditevent",
            object_ids=[e.seq for e in events],
            person_ids=[where.person_id] if where.person_id else [],
            case_id=where.case_id or "",
            role="privacy_officer",
            purpose="audit",
        )


@dataclass(frozen=True)
class AccessLine:
    """One access to a person's data, as a data subject or privacy officer is told of it."""

    seq: int
    occurred_at: datetime.datetime
    action: str
    result: str
    object_type: str
    case_id: str
    actor_id: int | None
    actor_name: str
    party_name: str
    role: str
    purpose: str


def _lines(events: list[AuditEvent]) -> list[AccessLine]:
    """The events as report lines, with who did them (their users read in one query)."""
    actor_ids = {e.actor_id for e in events if e.actor_id is not None}
    actors = {u.pk: u for u in User.objects.filter(pk__in=actor_ids).select_related("party")}
    lines = []
    for event in events:
        actor = actors.get(event.actor_id) if event.actor_id is not None else None
        lines.append(
            AccessLine(
                seq=event.seq,
                occurred_at=event.occurred_at,
                action=event.action,
                result=event.result,
                object_type=event.object_type,
                case_id=event.case_id,
                actor_id=event.actor_id,
                actor_name=(actor.get_full_name() or actor.username) if actor else "",
                party_name=actor.party.name if actor and actor.party else "",
                role=event.role,
                purpose=event.purpose,
            )
        )
    return lines


def person_access_report(person_ids: Iterable[str], *, within: Q | None = None) -> list[AccessLine]:
    """Every event about these persons, oldest first: who, for which party, did what, when.

    The caller authorises the reader (a privacy officer, or the data-subject request service)
    and records the read; `within` narrows the events to a reader's scope.
    """
    ids = sorted({str(p) for p in person_ids})
    events = AuditEvent.objects.filter(
        pk__in=EventPerson.objects.filter(person_id__in=ids).values("event_id")
    )
    if within is not None:
        events = events.filter(within)
    found = list(events.order_by("seq"))
    return _lines(found)


def person_access_report_for(user: User, person_id: str) -> list[AccessLine]:
    """The access report for one person, limited to what this privacy officer may read."""
    scope = audit_scope_for(user)
    lines = person_access_report([person_id], within=scope.q())
    with transaction.atomic():
        audit_record(
            actor=user,
            action=Action.READ,
            object_type="access_report",
            object_id=person_id,
            object_ids=[line.seq for line in lines],
            person_ids=[person_id],
            role="privacy_officer",
            purpose="audit",
        )
    return lines


def event_page_for(user: User, where: EventFilter, *, limit: int = 200) -> list[AccessLine]:
    """A privacy officer's search as a screen shows it: the newest matching events with who
    did them, the read itself recorded (NEN 7513)."""
    events = list(events_visible_to(user, where)[:limit])
    reading_record(user, events, where)
    return _lines(events)
