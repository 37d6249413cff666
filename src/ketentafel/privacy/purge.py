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
from ketentafel.privacy.registry import CaseFacts, CaseSource, DueCase, DueRecord, RecordSource

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


def _keep_statistics(facts: dict[UUID, CaseFacts]) -> None:
    """Store the anonymous facts of each case once, at its first purge stage."""
    known = set(
        CaseStatistic.objects.filter(case_id__in=list(facts)).values_list("case_id", flat=True)
    )
    fresh = {case_id: f for case_id, f in facts.items() if case_id not in known}
    if not fresh:
        return
    CaseStatistic.objects.bulk_create(
        CaseStatistic(
            case_id=case_id,
            house_id=f.house_id,
            track_id=f.track_id,
            municipality_id=f.municipality_id,
            referring_party_id=f.referring_party_id,
            subject_kind=f.subject_kind,
            person_count=f.person_count,
            referred_on=f.referred_on,
            accepted_on=f.accepted_on,
            first_discussed_on=f.first_discussed_on,
            closed_on=f.closed_on,
            declined_on=f.declined_on,
            outcome=f.outcome,
        )
        for case_id, f in fresh.items()
    )
    pks = dict(CaseStatistic.objects.filter(case_id__in=list(fresh)).values_list("case_id", "pk"))
    through = CaseStatistic.themes.through
    through.objects.bulk_create(
        through(casestatistic_id=pks[case_id], theme_id=theme_id)
        for case_id, f in fresh.items()
        for theme_id in f.theme_ids
    )


@dataclass(frozen=True)
class _Due:
    """A due case, or a due record outside any case, as one batch handles either; only a
    case has persons and the anonymous facts kept of it."""

    id: UUID
    house_id: int
    track_id: int
    due_on: datetime.date
    rule: str
    rule_source: str
    rule_is_example: bool
    person_ids: tuple[UUID, ...] = ()
    facts: CaseFacts | None = None

    @classmethod
    def of_case(cls, due: DueCase) -> _Due:
        return cls(
            id=due.case_id,
            house_id=due.facts.house_id,
            track_id=due.facts.track_id,
            due_on=due.due_on,
            rule=due.rule,
            rule_source=due.rule_source,
            rule_is_example=due.rule_is_example,
            person_ids=due.person_ids,
            facts=due.facts,
        )

    @classmethod
    def of_record(cls, due: DueRecord) -> _Due:
        return cls(
            id=due.record_id,
            house_id=due.house_id,
            track_id=due.track_id,
            due_on=due.due_on,
            rule=due.rule,
            rule_source=due.rule_source,
            rule_is_example=due.rule_is_example,
        )


@dataclass(frozen=True)
class _Step:
    """One step of the purge: the cases due for a stage, or a record source's due records.

    `due(after, limit)` pages through them in id order; `count(ids, delete)` counts, and
    with `delete` hard-deletes, what hangs on them. The audit event names them
    `object_type` (one case also as its `case_id`) and counts them `counted_as`.
    """

    stage: Stage
    object_type: str
    counted_as: str
    due: Callable[[UUID | None, int], list[_Due]]
    count: Callable[[Sequence[UUID], bool], dict[UUID, Counter[str]]]
    is_case: bool


def _case_step(source: CaseSource, stage: Stage, today: datetime.date) -> _Step:
    return _Step(
        stage=stage,
        object_type="case",
        counted_as="cases",
        due=lambda after, limit: [
            _Due.of_case(d) for d in source.due(stage=stage, today=today, after=after, limit=limit)
        ],
        count=lambda ids, delete: _counted(stage, ids, delete=delete),
        is_case=True,
    )


def _record_step(source: RecordSource, today: datetime.date) -> _Step:
    return _Step(
        stage=source.stage,
        object_type=source.object_type,
        counted_as=source.object_type,
        due=lambda after, limit: [
            _Due.of_record(d) for d in source.due_records(today=today, after=after, limit=limit)
        ],
        count=lambda ids, delete: source.purge_records(record_ids=ids, delete=delete),
        is_case=False,
    )


def _batch(step: _Step, batch: Sequence[_Due], now: datetime.datetime, report: PurgeReport) -> None:
    """Delete a batch in one transaction, with a deletion record each, the statistic of each
    case, and one purge event per house; in a dry run, list what would go."""
    ids = [d.id for d in batch]
    if report.dry_run:
        counts = step.count(ids, False)
        report.planned.extend(
            PlannedDeletion(d.id, step.stage, d.due_on, d.rule, dict(sorted(counts[d.id].items())))
            for d in batch
        )
    else:
        with transaction.atomic():
            counts = step.count(ids, True)
            _keep_statistics({d.id: d.facts for d in batch if d.facts is not None})
            DeletionRecord.objects.bulk_create(
                DeletionRecord(
                    case_id=d.id,
                    stage=step.stage,
                    house_id=d.house_id,
                    track_id=d.track_id,
                    rule=d.rule,
                    rule_source=d.rule_source[:300],
                    rule_is_example=d.rule_is_example,
                    due_on=d.due_on,
                    purged_at=now,
                    counts=dict(sorted(counts[d.id].items())),
                )
                for d in batch
            )
            by_house: dict[int, list[_Due]] = defaultdict(list)
            for d in batch:
                by_house[d.house_id].append(d)
            for house_id, due in sorted(by_house.items()):
                audit_record(
                    actor=None,
                    action=AuditAction.PURGE,
                    object_type=step.object_type,
                    object_ids=[d.id for d in due],
                    person_ids=[p for d in due for p in d.person_ids],
                    case_id=due[0].id if step.is_case and len(due) == 1 else "",
                    house_id=house_id,
                    role="system",
                    purpose="retention",
                    reason=f"{step.stage.value}: {len(due)} {step.counted_as}",
                )
    for d in batch:
        report.rows.update(counts[d.id])
    report.cases[step.stage.value] += len(batch)
    report.batches += 1


def _run(
    step: _Step,
    now: datetime.datetime,
    batch_size: int,
    report: PurgeReport,
    progress: Callable[[str], None] | None,
) -> None:
    after: UUID | None = None
    while batch := step.due(after, batch_size):
        after = batch[-1].id
        _batch(step, batch, now, report)
        if progress is not None:
            done = report.cases[step.stage.value]
            progress(f"{step.stage.value}: {done} {step.counted_as}")


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
    for records in registry.record_sources():
        _run(_record_step(records, today), now, batch_size, report, progress)
    for stage in (Stage.DECLINED, Stage.CLOSURE, Stage.FINAL):
        _run(_case_step(source, stage, today), now, batch_size, report, progress)
    report.requests_cleared = _clear_requests(today, now, dry_run=dry_run)
    log.info(
        "privacy_purge",
        dry_run=dry_run,
        cases=dict(report.cases),
        rows=dict(report.rows),
        batches=report.batches,
    )
    return report
