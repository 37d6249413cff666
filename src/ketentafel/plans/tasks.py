# SPDX-License-Identifier: EUPL-1.2
"""The daily overdue-actions job as a task for `ketentafel worker` (ketentafel.core.tasks)."""

from __future__ import annotations

import datetime

from django_tasks import task

from ketentafel.core.tasks import retry_on_failure
from ketentafel.plans import notices


@task()
def notify_overdue(*, day: str, attempt: int = 1, chain: str = "") -> int:
    """The daily overdue notices for `day` (ISO date); returns how many parties were told."""
    with retry_on_failure(notify_overdue, kwargs={"day": day}, attempt=attempt, chain=chain):
        return notices.overdue_actions_notify(today=datetime.date.fromisoformat(day))
