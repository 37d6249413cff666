# SPDX-License-Identifier: EUPL-1.2
"""Section "audit" (issue 4): what the audit log costs, how fast it grows and is verified.

- the dossier read with its audit event, and with the audit call switched off (patched to a
  no-op here only), so the difference is the audit's share of a read;
- appends per second through `audit_record`, each in its own transaction as services make
  them, by one writer and by two at once (they queue on the chain's head row);
- `verify` over the whole chain after it was extended in bulk to the requested size: hashes
  computed with `audit.chain.event_hash` exactly as `audit.services` does, checkpoints signed
  every `AUDIT_CHECKPOINT_EVERY` events, rows appended in batches;
- the same updates of an action written three ways: without any log, with django-auditlog
  (registered for the run only), and with `audit_record` in the update's transaction.
"""

from __future__ import annotations

import datetime
import random
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.audit import protection
from ketentafel.audit.chain import HASHED_FIELDS, checkpoint_sign, event_hash
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import (
    AuditCheckpoint,
    AuditEvent,
    EventDataParty,
    EventPerson,
    Result,
)
from ketentafel.audit.services import audit_record, locked_head
from ketentafel.audit.verify import chain_verify
from ketentafel.cases.models import Person, Phase
from ketentafel.information.selectors import dossier_for
from ketentafel.plans.models import Action, ActionStatus
from ketentafel_devtools.bench.generate.rows import insert_rows
from ketentafel_devtools.bench.measure import rate, timed
from ketentafel_devtools.bench.registry import BenchContext, Results, register

# The columns in the order `insert_rows` writes them: the row's id and links, then what the
# chain's hash covers (`audit.chain.HASHED_FIELDS`).
EVENT_COLUMNS = ("id", "seq", "prev_hash", "hash", *(f for f in HASHED_FIELDS if f != "seq"))
BULK_BATCH = 10_000


# Appending through the one audit call ------------------------------------------------------


def _subjects(limit: int = 5000) -> list[tuple[str, int, list[str]]]:
    """(case id, house id, person ids) of generated cases, for realistic events."""
    persons: dict[str, list[str]] = defaultdict(list)
    houses: dict[str, int] = {}
    for case_id, person_id, house_id in Person.objects.order_by().values_list(
        "case_id", "id", "case__house_id"
    )[: limit * 2]:
        persons[str(case_id)].append(str(person_id))
        houses[str(case_id)] = house_id
    return [(c, houses[c], p) for c, p in list(persons.items())[:limit]]


def _append(actor: User, subject: tuple[str, int, list[str]], n: int) -> None:
    case_id, house_id, person_ids = subject
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.READ,
            object_type="case",
            object_id=case_id,
            case_id=case_id,
            house_id=house_id,
            person_ids=person_ids,
            data_party_ids=[actor.party_id or 0],
            role=Role.PARTNER_PROFESSIONAL,
            purpose=f"bench-{n}",
        )


def _append_retrying(actor: User, subject: tuple[str, int, list[str]], n: int) -> None:
    for attempt in range(200):
        try:
            _append(actor, subject, n)
            return
        except OperationalError:
            # SQLite reports a locked database instead of waiting; PostgreSQL waits on the
            # head row and never gets here.
            if connection.vendor != "sqlite" or attempt == 199:
                raise
            time.sleep(0.002)


def _writers(actors: list[User], subjects: list[tuple[str, int, list[str]]], each: int) -> float:
    """Seconds for len(actors) threads to append `each` events apiece at the same time."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(actors) + 1)

    def write(writer: int) -> None:
        try:
            barrier.wait()
            for n in range(each):
                _append_retrying(actors[writer], subjects[(writer * each + n) % len(subjects)], n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(len(actors))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    return seconds


# Extending the chain in bulk ---------------------------------------------------------------


@contextmanager
def _bulk_load() -> Iterator[None]:
    """On PostgreSQL, load as a restore does: without a foreign-key check per index row.

    Those checks run at commit with a plan cached while the table was still small (a
    sequential scan each), which made loading a million events quadratic. The rows are
    consistent by construction, and `verify` compares every index row with its event.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with protection.maintenance():
        yield


def chain_extend(
    total: int, *, subjects: list[tuple[str, int, list[str]]], actors: list[User], seed: int = 7
) -> int:
    """Append events until the log holds `total`; returns how many were appended.

    The events continue the chain from its head and are hashed and checkpointed exactly as
    `audit_record` would; only the writing is batched.
    """
    rng = random.Random(seed)  # noqa: S311  synthetic events, reproducible by seed
    every = settings.AUDIT_CHECKPOINT_EVERY
    appended = 0
    next_id = (AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    next_person = (
        EventPerson.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ) + 1
    next_party = (
        EventDataParty.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ) + 1
    missing = total - AuditEvent.objects.count()
    while appended < missing:
        with transaction.atomic(), _bulk_load():
            head = locked_head()
            todo = min(BULK_BATCH, missing - appended)
            events: list[tuple[Any, ...]] = []
            persons: list[tuple[int, int, str]] = []
            parties: list[tuple[int, int, int]] = []
            checkpoints: list[AuditCheckpoint] = []
            seq, previous = head.seq, head.hash
            moment = timezone.now().astimezone(datetime.UTC)
            for n in range(todo):
                seq += 1
                actor = actors[rng.randrange(len(actors))]
                case_id, house_id, person_ids = subjects[rng.randrange(len(subjects))]
                kind = rng.random()
                if kind < 0.6:
                    action, object_type, object_ids = AuditAction.READ, "case", []
                elif kind < 0.85:
                    action, object_type = AuditAction.SEARCH, "informationitem"
                    object_ids = [
                        str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(rng.randint(3, 15))
                    ]
                else:
                    action, object_type, object_ids = AuditAction.UPDATE, "action", []
                fields: dict[str, Any] = {
                    "seq": seq,
                    "occurred_at": moment + datetime.timedelta(microseconds=n),
                    "actor_id": actor.pk,
                    "actor_party_id": actor.party_id,
                    "role": Role.PARTNER_PROFESSIONAL,
                    "on_behalf_of_party_id": actor.party_id,
                    "house_id": house_id,
                    "action": action,
                    "object_type": object_type,
                    "object_id": case_id,
                    "object_ids": object_ids,
                    "person_ids": sorted(person_ids),
                    "data_party_ids": sorted({actor.party_id or 0, rng.randint(1, 60)}),
                    "case_id": case_id,
                    "purpose": "complex_cases",
                    "result": Result.ALLOWED,
                    "reason": "",
                    "request_id": f"{rng.getrandbits(128):032x}",
                    "ip_address": f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                    "user_agent": "Mozilla/5.0 (X11; Linux x86_64) ketentafel-bench",
                }
                digest = event_hash(previous, fields)
                events.append(
                    (next_id, seq, previous, digest, *(fields[c] for c in EVENT_COLUMNS[4:]))
                )
                for person in fields["person_ids"]:
                    persons.append((next_person, next_id, person))
                    next_person += 1
                for party in fields["data_party_ids"]:
                    parties.append((next_party, next_id, party))
                    next_party += 1
                if every and seq % every == 0:
                    created_at = timezone.now()
                    key, signature = checkpoint_sign(seq, digest, created_at)
                    checkpoints.append(
                        AuditCheckpoint(
                            seq=seq,
                            head_hash=digest,
                            created_at=created_at,
                            key_id=key,
                            signature=signature,
                        )
                    )
                previous = digest
                next_id += 1
            insert_rows(AuditEvent, EVENT_COLUMNS, events)
            insert_rows(EventPerson, ("id", "event_id", "person_id"), persons)
            insert_rows(EventDataParty, ("id", "event_id", "party_id"), parties)
            AuditCheckpoint.objects.bulk_create(checkpoints)
            head.seq, head.hash = seq, previous
            head.save(update_fields=["seq", "hash"])
            _reset_sequences()  # in the batch's transaction, so an interrupted run leaves none
            appended += todo
    return appended


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(), [AuditEvent, EventPerson, EventDataParty]
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# django-auditlog side by side ---------------------------------------------------------------


@contextmanager
def _auditlog_registered() -> Iterator[Any]:
    from auditlog.models import LogEntry
    from auditlog.registry import auditlog

    auditlog.register(Action, include_fields=["what", "status", "due_on"])
    try:
        yield LogEntry
    finally:
        auditlog.unregister(Action)


def _updates(context: BenchContext, actor: User) -> Results:
    """The same action updates without a log, with django-auditlog and with audit_record."""
    writes = context.audit_writes
    actions = list(
        Action.objects.filter(plan__case__phase=Phase.ACTIVE, status=ActionStatus.OPEN)
        .select_related("plan__case__track")
        .order_by("pk")[:writes]
    )
    if not actions:
        raise RuntimeError("The dataset has no open actions in active cases.")
    persons: dict[Any, list[str]] = defaultdict(list)
    for case_id, person_id in Person.objects.filter(
        case_id__in={a.plan.case_id for a in actions}
    ).values_list("case_id", "id"):
        persons[case_id].append(str(person_id))

    def save(i: int, suffix: str) -> Action:
        action = actions[i % len(actions)]
        action.what = f"{action.what.split(' [')[0]} [{suffix} {i}]"
        action.save(update_fields=["what"])
        return action

    def plain(i: int) -> None:
        with transaction.atomic():
            save(i, "plain")

    def with_audit_record(i: int) -> None:
        with transaction.atomic():
            action = save(i, "audit")
            case = action.plan.case
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type="action",
                object_id=action.pk,
                case_id=case.pk,
                house_id=case.house_id,
                person_ids=persons[case.pk],
                role=Role.PROCESS_COORDINATOR,
                purpose=case.track.slug,
            )

    results: Results = {}
    for name, call in [("no_log", plain), ("ketentafel_audit_record", with_audit_record)]:
        started = time.perf_counter()
        timing = timed(call, repeat=writes, warmup=0)
        results[name] = {
            **timing.as_dict(),
            "events_per_second": rate(writes, time.perf_counter() - started),
        }
    if not apps.is_installed("auditlog"):
        results["django_auditlog"] = {
            "skipped": "django-auditlog is not installed; run with "
            "DJANGO_SETTINGS_MODULE=ketentafel.config.settings.bench (make bench)"
        }
    else:
        from auditlog.context import set_actor

        def with_auditlog(i: int) -> None:
            with transaction.atomic():
                save(i, "auditlog")

        with _auditlog_registered() as log_entry, set_actor(actor):
            before = log_entry.objects.count()
            started = time.perf_counter()
            timing = timed(with_auditlog, repeat=writes, warmup=0)
            seconds = time.perf_counter() - started
            written = log_entry.objects.count() - before
        if written != writes:
            raise RuntimeError(f"django-auditlog wrote {written} entries for {writes} updates")
        results["django_auditlog"] = {
            **timing.as_dict(),
            "events_per_second": rate(writes, seconds),
        }
    results["guarantees"] = {
        "ketentafel_audit_record": (
            "reads, searches and writes; event in the change's transaction; SHA-256 hash chain "
            "with signed checkpoints (tampering, deletion, insertion and truncation show in "
            "verify); append-only by database triggers; writers serialised on the chain head; "
            "person and data-party indexes for 'who saw this person'"
        ),
        "django_auditlog": (
            "writes only (create, update, delete via model signals), with a field diff; entry in "
            "the same transaction when the save is; no chain, no signature, rows can be changed "
            "or deleted by anyone with table rights; no record of reads or searches"
        ),
    }
    return results


# The section ---------------------------------------------------------------------------------


@register("audit", help="Audit overhead, append rate, verify speed, django-auditlog", order=20)
def run(context: BenchContext) -> Results:
    samples = context.samples
    dossiers = [(case_id, User.objects.get(pk=user_id)) for case_id, user_id in samples["dossier"]]
    professionals = list(User.objects.filter(pk__in=samples["professionals"]).order_by("pk"))
    coordinator = User.objects.get(pk=samples["coordinators"][0])
    subjects = _subjects()
    if not (dossiers and len(professionals) >= 2 and subjects):
        raise RuntimeError("The dataset has no samples to measure with; regenerate it.")
    results: Results = {}

    def dossier(i: int) -> None:
        case_id, user = dossiers[i % len(dossiers)]
        dossier_for(user, case_id)

    context.log("  audit: dossier with and without the audit write")
    with_audit = timed(dossier, repeat=context.repeat)
    with mock.patch("ketentafel.information.selectors.audit_record", _no_audit):
        without_audit = timed(dossier, repeat=context.repeat)
    results["dossier_with_audit"] = with_audit.as_dict()
    results["dossier_without_audit"] = without_audit.as_dict()
    results["dossier_audit_overhead_p50_ms"] = round(
        results["dossier_with_audit"]["p50_ms"] - results["dossier_without_audit"]["p50_ms"], 3
    )

    context.log("  audit: appends, one writer")
    writes = context.audit_writes
    started = time.perf_counter()
    single = timed(
        lambda n: _append(professionals[0], subjects[n % len(subjects)], n),
        repeat=writes,
        warmup=0,
    )
    results["append_one_writer"] = {
        **single.as_dict(),
        "events_per_second": rate(writes, time.perf_counter() - started),
    }
    context.log("  audit: appends, two writers at once")
    seconds = _writers(professionals[:2], subjects, writes)
    results["append_two_writers"] = {
        "events": 2 * writes,
        "seconds": round(seconds, 3),
        "events_per_second": rate(2 * writes, seconds),
    }

    context.log("  audit: side by side with django-auditlog")
    results["updates"] = _updates(context, coordinator)

    context.log(f"  audit: extending the chain to {context.audit_events} events")
    started = time.perf_counter()
    appended = chain_extend(context.audit_events, subjects=subjects, actors=professionals)
    results["chain_bulk_append"] = {
        "appended": appended,
        "seconds": round(time.perf_counter() - started, 3),
    }
    context.log("  audit: verify")
    report = chain_verify()
    results["verify"] = {
        "events": report.events,
        "checkpoints": report.checkpoints,
        "seconds": round(report.seconds, 3),
        "events_per_second": rate(report.events, report.seconds),
        "intact": report.is_intact,
        "findings": [str(f) for f in report.findings[:5]],
    }
    return results


def _no_audit(**kwargs: Any) -> None:
    """Stands in for `audit_record` while measuring what a read costs without it."""
