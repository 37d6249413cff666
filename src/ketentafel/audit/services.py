# SPDX-License-Identifier: EUPL-1.2
"""Writing the audit log: the one call every service makes, checkpoints and pruning.

`audit_record` must run inside the caller's transaction for allowed actions, so the event and
the change it describes are stored together or not at all (ADR 0005). It takes the actor
duck-typed (anything with `pk` and `party_id`) so this app imports no domain app. Appends lock
the chain's head row, so concurrent writers queue instead of forking the chain (ADR 0006).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from ketentafel.audit import protection
from ketentafel.audit.chain import (
    GENESIS,
    HASHED_FIELDS,
    checkpoint_sign,
    event_hash,
    restore_sign,
)
from ketentafel.audit.models import (
    Action,
    AuditCheckpoint,
    AuditEvent,
    AuditHead,
    AuditRestore,
    EventDataParty,
    EventPerson,
    Result,
)
from ketentafel.audit.verify import chain_verify
from ketentafel.core.context import current_origin


class Actor(Protocol):
    pk: Any
    party_id: int | None


class AuditOutsideTransactionError(RuntimeError):
    """Raised when an event would be written outside the transaction of its change."""


def locked_head() -> AuditHead:
    """The chain's head, locked until the transaction ends, so one writer at a time extends
    the chain; made at genesis on first use."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(pk=1, seq=0, hash=GENESIS)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def audit_record(
    *,
    actor: Actor | None,
    action: Action,
    object_type: str,
    object_id: object = "",
    object_ids: Iterable[object] = (),
    person_ids: Iterable[object] = (),
    data_party_ids: Iterable[int] = (),
    case_id: object = "",
    house_id: int | None = None,
    role: str = "",
    purpose: str = "",
    result: Result = Result.ALLOWED,
    reason: str = "",
    on_behalf_of_party_id: int | None = None,
) -> AuditEvent:
    """Append one audit event describing an access to personal data.

    Denials may be recorded outside a transaction (the refused request changes nothing);
    everything else must share the transaction of the change it records.
    """
    if result == Result.ALLOWED and not connection.in_atomic_block:
        raise AuditOutsideTransactionError(
            "audit_record must be called inside the transaction of the change it records"
        )
    origin = current_origin()
    persons = sorted({str(p) for p in person_ids})
    parties = sorted({int(p) for p in data_party_ids})
    # No savepoint: an event that cannot be written must undo the change it records, so a
    # failure here marks the whole surrounding transaction for rollback.
    with transaction.atomic(savepoint=False):
        head = locked_head()
        event = AuditEvent(
            seq=head.seq + 1,
            prev_hash=head.hash,
            occurred_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_party_id=getattr(actor, "party_id", None),
            role=str(role),
            on_behalf_of_party_id=on_behalf_of_party_id or getattr(actor, "party_id", None),
            house_id=house_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id else "",
            object_ids=[str(i) for i in object_ids],
            person_ids=persons,
            data_party_ids=parties,
            case_id=str(case_id) if case_id else "",
            purpose=purpose,
            result=result,
            reason=reason[:300],
            request_id=origin.request_id[:64],
            ip_address=origin.ip_address[:45],
            user_agent=origin.user_agent[:300],
        )
        event.hash = event_hash(event.prev_hash, event.__dict__)
        event.save(force_insert=True)
        if persons:
            EventPerson.objects.bulk_create(
                [EventPerson(event=event, person_id=p) for p in persons]
            )
        if parties:
            EventDataParty.objects.bulk_create(
                [EventDataParty(event=event, party_id=p) for p in parties]
            )
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
        every = settings.AUDIT_CHECKPOINT_EVERY
        if every and event.seq % every == 0:
            _checkpoint_at(event.seq, event.hash)
    return event


def audit_listing(
    actor: Actor | None,
    *,
    object_type: str,
    object_ids: Iterable[object],
    purpose: str,
    person_ids: Iterable[object] = (),
    data_party_ids: Iterable[int] = (),
    action: Action = Action.SEARCH,
    object_id: object = "",
    house_id: int | None = None,
    role: str = "",
    reason: str = "",
) -> AuditEvent:
    """The one event of a list shown to `actor`, naming every object and person returned
    (NEN 7513: a search names what it returned). A read changes nothing, so the event has a
    transaction of its own."""
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_ids=object_ids,
            person_ids=person_ids,
            data_party_ids=data_party_ids,
            house_id=house_id,
            role=role,
            purpose=purpose,
            reason=reason,
        )


def _checkpoint_at(seq: int, head_hash: str) -> AuditCheckpoint:
    created_at = timezone.now()
    key, signature = checkpoint_sign(seq, head_hash, created_at)
    return AuditCheckpoint.objects.create(
        seq=seq, head_hash=head_hash, created_at=created_at, key_id=key, signature=signature
    )


def checkpoint_create() -> AuditCheckpoint | None:
    """Sign the chain's current end, unless a checkpoint already covers it."""
    with transaction.atomic():
        head = locked_head()
        if head.seq == 0 or AuditCheckpoint.objects.filter(seq=head.seq).exists():
            return None
        if not AuditEvent.objects.filter(seq=head.seq).exists():
            return None  # right after a restore the head points past the lost events
        return _checkpoint_at(head.seq, head.hash)


def checkpoint_rows() -> list[dict[str, Any]]:
    """Every checkpoint as plain data, for a file kept outside the database."""
    return [
        {
            "seq": c.seq,
            "head_hash": c.head_hash,
            "created_at": c.created_at.astimezone(datetime.UTC).isoformat(),
            "key_id": c.key_id,
            "signature": c.signature,
        }
        for c in AuditCheckpoint.objects.order_by("seq")
    ]


def event_rows(*, after_seq: int = 0, batch_size: int = 5000) -> Iterator[dict[str, Any]]:
    """Events after `after_seq` as plain data with their hashes, for shipping off the system."""
    last = after_seq
    while True:
        batch = list(
            AuditEvent.objects.filter(seq__gt=last)
            .order_by("seq")
            .values("seq", "prev_hash", "hash", *HASHED_FIELDS)[:batch_size]
        )
        if not batch:
            return
        yield from (dict(row) for row in batch)
        last = batch[-1]["seq"]


def events_prune(*, before: datetime.datetime, dry_run: bool = False) -> int:
    """Remove events older than `before`, up to the newest checkpoint that precedes them.

    The log is only cut at a checkpoint, so `verify` can start from that signed hash. This
    needs the database owner's rights on PostgreSQL (the application's role cannot delete).
    """
    last_old = (
        AuditEvent.objects.filter(occurred_at__lt=before).order_by("-seq").values("seq").first()
    )
    if last_old is None:
        return 0
    anchor = (
        AuditCheckpoint.objects.filter(seq__lte=last_old["seq"])
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    if anchor is None:
        return 0
    doomed = AuditEvent.objects.filter(seq__lte=anchor)
    count = doomed.count()
    if dry_run or count == 0:
        return count
    with transaction.atomic(), protection.maintenance():
        ids = doomed.values("pk")
        EventPerson.objects.filter(event__in=ids).delete()
        EventDataParty.objects.filter(event__in=ids).delete()
        doomed.delete()
    return count


class RestoreRefused(RuntimeError):
    """The log as restored does not match what was exported: a restore cannot explain it."""


def restore_record(
    *, exported_checkpoints: Iterable[Mapping[str, Any]], after_seq: int = 0
) -> AuditRestore:
    """Record that the database was restored to an earlier point (ADR 0013).

    `exported_checkpoints` are the checkpoints exported before the restore (the newest
    export), `after_seq` the highest seq shipped elsewhere (`export-events`), if higher. The
    log as restored must verify against every exported checkpoint it still reaches; then its
    end is signed as a checkpoint, a signed restore record opens the next epoch, and the head
    moves past every exported seq, so new events never reuse a number that left the system.
    """
    exported = list(exported_checkpoints)
    with transaction.atomic():
        head = locked_head()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        last_seq, last_hash = last if last is not None else (0, GENESIS)
        if head.seq != last_seq or head.hash != last_hash:
            raise RestoreRefused(
                f"the head (seq {head.seq}) is not at the last event (seq {last_seq}): "
                "record a restore only right after restoring, before the application writes"
            )
        reached = [row for row in exported if int(row["seq"]) <= last_seq]
        report = chain_verify(external_checkpoints=reached)
        if not report.is_intact:
            raise RestoreRefused(
                "the restored log does not verify against the exported checkpoints: "
                + "; ".join(str(finding) for finding in report.findings[:5])
            )
        resumes_after = max([after_seq, *(int(row["seq"]) for row in exported)])
        if resumes_after <= last_seq:
            raise RestoreRefused(
                f"nothing was lost: the log ends at seq {last_seq} and nothing exported "
                "goes beyond it"
            )
        if last_seq and not AuditCheckpoint.objects.filter(seq=last_seq).exists():
            _checkpoint_at(last_seq, last_hash)
        epoch = (AuditRestore.objects.aggregate(top=models.Max("epoch"))["top"] or 0) + 1
        created_at = timezone.now()
        key, signature = restore_sign(epoch, last_seq, last_hash, resumes_after, created_at)
        restore = AuditRestore.objects.create(
            epoch=epoch,
            restored_seq=last_seq,
            restored_hash=last_hash,
            resumes_after_seq=resumes_after,
            created_at=created_at,
            key_id=key,
            signature=signature,
        )
        head.seq = resumes_after
        head.save(update_fields=["seq"])
    return restore
