# SPDX-License-Identifier: EUPL-1.2
"""The purge as a django-tasks task, for deployments that run a task worker.

django-tasks has no scheduler of its own: cron or a systemd timer enqueues it (`ketentafel
purge --enqueue`) or runs the purge directly (`ketentafel purge`); see docs/deployment.md.
"""

from __future__ import annotations

from django_tasks import task

from ketentafel.privacy.purge import DEFAULT_BATCH_SIZE, purge_run


@task()
def purge_due(batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, object]:
    """Purge everything due today; returns the counts (no personal data) as the task result."""
    report = purge_run(batch_size=batch_size)
    return {
        "cases": dict(report.cases),
        "rows": dict(report.rows),
        "batches": report.batches,
        "requests_cleared": report.requests_cleared,
    }
