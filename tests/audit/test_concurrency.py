# SPDX-License-Identifier: EUPL-1.2
"""Several writers at once leave one unbroken chain: the head lock makes them queue."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import OperationalError, connection, connections, transaction

from ketentafel.audit.models import Action, AuditEvent
from ketentafel.audit.services import audit_record
from ketentafel.audit.verify import chain_verify
from tests.audit.conftest import FakeActor

WRITERS = 4
EVENTS_EACH = 25


def _write(writer: int, errors: list[BaseException]) -> None:
    try:
        for n in range(EVENTS_EACH):
            for attempt in range(50):
                try:
                    with transaction.atomic():
                        audit_record(
                            actor=FakeActor(pk=writer, party_id=1),
                            action=Action.READ,
                            object_type="case",
                            object_id=uuid.uuid4(),
                            person_ids=[uuid.uuid4()],
                            purpose=f"writer-{writer}-{n}",
                        )
                    break
                except OperationalError:
                    # SQLite's shared in-memory test database reports a locked table instead
                    # of waiting; PostgreSQL waits on the head row and never gets here.
                    if connection.vendor != "sqlite" or attempt == 49:
                        raise
                    time.sleep(0.005)
    except BaseException as exc:
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_a_valid_chain(settings: object) -> None:
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_write, args=(w, errors)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEvent.objects.count() == WRITERS * EVENTS_EACH
    report = chain_verify()
    assert report.is_intact, [str(f) for f in report.findings]
    assert (report.first_seq, report.last_seq) == (1, WRITERS * EVENTS_EACH)
    purposes = set(AuditEvent.objects.values_list("purpose", flat=True))
    assert len(purposes) == WRITERS * EVENTS_EACH
