# SPDX-License-Identifier: EUPL-1.2
"""The purge as a django-tasks task, run by `ketentafel worker`.

The worker's scheduler enqueues it once a day (ketentafel.config.schedule); `ketentafel purge
--enqueue` hands one to the worker, `ketentafel purge` runs it in place (cron, by hand). A
failed purge is retried with back-off (ketentafel.core.tasks); the purge is idempotent.
"""

from __future__ import annotations

import datetime

from django_tasks import task

from ketentafel.core.tasks import retry_on_failure
from ketentafel.privacy.purge import DEFAULT_BATCH_SIZE, purge_run


@task()
def purge_due(
    batch_size: int = DEFAULT_BATCH_SIZE, day: str = "", attempt: int = 1, chain: str = ""
) -> dict[str, object]:
    """Purge everything due on `day` (ISO date; today when empty); returns the counts (no
    personal data) as the task result."""
    kwargs: dict[str, object] = {"batch_size": batch_size, "day": day}
    with retry_on_failure(purge_due, kwargs=kwargs, attempt=attempt, chain=chain):
        report = purge_run(
            batch_size=batch_size, today=datetime.date.fromisoformat(day) if day else None
        )
    return {
        "cases": dict(report.cases),
        "rows": dict(report.rows),
        "batches": report.batches,
        "requests_cleared": report.requests_cleared,
    }
