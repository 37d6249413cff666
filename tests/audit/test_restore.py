# SPDX-License-Identifier: EUPL-1.2
"""A restore to an earlier point is told apart from tampering, and no seq is used twice.

The restore is simulated the way it leaves the database: the events and checkpoints written
after the restore point are gone and the head is back at the last event that remains
(tests/config/test_restore_drill.py restores a real dump on PostgreSQL).
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from ketentafel.audit import protection
from ketentafel.audit.models import (
    AuditCheckpoint,
    AuditEvent,
    AuditHead,
    AuditRestore,
    EventDataParty,
    EventPerson,
)
from ketentafel.audit.services import checkpoint_create
from ketentafel.audit.verify import chain_verify
from tests.audit.conftest import append_events

pytestmark = pytest.mark.django_db

EVENTS = 40
RESTORED_TO = 25


@pytest.fixture
def export(settings: Any, tmp_path: Path) -> Path:
    """40 events, checkpoints every 10, exported; then the database goes back to seq 25."""
    settings.AUDIT_CHECKPOINT_EVERY = 10
    append_events(EVENTS)
    path = tmp_path / "checkpoints.jsonl"
    call_command("audit", "export-checkpoints", str(path), stdout=StringIO())
    with transaction.atomic(), protection.maintenance():
        AuditCheckpoint.objects.filter(seq__gt=RESTORED_TO).delete()
        lost = AuditEvent.objects.filter(seq__gt=RESTORED_TO)
        EventPerson.objects.filter(event__in=lost).delete()
        EventDataParty.objects.filter(event__in=lost).delete()
        lost.delete()
        last = AuditEvent.objects.get(seq=RESTORED_TO)
        AuditHead.objects.filter(pk=1).update(seq=RESTORED_TO, hash=last.hash)
    return path


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def test_before_the_restore_is_recorded_verify_names_the_checkpoint_it_was_restored_to(
    export: Path,
) -> None:
    out = StringIO()
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify", "--checkpoints", str(export), stdout=out)
    assert "restored to checkpoint 20; events after it are missing" in out.getvalue()


def test_a_recorded_restore_verifies_against_checkpoints_exported_later(export: Path) -> None:
    out = StringIO()
    call_command("audit", "restored", "--from-checkpoints", str(export), stdout=out)
    assert "new events start at seq 41" in out.getvalue()

    text = _verify("--checkpoints", str(export))

    assert "Audit log intact" in text
    assert "restored to checkpoint 25; events after it are missing" in text
    restore = AuditRestore.objects.get()
    assert (restore.epoch, restore.restored_seq, restore.resumes_after_seq) == (1, 25, 40)
    assert AuditCheckpoint.objects.filter(seq=RESTORED_TO).exists()


def test_new_events_after_a_restore_never_reuse_an_exported_seq(
    export: Path, tmp_path: Path
) -> None:
    exported_seqs = {json.loads(line)["seq"] for line in export.read_text().splitlines()}
    call_command("audit", "restored", "--from-checkpoints", str(export), stdout=StringIO())
    assert checkpoint_create() is None  # the head points past the lost events: nothing to sign

    new = append_events(5)

    assert [event.seq for event in new] == [41, 42, 43, 44, 45]
    assert not exported_seqs & {event.seq for event in new}
    assert new[0].prev_hash == AuditEvent.objects.get(seq=RESTORED_TO).hash
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    assert checkpoint.seq == 45
    later = tmp_path / "later.jsonl"
    call_command("audit", "export-checkpoints", str(later), stdout=StringIO())
    for path in (export, later):
        report = chain_verify(
            external_checkpoints=[json.loads(line) for line in path.read_text().splitlines()]
        )
        assert report.is_intact, [str(f) for f in report.findings]
        assert (report.first_seq, report.last_seq, report.events) == (1, 45, 30)


def test_events_removed_inside_a_recorded_restore_epoch_are_still_found(export: Path) -> None:
    call_command("audit", "restored", "--from-checkpoints", str(export), stdout=StringIO())
    append_events(5)
    with transaction.atomic(), protection.maintenance():
        gone = AuditEvent.objects.filter(seq=43)
        EventPerson.objects.filter(event__in=gone).delete()
        EventDataParty.objects.filter(event__in=gone).delete()
        gone.delete()

    report = chain_verify()

    assert 43 in {f.seq for f in report.findings}


def test_a_forged_restore_record_explains_nothing(export: Path) -> None:
    call_command("audit", "restored", "--from-checkpoints", str(export), stdout=StringIO())
    with transaction.atomic(), protection.maintenance():
        AuditRestore.objects.update(resumes_after_seq=50)

    report = chain_verify()

    assert not report.is_intact
    assert any("restore record of epoch 1" in f.problem for f in report.findings)


def test_a_log_that_differs_from_the_export_cannot_be_recorded_as_restored(
    export: Path,
) -> None:
    with transaction.atomic(), protection.maintenance():
        AuditEvent.objects.filter(seq=15).update(actor_id=999)

    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit", "restored", "--from-checkpoints", str(export), stdout=StringIO())
    assert not AuditRestore.objects.exists()


def test_a_restore_that_lost_nothing_is_refused(settings: Any, tmp_path: Path) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 10
    append_events(20)
    path = tmp_path / "checkpoints.jsonl"
    call_command("audit", "export-checkpoints", str(path), stdout=StringIO())

    with pytest.raises(CommandError, match="nothing was lost"):
        call_command("audit", "restored", "--from-checkpoints", str(path), stdout=StringIO())


def test_the_restore_records_are_append_only(export: Path) -> None:
    call_command("audit", "restored", "--from-checkpoints", str(export), stdout=StringIO())
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditRestore.objects.update(resumes_after_seq=99)
