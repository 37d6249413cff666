# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel purge [--dry-run] [--batch-size N] [--enqueue]`: the retention purge, for cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketentafel.privacy.purge import DEFAULT_BATCH_SIZE, purge_run


class Command(BaseCommand):
    help = (
        "Hard-delete personal data whose retention period has passed (docs/privacy.md). "
        "Idempotent: after a crash, run it again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Cases per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the purge to the django-tasks backend instead of running it here.",
        )

    def handle(
        self, *args: Any, dry_run: bool, batch_size: int, enqueue: bool, **options: Any
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if enqueue:
            if dry_run:
                raise CommandError("--dry-run runs here; leave out --enqueue.")
            from ketentafel.privacy.tasks import purge_due

            result = purge_due.enqueue(batch_size=batch_size)
            self.stdout.write(f"enqueued purge task {result.id} ({result.status})")
            return
        report = purge_run(batch_size=batch_size, dry_run=dry_run)
        if dry_run:
            for line in report.planned:
                counts = ", ".join(f"{n} {kind}" for kind, n in line.counts.items()) or "nothing"
                self.stdout.write(
                    f"{line.stage.value}\t{line.case_id}\tdue {line.due_on}\t{line.rule}\t{counts}"
                )
        self.stdout.write(self.style.SUCCESS(report.summary()))
