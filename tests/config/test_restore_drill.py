# SPDX-License-Identifier: EUPL-1.2
"""The restore drill dumps the database, restores it into a new one, compares and verifies."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ketentafel.audit import protection
from ketentafel.audit.models import AuditEvent
from ketentafel.covenants.services import LoadReport
from tests.audit.conftest import append_events

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the restore drill uses pg_dump and pg_restore: PostgreSQL only",
)


def _databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database")
        return {row[0] for row in cursor.fetchall()}


@postgresql_only
def test_the_drill_restores_a_copy_with_every_row_and_an_intact_audit_log(
    mini_region: LoadReport, settings: Any
) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 10
    append_events(25)
    before = _databases()
    out = StringIO()

    call_command("restore_drill", stdout=out)

    text = out.getvalue()
    assert "every count equal" in text
    assert "audit_auditevent: 25 rows" in text
    assert "Audit log intact: 25 events (seq 1..25), 2 checkpoints" in text
    assert "Restore drill passed." in text
    assert _databases() == before  # the copy is dropped afterwards


@postgresql_only
def test_the_drill_fails_when_the_restored_audit_log_does_not_verify(
    mini_region: LoadReport,
) -> None:
    append_events(3)
    with transaction.atomic(), protection.maintenance():
        AuditEvent.objects.filter(seq=2).update(actor_id=999)

    with pytest.raises(CommandError, match="audit verify on the restored copy failed"):
        call_command("restore_drill", stdout=StringIO())


@pytest.mark.skipif(connection.vendor == "postgresql", reason="checks the refusal on SQLite")
def test_the_drill_refuses_another_database_with_a_reason() -> None:
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("restore_drill", stdout=StringIO())
