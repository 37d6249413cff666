# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel audit verify|checkpoint|export-checkpoints|restored|public-key|new-key|prune`."""

from __future__ import annotations

import base64
import datetime
import json
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ketentafel.audit.chain import public_key_b64
from ketentafel.audit.services import (
    RestoreRefused,
    checkpoint_create,
    checkpoint_rows,
    event_rows,
    events_prune,
    restore_record,
)
from ketentafel.audit.verify import chain_verify


class Command(BaseCommand):
    help = "Verify, checkpoint and prune the tamper-evident audit log (docs/audit.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check every event; exit 1 on any finding.")
        verify.add_argument(
            "--checkpoints",
            type=Path,
            help="Checkpoints exported earlier (JSON lines), checked against the database.",
        )
        verify.add_argument(
            "--public-key", help="Verify with this public key instead of the configured one."
        )
        sub.add_parser("checkpoint", help="Sign the chain's current end.")
        export = sub.add_parser(
            "export-checkpoints", help="Write every checkpoint to a file outside the database."
        )
        export.add_argument("file", type=Path)
        events = sub.add_parser(
            "export-events", help="Append events after a seq to a JSON-lines file (log shipping)."
        )
        events.add_argument("file", type=Path)
        events.add_argument("--after-seq", type=int, default=0)
        restored = sub.add_parser(
            "restored",
            help=(
                "After restoring the database to an earlier point: sign its end and move new "
                "events past every exported seq (ADR 0013)."
            ),
        )
        restored.add_argument(
            "--from-checkpoints",
            type=Path,
            required=True,
            help="The newest export of the checkpoints (JSON lines), made before the restore.",
        )
        restored.add_argument(
            "--after-seq",
            type=int,
            default=0,
            help="The highest seq shipped elsewhere (export-events), if beyond the checkpoints.",
        )
        sub.add_parser("public-key", help="Print the public key that verifies checkpoints.")
        sub.add_parser("new-key", help="Print a new random signing key for AUDIT_SIGNING_KEY.")
        prune = sub.add_parser(
            "prune", help="Remove events past AUDIT_RETENTION_DAYS, up to a checkpoint."
        )
        prune.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "_" + action.replace("-", "_"))(**options)

    @staticmethod
    def _read_checkpoints(path: Path) -> list[dict[str, Any]]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            return [json.loads(line) for line in lines if line.strip()]
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: cannot read checkpoints: {exc}") from None

    def _verify(self, *, checkpoints: Path | None, public_key: str | None, **_: Any) -> None:
        external = None if checkpoints is None else self._read_checkpoints(checkpoints)
        report = chain_verify(public_key=public_key, external_checkpoints=external)
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        summary = (
            f"{report.events} events (seq {report.first_seq}..{report.last_seq}), "
            f"{report.checkpoints} checkpoints, {report.seconds:.1f} s"
        )
        if report.is_intact:
            self.stdout.write(self.style.SUCCESS(f"Audit log intact: {summary}."))
            return
        for finding in report.findings:
            self.stdout.write(self.style.ERROR(str(finding)))
        raise CommandError(f"Audit log NOT intact: {len(report.findings)} findings; {summary}.")

    def _checkpoint(self, **_: Any) -> None:
        checkpoint = checkpoint_create()
        if checkpoint is None:
            self.stdout.write("Nothing new to sign.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Signed checkpoint at seq {checkpoint.seq}."))

    def _export_checkpoints(self, *, file: Path, **_: Any) -> None:
        rows = checkpoint_rows()
        file.write_text(
            "".join(json.dumps(row, sort_keys=True) + "\n" for row in rows), encoding="utf-8"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} checkpoints to {file}."))

    def _export_events(self, *, file: Path, after_seq: int, **_: Any) -> None:
        count, last = 0, after_seq
        with file.open("a", encoding="utf-8") as out:
            for row in event_rows(after_seq=after_seq):
                out.write(json.dumps(row, sort_keys=True, default=str) + "\n")
                count, last = count + 1, row["seq"]
        self.stdout.write(
            self.style.SUCCESS(f"Appended {count} events to {file}; next --after-seq {last}.")
        )

    def _restored(self, *, from_checkpoints: Path, after_seq: int, **_: Any) -> None:
        exported = self._read_checkpoints(from_checkpoints)
        try:
            restore = restore_record(exported_checkpoints=exported, after_seq=after_seq)
        except (RestoreRefused, KeyError, ValueError) as exc:
            raise CommandError(f"Restore not recorded: {exc}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restore epoch {restore.epoch} recorded: the log was restored to seq "
                f"{restore.restored_seq}; seq {restore.restored_seq + 1} to "
                f"{restore.resumes_after_seq} are lost, new events start at seq "
                f"{restore.resumes_after_seq + 1}."
            )
        )

    def _public_key(self, **_: Any) -> None:
        self.stdout.write(public_key_b64())

    def _new_key(self, **_: Any) -> None:
        self.stdout.write(base64.b64encode(secrets.token_bytes(32)).decode())

    def _prune(self, *, dry_run: bool, **_: Any) -> None:
        days = settings.AUDIT_RETENTION_DAYS
        if days <= 0:
            self.stdout.write("AUDIT_RETENTION_DAYS is 0: events are kept for ever.")
            return
        before = timezone.now() - datetime.timedelta(days=days)
        count = events_prune(before=before, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"{verb} {count} events older than {before:%Y-%m-%d}.")
