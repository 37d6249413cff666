# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel worker`: run queued tasks (e-mail notices, purge) and enqueue the daily jobs."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.utils import get_random_id

from ketentafel.config.schedule import daily_jobs_enqueue
from ketentafel.core.tasks import run_pending_tasks, uses_database_backend

logger = logging.getLogger("ketentafel.worker")


def _scheduler(stop: threading.Event, every: float) -> None:
    while not stop.is_set():
        try:
            for name in daily_jobs_enqueue(now=timezone.now()):
                logger.info("daily job enqueued", extra={"job": name})
        except Exception as exc:  # a database outage: try again on the next tick
            logger.warning("daily jobs not enqueued: %s", type(exc).__name__)
        finally:
            close_old_connections()
        stop.wait(every)


class Command(BaseCommand):
    help = (
        "Run the task worker: e-mail notices and other side effects, retried with back-off, "
        "and the daily purge and overdue notices (docs/deployment.md#the-worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of an empty queue."
        )
        parser.add_argument(
            "--schedule-every",
            type=float,
            default=60.0,
            help="Seconds between two looks at the daily jobs (0: this worker schedules nothing).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run the tasks that are due, then stop."
        )
        parser.add_argument("--worker-id", default="", help="Name in the task rows (unique).")

    def handle(
        self,
        *args: Any,
        interval: float,
        schedule_every: float,
        batch: bool,
        worker_id: str,
        **options: Any,
    ) -> None:
        if not uses_database_backend():
            raise CommandError("The worker needs the database task backend (TASKS setting).")
        if batch:
            daily_jobs_enqueue(now=timezone.now())
            ran = run_pending_tasks(now=timezone.now())
            self.stdout.write(f"{ran} task(s) run.")
            return
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id or get_random_id(),
        )
        stop = threading.Event()
        if schedule_every > 0:
            threading.Thread(
                target=_scheduler, args=(stop, schedule_every), name="scheduler", daemon=True
            ).start()
        self.stdout.write(f"worker {worker.worker_id} running (Ctrl+C stops it)", ending="\n")
        self.stdout.flush()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
