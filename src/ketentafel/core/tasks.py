# SPDX-License-Identifier: EUPL-1.2
"""The task queue: retry with back-off, dead letters, a test runner and the queue's status.

Every side effect after a commit (e-mail notices) and every daily job (purge, overdue notices)
is a django-tasks task, stored by the database backend (django-tasks-db) and run by
`ketentafel worker` (docs/deployment.md#the-worker). django-tasks runs a task once and has no
retry of its own, so a task that may fail wraps its work in `retry_on_failure`:

- a failure is recorded in `TaskFailure` (one row per job across its attempts, the chain), with
  the error's class and a message without personal data (e-mail addresses are masked);
- the task is enqueued again, in the same transaction as that record, to run after a delay that
  doubles with each attempt (`TASK_RETRY_BASE_SECONDS`, at most `TASK_RETRY_MAX_SECONDS`);
- after `TASK_MAX_ATTEMPTS` attempts the job is dead: no new attempt, listed in /beheer/ for the
  functional administrator, who may offer it again (`failure_retry`).

Each attempt is its own row in django-tasks' table and is claimed by one worker, so an attempt
that succeeded is never run again: a notice is sent at most once per successful attempt (an SMTP
relay that accepts a message but drops the connection before answering is the one case where
the next attempt sends it again). Task arguments carry ids, paths and fixed strings only.
"""

from __future__ import annotations

import contextvars
import datetime
import re
import smtplib
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import Task, TaskResultStatus

from ketentafel.core.models import TaskFailure, TaskState

_NOW: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "ketentafel_task_now", default=None
)
_EMAIL = re.compile(r"[^\s<>@,;:\"']+@[^\s<>@,;:\"']+")


class TaskAttemptFailedError(Exception):
    """One attempt of a task failed; the message names the error's class, nothing more."""


def task_now() -> datetime.datetime:
    """The time a task runs at: the clock, or the `now` given to `run_pending_tasks`."""
    return _NOW.get() or timezone.now()


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, ...): doubling."""
    seconds = settings.TASK_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, settings.TASK_RETRY_MAX_SECONDS))


def error_message(exc: BaseException) -> str:
    """What an error says, without personal data: SMTP replies by code, addresses masked."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"{len(exc.recipients)} ontvanger(s) geweigerd"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code}"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"errno {exc.errno}: {exc.strerror or ''}".strip()[:300]
    return _EMAIL.sub("[adres]", str(exc))[:300]


@contextmanager
def retry_on_failure(
    task: Task[Any, Any], *, kwargs: Mapping[str, object], attempt: int, chain: str
) -> Iterator[None]:
    """Run the body; if it raises, record the failure and enqueue the next attempt of `task`
    with `kwargs` (or give the job up after `TASK_MAX_ATTEMPTS`), then fail this attempt.

    `kwargs` are the task's own arguments without `attempt` and `chain`."""
    try:
        yield
    except Exception as exc:
        failure = _failure_record(task, kwargs=kwargs, attempt=attempt, chain=chain, exc=exc)
        raise TaskAttemptFailedError(
            f"{failure.error_class} (poging {attempt}, {failure.get_state_display()})"
        ) from None
    else:
        if chain:  # a job that failed before: it went through now
            TaskFailure.objects.filter(chain=chain).update(
                state=TaskState.DONE, next_attempt_at=None, attempts=attempt
            )


def _failure_record(
    task: Task[Any, Any],
    *,
    kwargs: Mapping[str, object],
    attempt: int,
    chain: str,
    exc: Exception,
) -> TaskFailure:
    now = task_now()
    chain_id = uuid.UUID(chain) if chain else uuid.uuid4()
    backend = task.get_backend()
    dead = attempt >= settings.TASK_MAX_ATTEMPTS or not backend.supports_defer
    run_after = None if dead else now + retry_delay(attempt)
    with transaction.atomic():
        failure, _created = TaskFailure.objects.select_for_update().get_or_create(
            chain=chain_id,
            defaults={
                "task_path": task.module_path,
                "arguments": dict(kwargs),
                "first_failed_at": now,
                "last_failed_at": now,
                "state": TaskState.RETRYING,
                "error_class": "",
            },
        )
        failure.attempts = attempt
        failure.error_class = f"{type(exc).__module__}.{type(exc).__qualname__}"
        failure.error_message = error_message(exc)
        failure.last_failed_at = now
        failure.state = TaskState.DEAD if dead else TaskState.RETRYING
        failure.next_attempt_at = run_after
        failure.save()
        if run_after is not None:
            task.using(run_after=run_after).enqueue(
                **kwargs, attempt=attempt + 1, chain=str(chain_id)
            )
    return failure


def failure_retry(failure: TaskFailure) -> None:
    """Offer a dead job again: a fresh round of attempts, at once, in the same chain."""
    from django.utils.module_loading import import_string

    if failure.state != TaskState.DEAD:
        raise ValueError("only a dead task can be offered again")
    task: Task[Any, Any] = import_string(failure.task_path)
    failure.state = TaskState.RETRIED
    failure.next_attempt_at = task_now()
    failure.save(update_fields=["state", "next_attempt_at"])
    kwargs = dict(failure.arguments)
    transaction.on_commit(lambda: task.enqueue(**kwargs, attempt=1, chain=str(failure.chain)))


def uses_database_backend(alias: str = DEFAULT_TASK_BACKEND_ALIAS) -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[alias], DatabaseBackend)


class QueueStatus(TypedDict):
    backend: str  # "database" (a worker runs the tasks) or "immediate" (in the request)
    ready: int
    oldest_ready_seconds: float
    running: int
    dead: int


def queue_status(*, now: datetime.datetime | None = None) -> QueueStatus:
    """A cheap look at the queue for `/health/ready` and monitoring: tasks ready to run, the age
    in seconds of the oldest of them (a worker that stopped makes this grow), tasks running,
    and dead jobs waiting for the functional administrator. Three small queries."""
    from django.db.models import Min
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = now or timezone.now()
    dead = TaskFailure.objects.filter(state=TaskState.DEAD).count()
    if not uses_database_backend():
        return {
            "backend": "immediate",
            "ready": 0,
            "oldest_ready_seconds": 0.0,
            "running": 0,
            "dead": dead,
        }
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        run_after__lte=now
    ) | DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after=get_date_max())
    figures = ready.aggregate(oldest=Min("enqueued_at"))
    oldest = figures["oldest"]
    return {
        "backend": "database",
        "ready": ready.count(),
        "oldest_ready_seconds": (now - oldest).total_seconds() if oldest else 0.0,
        "running": DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count(),
        "dead": dead,
    }


def run_pending_tasks(*, now: datetime.datetime, limit: int = 1000) -> int:
    """Run every task of the database backend that is due at `now`, as the worker would (one
    claim per attempt, then django-tasks-db's own run), including tasks those tasks enqueue
    when they are due too; returns how many ran. For tests and `ketentafel worker --batch`."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult, get_date_max

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id="run-pending",
    )
    token = _NOW.set(now)
    ran = 0
    try:
        while ran < limit:
            due = DBTaskResult.objects.filter(
                status=TaskResultStatus.READY, backend_name=DEFAULT_TASK_BACKEND_ALIAS
            ).filter(run_after__lte=now) | DBTaskResult.objects.filter(
                status=TaskResultStatus.READY,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                run_after=get_date_max(),
            )
            with transaction.atomic():
                found = due.order_by("-priority", "run_after", "enqueued_at").first()
                if found is None:
                    break
                found.claim(worker.worker_id)
            worker.run_task(found)
            ran += 1
    finally:
        _NOW.reset(token)
    return ran
