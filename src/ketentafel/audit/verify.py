# SPDX-License-Identifier: EUPL-1.2
"""Checking the audit log: every event against its hash, its neighbours and the checkpoints.

`chain_verify` walks the events in the order they were stored and reports every place where
the log is not what was written: an edited event (its content no longer gives its hash), a
deleted one (a gap in the sequence), an inserted or moved one (a sequence out of order, or a
link to the wrong predecessor), a rewritten stretch (a signed checkpoint that no longer
matches) and a truncated tail (the head or a checkpoint beyond the last event). Checkpoints
exported to a file outside the database can be given, so that deleting or forging checkpoint
rows shows as well (BIO 8.15: the periodic independent check).

A restore of the database to an earlier point loses the events after it. Once the restore is
recorded (`ketentafel audit restored`, a signed `AuditRestore` row, ADR 0013), the gap it
leaves and the exported checkpoints inside it are reported as a note, "restored to checkpoint
N; events after it are missing", not as tampering.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ketentafel.audit.chain import (
    GENESIS,
    HASHED_FIELDS,
    checkpoint_signature_valid,
    event_hash,
    load_public_key,
    public_key_b64,
    restore_signature_valid,
)
from ketentafel.audit.models import (
    AuditCheckpoint,
    AuditEvent,
    AuditHead,
    AuditRestore,
    EventDataParty,
    EventPerson,
)


@dataclass(frozen=True)
class Finding:
    """One place where the log differs from what was written."""

    seq: int | None
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"seq {self.seq}" if self.seq is not None else "log"
        if self.event_id is not None:
            where += f" (row id {self.event_id})"
        return f"{where}: {self.problem}"


@dataclass
class VerifyReport:
    events: int = 0
    checkpoints: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    #: Restores recorded in the log: what they lost, for the reader; not findings.
    notes: list[str] = field(default_factory=list)

    @property
    def is_intact(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class _Checkpoint:
    seq: int
    head_hash: str
    created_at: datetime.datetime
    signature: str


@dataclass(frozen=True)
class _Restore:
    epoch: int
    restored_seq: int
    restored_hash: str
    resumes_after_seq: int

    def lost(self, seq: int) -> bool:
        """Whether `seq` was written before the restore and lost with it."""
        return self.restored_seq < seq <= self.resumes_after_seq

    def note(self) -> str:
        return (
            f"restored to checkpoint {self.restored_seq}; events after it are missing: seq "
            f"{self.restored_seq + 1} to {self.resumes_after_seq} were lost with the restore, "
            f"and restore epoch {self.epoch} continues at seq {self.resumes_after_seq + 1}"
        )


def _restores(public: Ed25519PublicKey, report: VerifyReport) -> list[_Restore]:
    """The recorded restores whose signature holds; a forged one is a finding."""
    valid = []
    for row in AuditRestore.objects.order_by("epoch"):
        restore = _Restore(row.epoch, row.restored_seq, row.restored_hash, row.resumes_after_seq)
        if restore_signature_valid(
            public,
            row.epoch,
            row.restored_seq,
            row.restored_hash,
            row.resumes_after_seq,
            row.created_at,
            row.signature,
        ):
            valid.append(restore)
            report.notes.append(restore.note())
        else:
            report.findings.append(
                Finding(
                    row.restored_seq,
                    None,
                    f"restore record of epoch {row.epoch}: signature does not hold "
                    "(forged or altered)",
                )
            )
    return valid


def _lost(restores: list[_Restore], seq: int) -> bool:
    return any(restore.lost(seq) for restore in restores)


def _parse_external(rows: Iterable[Mapping[str, Any]]) -> list[_Checkpoint]:
    return [
        _Checkpoint(
            seq=int(row["seq"]),
            head_hash=str(row["head_hash"]),
            created_at=datetime.datetime.fromisoformat(str(row["created_at"])),
            signature=str(row["signature"]),
        )
        for row in rows
    ]


def _checkpoints(
    public: Ed25519PublicKey,
    external: list[_Checkpoint] | None,
    report: VerifyReport,
    restores: list[_Restore],
) -> dict[int, _Checkpoint]:
    """The checkpoints whose signature holds, keyed by seq; the others become findings."""
    stored = [
        _Checkpoint(c.seq, c.head_hash, c.created_at, c.signature)
        for c in AuditCheckpoint.objects.order_by("seq")
    ]
    trusted: dict[int, _Checkpoint] = {}
    for checkpoint in stored:
        if checkpoint_signature_valid(
            public,
            checkpoint.seq,
            checkpoint.head_hash,
            checkpoint.created_at,
            checkpoint.signature,
        ):
            trusted[checkpoint.seq] = checkpoint
        else:
            report.findings.append(
                Finding(
                    checkpoint.seq, None, "checkpoint signature does not hold (forged or altered)"
                )
            )
    if external is not None:
        stored_by_seq = {c.seq: c for c in stored}
        for checkpoint in external:
            if not checkpoint_signature_valid(
                public,
                checkpoint.seq,
                checkpoint.head_hash,
                checkpoint.created_at,
                checkpoint.signature,
            ):
                report.findings.append(
                    Finding(checkpoint.seq, None, "exported checkpoint has an invalid signature")
                )
                continue
            if _lost(restores, checkpoint.seq):
                # Exported before a recorded restore, for events the restore lost.
                continue
            in_db = stored_by_seq.get(checkpoint.seq)
            if in_db is None:
                report.findings.append(
                    Finding(
                        checkpoint.seq, None, "exported checkpoint is missing from the database"
                    )
                )
            elif in_db.head_hash != checkpoint.head_hash:
                report.findings.append(
                    Finding(
                        checkpoint.seq, None, "checkpoint in the database differs from the export"
                    )
                )
            trusted[checkpoint.seq] = checkpoint
    report.checkpoints = len(trusted)
    return trusted


def _index_rows(model: Any, column: str, low: int, high: int) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for event_id, value in (
        model.objects.filter(event_id__gte=low, event_id__lte=high)
        .order_by()
        .values_list("event_id", column)
    ):
        found[event_id].append(value)
    return found


def _restored_from(
    restores: list[_Restore], restored_seq: int, next_seq: int, restored_hash: str | None
) -> bool:
    """Whether a recorded restore ended the log at `restored_seq` (in `restored_hash`) and
    let it continue at `next_seq`."""
    return any(
        r.restored_seq == restored_seq
        and r.resumes_after_seq == next_seq - 1
        and r.restored_hash == restored_hash
        for r in restores
    )


def chain_verify(
    *,
    public_key: str | None = None,
    external_checkpoints: Iterable[Mapping[str, Any]] | None = None,
    batch_size: int = 5000,
) -> VerifyReport:
    """Check the whole log; the report lists every finding with its place."""
    started = time.perf_counter()
    report = VerifyReport()
    public = load_public_key(public_key or public_key_b64())
    external = None if external_checkpoints is None else _parse_external(external_checkpoints)
    restores = _restores(public, report)
    checkpoints = _checkpoints(public, external, report, restores)
    findings = report.findings

    columns = ("id", "prev_hash", "hash", *HASHED_FIELDS)
    last_id = 0
    expected_seq: int | None = None
    previous_hash: str | None = None
    previous_seq: int | None = None
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last_id).order_by("id").values(*columns)[:batch_size]
        )
        if not rows:
            break
        persons = _index_rows(EventPerson, "person_id", rows[0]["id"], rows[-1]["id"])
        parties = _index_rows(EventDataParty, "party_id", rows[0]["id"], rows[-1]["id"])
        for row in rows:
            seq, row_id = row["seq"], row["id"]
            if expected_seq is None:
                report.first_seq = seq
                if seq == 1 or _restored_from(restores, 0, seq, GENESIS):
                    previous_hash = GENESIS
                else:
                    anchor = checkpoints.get(seq - 1)
                    if anchor is None:
                        findings.append(
                            Finding(
                                seq,
                                row_id,
                                f"the log starts here: seq 1 to {seq - 1} are "
                                "missing and no checkpoint covers their removal",
                            )
                        )
                    previous_hash = anchor.head_hash if anchor else row["prev_hash"]
                expected_seq = seq
            if seq > expected_seq and _restored_from(
                restores, expected_seq - 1, seq, previous_hash
            ):
                pass  # the gap a recorded restore left; reported as a note
            elif seq > expected_seq:
                missing = f"seq {expected_seq}" + (
                    f" to {seq - 1}" if seq - 1 > expected_seq else ""
                )
                findings.append(
                    Finding(
                        expected_seq, None, f"{missing} missing (deleted) before row id {row_id}"
                    )
                )
            elif seq < expected_seq:
                findings.append(
                    Finding(
                        seq,
                        row_id,
                        f"out of order after seq {previous_seq} (inserted, duplicated or moved)",
                    )
                )
            if event_hash(row["prev_hash"], row) != row["hash"]:
                findings.append(Finding(seq, row_id, "content does not match its hash (edited)"))
            if row["prev_hash"] != previous_hash:
                findings.append(
                    Finding(
                        seq,
                        row_id,
                        f"does not link to the event before it (seq "
                        f"{previous_seq}): inserted, moved or rewritten",
                    )
                )
            checkpoint = checkpoints.get(seq)
            if checkpoint is not None and checkpoint.head_hash != row["hash"]:
                findings.append(
                    Finding(
                        seq,
                        row_id,
                        "differs from the signed checkpoint at this seq "
                        "(the chain was rewritten up to here)",
                    )
                )
            if sorted(persons.get(row_id, [])) != sorted(row["person_ids"]):
                findings.append(Finding(seq, row_id, "person index differs from the event"))
            if sorted(parties.get(row_id, [])) != sorted(row["data_party_ids"]):
                findings.append(Finding(seq, row_id, "party index differs from the event"))
            previous_hash, previous_seq = row["hash"], seq
            expected_seq = max(expected_seq, seq) + 1
            report.events += 1
        last_id = rows[-1]["id"]

    report.last_seq = previous_seq
    last_seq = previous_seq or 0
    beyond = [seq for seq in checkpoints if seq > last_seq and not _lost(restores, seq)]
    if beyond:
        reached = max((seq for seq in checkpoints if seq <= last_seq), default=0)
        findings.append(
            Finding(
                last_seq or None,
                None,
                f"truncated: a signed checkpoint covers seq "
                f"{max(beyond)} but the log ends at seq {last_seq}. If the database was "
                f"restored from a backup: restored to checkpoint {reached}; events after it "
                "are missing. Record the restore with `ketentafel audit restored "
                "--from-checkpoints FILE` (docs/deployment.md); otherwise events were removed",
            )
        )
    head = AuditHead.objects.filter(pk=1).first()
    resumed = (
        head is not None
        and head.hash == (previous_hash or GENESIS)
        and _restored_from(restores, last_seq, head.seq + 1, previous_hash or GENESIS)
    )
    if (
        head is not None
        and not resumed
        and (head.seq != last_seq or (last_seq and head.hash != previous_hash))
    ):
        findings.append(
            Finding(
                last_seq or None,
                None,
                f"truncated or rewritten: the chain's head is at seq "
                f"{head.seq} but the log ends at seq {last_seq}",
            )
        )
    report.seconds = time.perf_counter() - started
    return report
