# SPDX-License-Identifier: EUPL-1.2
"""Reads of security incidents, scoped to the privacy officer and audited; and the steering
group's periodic incident report, counts only.

The screens read what the API reads and record it the same way (a search naming the rows a
list returned, a read of one incident), in the transaction of the read itself.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.core.errors import NotFound
from ketentafel.covenants.models import House
from ketentafel.incidents.models import (
    DataCategory,
    IncidentEntry,
    IncidentStatus,
    SecurityIncident,
)
from ketentafel.incidents.policies import steering_report_houses
from ketentafel.privacy.policies import privacy_scope_for
from ketentafel.privacy.selectors import CLOSED_SHOWN, listing_record, privacy_record

# Incidents ----------------------------------------------------------------------------------


def incidents_visible_to(actor: User) -> QuerySet[SecurityIncident]:
    scope = privacy_scope_for(actor)
    return SecurityIncident.objects.filter(house_id__in=scope.officer_house_ids)


def get_incident_for(actor: User, incident_id: UUID) -> SecurityIncident:
    incident = (
        incidents_visible_to(actor).filter(pk=incident_id).prefetch_related("entries").first()
    )
    if incident is None:
        raise NotFound(gettext("Dit incident bestaat niet."))
    privacy_record(
        actor,
        AuditAction.READ,
        "securityincident",
        object_id=incident.pk,
        house_id=incident.house_id,
    )
    return incident


@dataclass(frozen=True)
class IncidentReport:
    """Counts of incidents for the steering group, without descriptions or names."""

    since: datetime.date
    until: datetime.date
    house_ids: list[int]
    total: int
    open: int
    people_affected: int
    by_category: dict[str, int]
    by_month: dict[str, int]
    authority_required: int
    authority_not_required: int
    undecided: int
    notified_in_time: int
    notified_late: int
    not_yet_notified: int
    subjects_notified: int


def incident_report_for(
    actor: User, *, since: datetime.date, until: datetime.date, house_id: int | None = None
) -> IncidentReport:
    """The periodic incident report (Midden-Nederland Bijlage 4; Gelderland-Midden Bijlage 4)."""
    houses = steering_report_houses(actor)
    if house_id is not None:
        if house_id not in houses:
            raise NotFound(gettext("Dit veiligheidshuis bestaat niet of u heeft er geen rol."))
        houses = frozenset({house_id})
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.min))
    incidents = list(
        SecurityIncident.objects.filter(
            house_id__in=houses, discovered_at__gte=start, discovered_at__lt=end
        )
    )
    categories: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for incident in incidents:
        categories.update(incident.data_categories)
        months[timezone.localtime(incident.discovered_at).strftime("%Y-%m")] += 1
    report = IncidentReport(
        since=since,
        until=until,
        house_ids=sorted(houses),
        total=len(incidents),
        open=sum(1 for i in incidents if i.status == IncidentStatus.OPEN),
        people_affected=sum(i.people_affected for i in incidents),
        by_category=dict(sorted(categories.items())),
        by_month=dict(sorted(months.items())),
        authority_required=sum(1 for i in incidents if i.must_notify_authority is True),
        authority_not_required=sum(1 for i in incidents if i.must_notify_authority is False),
        undecided=sum(1 for i in incidents if i.must_notify_authority is None),
        notified_in_time=sum(1 for i in incidents if i.notified_in_time is True),
        notified_late=sum(1 for i in incidents if i.notified_in_time is False),
        not_yet_notified=sum(
            1 for i in incidents if i.must_notify_authority and i.authority_notified_at is None
        ),
        subjects_notified=sum(1 for i in incidents if i.subjects_notified_at is not None),
    )
    privacy_record(
        actor,
        AuditAction.READ,
        "incident_report",
        object_ids=[i.pk for i in incidents],
        role="steering_report",
    )
    return report


def steering_report_houses_for(actor: User) -> QuerySet[House]:
    """The houses whose incident report the actor may read (the report form's choices);
    refused for every other role (`policies.steering_report_houses`). Names only: no audit."""
    return House.objects.filter(pk__in=steering_report_houses(actor)).order_by("name")


@dataclass(frozen=True)
class IncidentRow:
    """An incident with the 72-hour clock of art. 33: whole hours left, or hours late."""

    incident: SecurityIncident
    deadline: datetime.datetime
    seconds_left: int | None

    @property
    def is_overdue(self) -> bool:
        return self.seconds_left is not None and self.seconds_left < 0

    @property
    def is_due_soon(self) -> bool:
        return self.seconds_left is not None and 0 <= self.seconds_left < 24 * 3600

    @property
    def hours_left(self) -> int:
        return max(self.seconds_left or 0, 0) // 3600

    @property
    def hours_overdue(self) -> int:
        """Started hours past the deadline: one second late is one hour late."""
        return -((self.seconds_left or 0) // 3600) if self.is_overdue else 0


def _incident_row(incident: SecurityIncident, now: datetime.datetime) -> IncidentRow:
    return IncidentRow(incident, incident.notification_deadline, incident.seconds_remaining(now))


def incident_rows_for(actor: User, *, now: datetime.datetime | None = None) -> list[IncidentRow]:
    """Open incidents of the officer's houses, the earliest notification deadline first, then
    the most recent closed ones; recorded as one search naming them all."""
    now = now or timezone.now()
    incidents = incidents_visible_to(actor)
    with transaction.atomic():
        open_incidents = list(
            incidents.filter(status=IncidentStatus.OPEN).order_by("discovered_at", "pk")
        )
        closed = list(
            incidents.filter(status=IncidentStatus.CLOSED).order_by("-discovered_at", "-pk")[
                :CLOSED_SHOWN
            ]
        )
        rows = [_incident_row(i, now) for i in [*open_incidents, *closed]]
        listing_record(actor, "securityincident", [row.incident.pk for row in rows])
    return rows


@dataclass(frozen=True)
class IncidentPage:
    row: IncidentRow
    entries: list[IncidentEntry]

    @property
    def incident(self) -> SecurityIncident:
        return self.row.incident

    @property
    def category_labels(self) -> list[str]:
        return [str(DataCategory(value).label) for value in self.incident.data_categories]


def incident_page_for(
    actor: User, incident_id: UUID, *, now: datetime.datetime | None = None
) -> IncidentPage:
    """One incident with its log (timeline); recorded as the API records it (one read)."""
    now = now or timezone.now()
    with transaction.atomic():
        incident = get_incident_for(actor, incident_id)
        entries = list(
            IncidentEntry.objects.filter(incident=incident).select_related("recorded_by")
        )
    return IncidentPage(row=_incident_row(incident, now), entries=entries)
