# SPDX-License-Identifier: EUPL-1.2
"""The daily jobs the worker enqueues itself: the purge, the overdue notices and the removal
of idempotency keys and form tokens older than a day.

`ketentafel worker` calls `daily_jobs_enqueue` about once a minute. A job is due from its local
hour (`PURGE_HOUR`, `OVERDUE_NOTICE_HOUR`) on; its run for a date is a `ScheduledRun` row
unique on (job, date), written in the same transaction as the task's row in the database
backend, so however many workers tick at once, each job is enqueued once per day, and a worker
that was down at that hour enqueues it when it comes back the same day. Cron is not needed;
`ketentafel purge` and `ketentafel notify_overdue` still run a job by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from ketentafel.core.idempotency import idempotency_keys_purge_due
from ketentafel.core.models import ScheduledRun
from ketentafel.plans.tasks import notify_overdue
from ketentafel.privacy.tasks import purge_due


@dataclass(frozen=True)
class DailyJob:
    name: str
    hour: Callable[[], int]
    task: Task[Any, Any]


DAILY_JOBS = (
    DailyJob("purge", lambda: settings.PURGE_HOUR, purge_due),
    DailyJob("notify_overdue", lambda: settings.OVERDUE_NOTICE_HOUR, notify_overdue),
    # Retries older than a day are new requests (docs/api.md); their keys and tokens go.
    DailyJob("idempotency_keys_purge", lambda: settings.PURGE_HOUR, idempotency_keys_purge_due),
)


def already_enqueued(job: str, day: datetime.date) -> bool:
    """A cheap look first; the unique row decides when two workers look at once."""
    return ScheduledRun.objects.filter(job=job, day=day).exists()


def daily_jobs_enqueue(*, now: datetime.datetime) -> list[str]:
    """Enqueue each daily job that is due at `now` and not yet enqueued for its local date;
    returns the names enqueued by this call."""
    local = timezone.localtime(now)
    day = local.date()
    enqueued = []
    for job in DAILY_JOBS:
        if local.hour < job.hour() or already_enqueued(job.name, day):
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, day=day, enqueued_at=now)
                result = job.task.enqueue(day=day.isoformat())
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another worker enqueued it between the check and the insert
        enqueued.append(job.name)
    return enqueued
