# SPDX-License-Identifier: EUPL-1.2
"""`verify` finds every single mutation of the log and names where it happened."""

from __future__ import annotations

import datetime
import json
import random
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from ketentafel.audit import protection
from ketentafel.audit.chain import event_hash
from ketentafel.audit.models import (
    AuditCheckpoint,
    AuditEvent,
    AuditHead,
    EventDataParty,
    EventPerson,
)
from ketentafel.audit.verify import chain_verify
from tests.audit.conftest import append_events

pytestmark = pytest.mark.django_db

EVENTS = 40


@pytest.fixture
def chain(settings: Any) -> list[AuditEvent]:
    settings.AUDIT_CHECKPOINT_EVERY = 10
    return append_events(EVENTS)


def _remove(events: Any) -> None:
    """Delete events with their index rows, as an attacker with the owner's rights could."""
    EventPerson.objects.filter(event__in=events).delete()
    EventDataParty.objects.filter(event__in=events).delete()
    events.delete()


def _seqs(findings: list[Any]) -> set[int]:
    return {f.seq for f in findings if f.seq is not None}


def _edit(rng: random.Random) -> int:
    seq = rng.randint(1, EVENTS)
    field, value = rng.choice(
        [
            ("actor_id", 999),
            ("object_id", "forged"),
            ("action", "delete"),
            ("result", "denied"),
            ("person_ids", ["00000000-0000-0000-0000-000000000001"]),
            ("occurred_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
            ("reason", "nothing to see"),
        ]
    )
    AuditEvent.objects.filter(seq=seq).update(**{field: value})
    return seq


def _delete(rng: random.Random) -> int:
    seq = rng.randint(2, EVENTS - 1)
    _remove(AuditEvent.objects.filter(seq=seq))
    return seq


def _swap(rng: random.Random) -> int:
    first, second = sorted(rng.sample(range(1, EVENTS + 1), 2))
    a = AuditEvent.objects.get(seq=first)
    b = AuditEvent.objects.get(seq=second)
    fields = [f.attname for f in AuditEvent._meta.concrete_fields if f.attname != "id"]
    values_a = {f: getattr(a, f) for f in fields}
    values_b = {f: getattr(b, f) for f in fields}
    AuditEvent.objects.filter(pk=a.pk).update(seq=-1)
    AuditEvent.objects.filter(pk=b.pk).update(**values_a)
    AuditEvent.objects.filter(pk=a.pk).update(**values_b)
    return first


def _insert_forged(rng: random.Random) -> int:
    """A forged event appended with correct chain arithmetic: only the head shows it."""
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    template = AuditEvent.objects.get(seq=rng.randint(1, EVENTS))
    template.pk = None
    template.seq = last.seq + 1
    template.prev_hash = last.hash
    template.hash = event_hash(template.prev_hash, template.__dict__)
    template.save(force_insert=True)
    return EVENTS + 1


def _insert_forged_between(rng: random.Random) -> int:
    """A forged event claiming a place inside the chain (its seq moved out of the way)."""
    seq = rng.randint(2, EVENTS)
    template = AuditEvent.objects.get(seq=seq)
    template.pk = None
    template.seq = 10_000 + seq
    template.save(force_insert=True)
    return 10_000 + seq


def _truncate(rng: random.Random) -> int:
    keep = rng.randint(1, EVENTS - 1)
    _remove(AuditEvent.objects.filter(seq__gt=keep))
    return keep


MUTATIONS = {
    "edit": _edit,
    "delete": _delete,
    "swap": _swap,
    "insert": _insert_forged,
    "insert-between": _insert_forged_between,
    "truncate": _truncate,
}


def test_an_untouched_log_is_intact(chain: list[AuditEvent]) -> None:
    report = chain_verify()
    assert report.is_intact, report.findings
    assert (report.events, report.first_seq, report.last_seq) == (EVENTS, 1, EVENTS)
    assert report.checkpoints == EVENTS // 10


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
@pytest.mark.parametrize("seed", range(6))
def test_verify_finds_each_single_mutation_and_names_its_place(
    chain: list[AuditEvent], kind: str, seed: int
) -> None:
    rng = random.Random(f"{kind}-{seed}")
    with transaction.atomic(), protection.maintenance():
        place = MUTATIONS[kind](rng)

    report = chain_verify()

    assert not report.is_intact, f"{kind} at {place} went unnoticed"
    assert place in _seqs(report.findings), [str(f) for f in report.findings]


def test_rewriting_the_rest_of_the_chain_still_shows_against_a_checkpoint(
    chain: list[AuditEvent],
) -> None:
    """An attacker who edits seq 5 and recomputes every later hash (and the head) is caught
    by the signed checkpoint at seq 10."""
    with transaction.atomic(), protection.maintenance():
        events = list(AuditEvent.objects.order_by("seq"))
        events[4].actor_id = 999
        previous = events[3].hash
        for event in events[4:]:
            event.prev_hash = previous
            event.hash = event_hash(previous, event.__dict__)
            AuditEvent.objects.filter(pk=event.pk).update(
                actor_id=event.actor_id, prev_hash=event.prev_hash, hash=event.hash
            )
            previous = event.hash
        AuditHead.objects.filter(pk=1).update(hash=previous)

    report = chain_verify()

    assert 10 in _seqs(report.findings)
    assert any("signed checkpoint" in f.problem for f in report.findings)


def test_deleted_checkpoints_show_against_the_exported_file(
    chain: list[AuditEvent], tmp_path: Path
) -> None:
    export = tmp_path / "checkpoints.jsonl"
    call_command("audit", "export-checkpoints", str(export), stdout=StringIO())
    assert len(export.read_text().splitlines()) == EVENTS // 10
    with transaction.atomic(), protection.maintenance():
        AuditCheckpoint.objects.filter(seq__gte=30).delete()
        _remove(AuditEvent.objects.filter(seq__gt=25))
        last = AuditEvent.objects.get(seq=25)
        AuditHead.objects.filter(pk=1).update(seq=25, hash=last.hash)

    assert chain_verify().is_intact  # the database alone now tells a consistent story

    out = StringIO()
    with pytest.raises(CommandError, match="NOT intact"):
        call_command("audit", "verify", "--checkpoints", str(export), stdout=out)
    assert "seq 30: exported checkpoint is missing from the database" in out.getvalue()
    assert "truncated" in out.getvalue()


def test_a_forged_checkpoint_signature_is_found(chain: list[AuditEvent]) -> None:
    with transaction.atomic(), protection.maintenance():
        AuditCheckpoint.objects.filter(seq=20).update(head_hash="f" * 64)
    report = chain_verify()
    assert 20 in _seqs(report.findings)


def test_verify_with_another_public_key_rejects_the_checkpoints(chain: list[AuditEvent]) -> None:
    other = "Y2ktZHVtbXktYXVkaXQtc2lnbmluZy1rZXktMzJieXQ="  # any 32 bytes make a public key
    report = chain_verify(public_key=other)
    assert {f.seq for f in report.findings} >= {10, 20, 30, 40}


def test_the_command_reports_an_intact_log(chain: list[AuditEvent]) -> None:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"Audit log intact: {EVENTS} events (seq 1..{EVENTS})" in out.getvalue()


def test_pruning_cuts_at_a_checkpoint_and_verify_starts_there(
    chain: list[AuditEvent], settings: Any
) -> None:
    settings.AUDIT_RETENTION_DAYS = 30
    cutoff = chain[24].occurred_at + datetime.timedelta(microseconds=1)
    from ketentafel.audit.services import events_prune

    assert events_prune(before=cutoff, dry_run=True) == 20
    assert AuditEvent.objects.count() == EVENTS
    assert events_prune(before=cutoff) == 20

    report = chain_verify()
    assert report.is_intact, report.findings
    assert report.first_seq == 21


def test_the_database_refuses_changes_to_the_log(chain: list[AuditEvent]) -> None:
    for attempt in (
        lambda: AuditEvent.objects.filter(seq=3).update(actor_id=1),
        lambda: AuditEvent.objects.filter(seq=3).delete(),
        lambda: AuditCheckpoint.objects.all().delete(),
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            attempt()
    if connection.vendor == "postgresql":
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_auditcheckpoint")
    assert AuditEvent.objects.aggregate(Max("seq"))["seq__max"] == EVENTS
    assert chain_verify().is_intact


def test_two_events_cannot_take_the_same_place(chain: list[AuditEvent]) -> None:
    template = AuditEvent.objects.get(seq=5)
    template.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        template.save(force_insert=True)


def test_exported_checkpoints_are_json_lines(chain: list[AuditEvent], tmp_path: Path) -> None:
    export = tmp_path / "c.jsonl"
    call_command("audit", "export-checkpoints", str(export), stdout=StringIO())
    rows = [json.loads(line) for line in export.read_text().splitlines()]
    assert [r["seq"] for r in rows] == [10, 20, 30, 40]
    assert all(len(r["head_hash"]) == 64 and r["signature"] for r in rows)


APP_ROLE = "ketentafel_app_ci"


def _as_application_role(cursor: Any, *, misgranted: bool) -> None:
    """Switch to a role granted as docs/deployment.md says (or, misgranted, everything)."""
    cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    if misgranted:
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    else:
        cursor.execute(f"GRANT SELECT, INSERT ON {', '.join(protection.APPEND_ONLY)} TO {APP_ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE ON audit_audithead TO {APP_ROLE}")
    cursor.execute(f"SET ROLE {APP_ROLE}")


def _attempt_as_application_role(statement: str, *, misgranted: bool) -> None:
    with connection.cursor() as cursor:
        _as_application_role(cursor, misgranted=misgranted)
        cursor.execute(statement)


@pytest.mark.parametrize("misgranted", [False, True])
def test_the_application_role_cannot_alter_the_log(
    chain: list[AuditEvent], misgranted: bool
) -> None:
    """PostgreSQL: neither grants nor an over-generous grant let the app's role change events.

    SQLite has no roles: there the triggers themselves must be present."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            triggers = {row[0] for row in cursor.fetchall()}
        assert {f"{t}_no_{op}" for t in protection.APPEND_ONLY for op in ("update", "delete")} <= (
            triggers
        )
        return
    refused = "append-only" if misgranted else "permission denied"
    for statement in (
        "UPDATE audit_auditevent SET actor_id = 1 WHERE seq = 3",
        "DELETE FROM audit_auditevent WHERE seq = 3",
        "TRUNCATE audit_auditcheckpoint",
        "SET session_replication_role = replica",
    ):
        expected = "permission denied" if "session_replication" in statement else refused
        with pytest.raises(Exception, match=expected), transaction.atomic():
            _attempt_as_application_role(statement, misgranted=misgranted)
    assert chain_verify().is_intact


def test_events_ship_off_the_system_incrementally(chain: list[AuditEvent], tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    call_command("audit", "export-events", str(target), "--after-seq", "30", stdout=StringIO())
    call_command("audit", "export-events", str(target), "--after-seq", "38", stdout=StringIO())
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["seq"] for r in rows] == [*range(31, 41), 39, 40]
    assert rows[0]["hash"] == chain[30].hash


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("not base64!", "audit.E001"),
        ("c2hvcnQ=", "audit.E001"),
        ("Y2ktZHVtbXktYXVkaXQtc2lnbmluZy1rZXktMzJieXQ=", None),
    ],
)
def test_a_broken_signing_key_stops_the_system_check(
    settings: Any, key: str, expected: str | None
) -> None:
    from ketentafel.audit.checks import audit_settings_check

    settings.AUDIT_SIGNING_KEY = key
    ids = [m.id for m in audit_settings_check()]
    assert ids == ([expected] if expected else [])
