# SPDX-License-Identifier: EUPL-1.2
"""What domain apps register with privacy, so privacy never imports them (STYLE.md).

- One *case source* (the cases app) says which cases are due for a purge stage, with the
  anonymous facts kept of them, and which open cases near their maximum age.
- *Purgers* (cases, information, any later app holding case data) delete their own rows of a
  batch of cases and count them per kind. They run in ascending `order`, inside the purge's
  transaction, so rows that point to others go first.
- *Record sources* (the cases app, for advice requests handled locally) say which records
  outside any case are due, and delete them; they hold no person rows and leave no statistic.
- *Export sources* find a data subject's records and hand them over per controller.

Apps register in their `AppConfig.ready`; see docs/adr/0007-privacy-handlers-and-hard-delete.md.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from django.db.models import Count, QuerySet
from django.utils import timezone

from ketentafel.privacy.models import Stage


@dataclass(frozen=True)
class CaseFacts:
    """What may be kept of a case once its personal data are gone."""

    house_id: int
    track_id: int
    municipality_id: int
    referring_party_id: int
    theme_ids: tuple[int, ...]
    subject_kind: str
    person_count: int
    referred_on: datetime.date
    first_discussed_on: datetime.date | None
    closed_on: datetime.date | None
    declined_on: datetime.date | None
    outcome: str
    accepted_on: datetime.date | None = None


@dataclass(frozen=True)
class DueCase:
    """A case whose purge stage is due under its track's rule."""

    case_id: UUID
    stage: Stage
    due_on: datetime.date
    rule: str
    rule_source: str
    rule_is_example: bool
    person_ids: tuple[UUID, ...]
    facts: CaseFacts


@dataclass(frozen=True)
class OpenCaseFlag:
    """An open case close to (or past) its track's maximum age."""

    case_id: UUID
    house_id: int
    track_id: int
    process_coordinator_id: int | None
    referred_on: datetime.date
    warn_from: datetime.date
    max_age_on: datetime.date


class CaseSource(Protocol):
    def due(
        self, *, stage: Stage, today: datetime.date, after: UUID | None, limit: int
    ) -> list[DueCase]:
        """Due cases ordered by id, starting after `after`; at most `limit`."""

    def open_flags(
        self,
        *,
        today: datetime.date,
        coordinator_id: int | None = None,
        house_ids: Iterable[int] | None = None,
    ) -> list[OpenCaseFlag]:
        """Open cases past their warning date, for one coordinator or some houses."""


class Purger(Protocol):
    order: int

    def purge(
        self, *, stage: Stage, case_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        """Count (and with `delete`, hard-delete) this app's rows of the cases for the stage."""


@dataclass(frozen=True)
class DueRecord:
    """A record that belongs to no case (an advice request handled locally) and is due."""

    record_id: UUID
    house_id: int
    track_id: int  # the track whose rule applied
    due_on: datetime.date
    rule: str
    rule_source: str
    rule_is_example: bool


class RecordSource(Protocol):
    #: The stage its deletion records carry, and the audit event's object type.
    stage: Stage
    object_type: str

    def due_records(
        self, *, today: datetime.date, after: UUID | None, limit: int
    ) -> list[DueRecord]:
        """Due records ordered by id, starting after `after`; at most `limit`."""

    def purge_records(
        self, *, record_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        """Count (and with `delete`, hard-delete) the records and what hangs on them."""


@dataclass(frozen=True)
class PersonRef:
    """Where a data subject appears: one person row in one case."""

    person_id: UUID
    case_id: UUID
    house_id: int
    involved_party_ids: frozenset[int]


@dataclass
class ExportSection:
    """Records one controller answers for: a party for what it supplied (art. 16.1)."""

    controller_party_id: int
    title: str
    case_id: UUID
    records: list[dict[str, str]] = field(default_factory=list)


class ExportSource(Protocol):
    def find(
        self, *, bsn: str = "", surname: str = "", birth_date: datetime.date | None = None
    ) -> list[PersonRef]:
        """Every person row matching the BSN, or the surname and date of birth."""

    def sections(self, *, persons: Sequence[PersonRef]) -> list[ExportSection]:
        """This app's records about these persons, one section per controller and kind."""


@dataclass
class _Registry:
    case_source: CaseSource | None = None
    purgers: list[Purger] = field(default_factory=list)
    record_sources: list[RecordSource] = field(default_factory=list)
    export_sources: list[ExportSource] = field(default_factory=list)


_registry = _Registry()


def register_case_source(source: CaseSource) -> None:
    _registry.case_source = source


def register_purger(purger: Purger) -> None:
    if purger not in _registry.purgers:
        _registry.purgers.append(purger)
        _registry.purgers.sort(key=lambda p: p.order)


def register_record_source(source: RecordSource) -> None:
    if source not in _registry.record_sources:
        _registry.record_sources.append(source)


def register_export_source(source: ExportSource) -> None:
    if source not in _registry.export_sources:
        _registry.export_sources.append(source)


def case_source() -> CaseSource:
    if _registry.case_source is None:
        raise RuntimeError("No case source registered with privacy (is the cases app installed?)")
    return _registry.case_source


def purgers() -> list[Purger]:
    return list(_registry.purgers)


def record_sources() -> list[RecordSource]:
    return list(_registry.record_sources)


def export_sources() -> list[ExportSource]:
    return list(_registry.export_sources)


def delete_rows(rows: QuerySet[Any]) -> int:
    """Delete `rows` with one DELETE statement, without Django's cascade collection.

    The collector loads every row (item texts included) into Python to find dependents; a
    purger deletes dependents itself, children first, so one statement per table suffices.
    Anything a purger forgot is refused by the database's foreign keys and the batch rolls
    back, rather than disappearing unrecorded.
    """
    return rows._raw_delete(rows.db)


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    """The local calendar day of `moment` (retention periods count local days)."""
    return timezone.localdate(moment) if moment is not None else None


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of `day`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def cutoff(today: datetime.date, days: int | None) -> datetime.datetime:
    """Rows that ended before this moment have passed `days` by `today`."""
    return start_of(today - datetime.timedelta(days=(days or 0) - 1))


class CaseRows:
    """The rows a purger takes from a batch of cases, counted per case for the deletion record.

    `take` counts the rows of one kind per case and, when deleting, deletes them with one
    statement (`delete_rows`): a purger takes children before their parents."""

    def __init__(self, case_ids: Sequence[UUID], *, delete: bool) -> None:
        self.counts: dict[UUID, Counter[str]] = {case_id: Counter() for case_id in case_ids}
        self.delete = delete

    def take(self, kind: str, rows: QuerySet[Any], case_field: str) -> None:
        for row in rows.values(case_field).annotate(n=Count("pk")).order_by():
            self.counts[row[case_field]][kind] += row["n"]
        if self.delete:
            delete_rows(rows)
