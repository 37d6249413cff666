# SPDX-License-Identifier: EUPL-1.2
"""The scheduled purge: hard-delete personal data whose retention period has passed.

Stages run in order (advice requests handled locally, declined referrals, first clean-up at
closure, the dossier after the monitoring period). Each batch is one transaction holding the
deletions of every registered purger, a `DeletionRecord` per case, the anonymous
`CaseStatistic`, and one audit event per house (action purge). Advice requests, which belong
to no case, come from the registered record sources and go the same way, without a statistic.
A crash rolls back the batch it interrupted and nothing else; the next run finds those cases
due again, so running it twice is safe (idempotent, resumable).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.privacy import registry
from ketentafel.privacy.models import (
    CaseStatistic,
    DataSubjectRequest,
    DeletionRecord,
    RecipientNotice,
    RequestStatus,
    Stage,
)
from ketentafel.privacy.registry import DueCase, DueRecord, RecordSource

log = structlog.get_logger(__name__)

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class PlannedDeletion:
    """One case's stage (or an advice request, stage advice) as a dry run lists it."""

    case_id: UUID
    stage: Stage
    due_on: datetime.date
    rule: str
    counts: dict[str, int]


@dataclass
class PurgeReport:
    dry_run: bool
    cases: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    batches: int = 0
    requests_cleared: int = 0
    planned: list[PlannedDeletion] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would purge" if self.dry_run else "purged"
        stages = ", ".join(f"{n} {stage}" for stage, n in sorted(self.cases.items())) or "none"
        rows = ", ".join(f"{n} {kind}" for kind, n in sorted(self.rows.items())) or "no rows"
        return (
            f"{verb}: cases {stages}; rows {rows}; "
            f"data-subject requests cleared {self.requests_cleared}"
        )


def _counted(stage: Stage, case_ids: Sequence[UUID], *, delete: bool) -> dict[UUID, Counter[str]]:
    totals: dict[UUID, Counter[str]] = {case_id: Counter() for case_id in case_ids}
    for purger in registry.purgers():
        for case_id, counts in purger.purge(stage=stage, case_ids=case_ids, delete=delete).items():
            totals[case_id].update(counts)
    return totals


def _keep_statistics(batch: Sequence[DueCase]) -> None:
    """Store the anonymous facts of each case once, at its first purge stage."""
    ids = [d.case_id for d in batch]
    known = set(CaseStatistic.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    fresh = [d for d in batch if d.case_id not in known]
    if not fresh:
        return
    CaseStatistic.objects.bulk_create(
        CaseStatistic(
            case_id=d.case_id,
            house_id=d.facts.house_id,
            track_id=d.facts.track_id,
            municipality_id=d.facts.municipality_id,
            referring_party_id=d.facts.referring_party_id,
            subject_kind=d.facts.subject_kind,
            person_count=d.facts.person_count,
            referred_on=d.facts.referred_on,
            accepted_on=d.facts.accepted_on,
            first_discussed_on=d.facts.first_discussed_on,
            closed_on=d.facts.closed_on,
            declined_on=d.facts.declined_on,
            outcome=d.facts.outcome,
        )
        for d in fresh
    )
    pks = dict(
        CaseStatistic.objects.filter(case_id__in=[d.case_id for d in fresh]).values_list(
            "case_id", "pk"
        )
    )
    through = CaseStatistic.themes.through
    through.objects.bulk_create(
        through(casestatistic_id=pks[d.case_id], theme_id=theme_id)
        for d in fresh
        for theme_id in d.facts.theme_ids
    )


def _purge_batch(
    stage: Stage, batch: Sequence[DueCase], now: datetime.datetime, report: PurgeReport
) -> None:
    ids = [d.case_id for d in batch]
    with transaction.atomic():
        counts = _counted(stage, ids, delete=True)
        _keep_statistics(batch)
        DeletionRecord.objects.bulk_create(
            DeletionRecord(
                case_id=d.case_id,
                stage=stage,
                house_id=d.facts.house_id,
                track_id=d.facts.track_id,
                rule=d.rule,
                rule_source=d.rule_source[:300],
                rule_is_example=d.rule_is_example,
                due_on=d.due_on,
                purged_at=now,
                counts=dict(sorted(counts[d.case_id].items())),
            )
            for d in batch
        )
        by_house: dict[int, list[DueCase]] = defaultdict(list)
        for d in batch:
            by_house[d.facts.house_id].append(d)
        for house_id, cases in sorted(by_house.items()):
            audit_record(
                actor=None,
                action=AuditAction.PURGE,
                object_type="case",
                object_ids=[d.case_id for d in cases],
                person_ids=[p for d in cases for p in d.person_ids],
                case_id=cases[0].case_id if len(cases) == 1 else "",
                house_id=house_id,
                role="system",
                purpose="retention",
                reason=f"{stage.value}: {len(cases)} cases",
            )
    for d in batch:
        report.rows.update(counts[d.case_id])
    report.cases[stage.value] += len(batch)
    report.batches += 1


def _plan_batch(stage: Stage, batch: Sequence[DueCase], report: PurgeReport) -> None:
    counts = _counted(stage, [d.case_id for d in batch], delete=False)
    for d in batch:
        found = counts[d.case_id]
        report.planned.append(
            PlannedDeletion(d.case_id, stage, d.due_on, d.rule, dict(sorted(found.items())))
        )
        report.rows.update(found)
    report.cases[stage.value] += len(batch)
    report.batches += 1


def _purge_records(
    source: RecordSource, batch: Sequence[DueRecord], now: datetime.datetime, report: PurgeReport
) -> None:
    """Delete a batch of records outside any case with their deletion records and one purge
    event per house, in one transaction."""
    ids = [d.record_id for d in batch]
    with transaction.atomic():
        counts = source.purge_records(record_ids=ids, delete=True)
        DeletionRecord.objects.bulk_create(
            DeletionRecord(
                case_id=d.record_id,
                stage=source.stage,
                house_id=d.house_id,
                track_id=d.track_id,
                rule=d.rule,
                rule_source=d.rule_source[:300],
                rule_is_example=d.rule_is_example,
                due_on=d.due_on,
                purged_at=now,
                counts=dict(sorted(counts[d.record_id].items())),
            )
            for d in batch
        )
        by_house: dict[int, list[UUID]] = defaultdict(list)
        for d in batch:
            by_house[d.house_id].append(d.record_id)
        for house_id, record_ids in sorted(by_house.items()):
            audit_record(
                actor=None,
                action=AuditAction.PURGE,
                object_type=source.object_type,
                object_ids=record_ids,
                house_id=house_id,
                role="system",
                purpose="retention",
                reason=f"{source.stage.value}: {len(record_ids)} {source.object_type}",
            )
    for d in batch:
        report.rows.update(counts[d.record_id])
    report.cases[source.stage.value] += len(batch)
    report.batches += 1


def _plan_records(source: RecordSource, batch: Sequence[DueRecord], report: PurgeReport) -> None:
    counts = source.purge_records(record_ids=[d.record_id for d in batch], delete=False)
    for d in batch:
        found = counts[d.record_id]
        report.planned.append(
            PlannedDeletion(
                d.record_id, source.stage, d.due_on, d.rule, dict(sorted(found.items()))
            )
        )
        report.rows.update(found)
    report.cases[source.stage.value] += len(batch)
    report.batches += 1


def _run_record_sources(
    today: datetime.date,
    now: datetime.datetime,
    batch_size: int,
    report: PurgeReport,
    progress: Callable[[str], None] | None,
) -> None:
    for source in registry.record_sources():
        after: UUID | None = None
        while True:
            batch = source.due_records(today=today, after=after, limit=batch_size)
            if not batch:
                break
            after = batch[-1].record_id
            if report.dry_run:
                _plan_records(source, batch, report)
            else:
                _purge_records(source, batch, now, report)
            if progress is not None:
                stage = source.stage.value
                progress(f"{stage}: {report.cases[stage]} {source.object_type}")


def _clear_requests(today: datetime.date, now: datetime.datetime, *, dry_run: bool) -> int:
    """Clear the identifying data of data-subject requests closed long enough ago."""
    days = settings.PRIVACY_REQUEST_RETENTION_DAYS
    if not days:
        return 0
    before = now - datetime.timedelta(days=days)
    doomed = DataSubjectRequest.objects.filter(
        status__in=[RequestStatus.COMPLETED, RequestStatus.REFUSED],
        closed_at__lt=before,
        subject_cleared_at__isnull=True,
    )
    ids = list(doomed.values_list("pk", flat=True))
    if dry_run or not ids:
        return len(ids)
    with transaction.atomic():
        DataSubjectRequest.objects.filter(pk__in=ids).update(
            subject_bsn="",
            subject_surname="",
            subject_birth_date=None,
            description="",
            outcome="",
            subject_cleared_at=now,
        )
        RecipientNotice.objects.filter(request_id__in=ids).update(note="")
        audit_record(
            actor=None,
            action=AuditAction.PURGE,
            object_type="datasubjectrequest",
            object_ids=ids,
            role="system",
            purpose="retention",
            reason=f"requests closed before {before.date().isoformat()}",
        )
    return len(ids)


def purge_run(
    *,
    today: datetime.date | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> PurgeReport:
    """Purge every case whose retention stage is due on `today`, and every record outside a
    case that is due (advice requests handled locally), in batches.

    With `dry_run` nothing changes and the report lists what would go, per case and stage.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    today = today or timezone.localdate()
    now = timezone.now()
    source = registry.case_source()
    report = PurgeReport(dry_run=dry_run)
    _run_record_sources(today, now, batch_size, report, progress)
    for stage in (Stage.DECLINED, Stage.CLOSURE, Stage.FINAL):
        after: UUID | None = None
        while True:
            batch = source.due(stage=stage, today=today, after=after, limit=batch_size)
            if not batch:
                break
            after = batch[-1].case_id
            if dry_run:
                _plan_batch(stage, batch, report)
            else:
                _purge_batch(stage, batch, now, report)
            if progress is not None:
                progress(f"{stage.value}: {report.cases[stage.value]} cases")
    report.requests_cleared = _clear_requests(today, now, dry_run=dry_run)
    log.info(
        "privacy_purge",
        dry_run=dry_run,
        cases=dict(report.cases),
        rows=dict(report.rows),
        batches=report.batches,
    )
    return report
