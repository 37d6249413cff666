# SPDX-License-Identifier: EUPL-1.2
"""Append-only in the database: triggers that refuse changes to the audit tables.

On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE for every role; the deployment also
grants the application's role only SELECT and INSERT (docs/deployment.md). Maintenance that
must remove events (pruning at the end of their retention, emptying a test database) switches
the session to `session_replication_role = replica`, which ordinary triggers ignore and which
only a superuser (or a role granted SET on that parameter) may do. On SQLite, triggers refuse
UPDATE and DELETE; maintenance drops and recreates them inside its transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

#: The tables whose rows are never changed or removed by the application.
APPEND_ONLY = (
    "audit_auditevent",
    "audit_eventperson",
    "audit_eventdataparty",
    "audit_auditcheckpoint",
    "audit_auditrestore",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ketentafel_audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def _pg_install(tables: Sequence[str] = APPEND_ONLY) -> list[str]:
    statements = [_PG_FUNCTION]
    for table in tables:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ketentafel_audit_refuse();",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ketentafel_audit_refuse();",
        ]
    return statements


def _sqlite_install(tables: Sequence[str] = APPEND_ONLY) -> list[str]:
    statements = []
    for table in tables:
        for operation in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} "
                f"BEFORE {operation} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'the audit log is append-only: {operation} on {table} "
                "refused'); END;"
            )
    return statements


def _sqlite_remove() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{operation} ;"
        for table in APPEND_ONLY
        for operation in ("update", "delete")
    ]


def install_statements(vendor: str, tables: Sequence[str] = APPEND_ONLY) -> list[str]:
    if vendor == "postgresql":
        return _pg_install(tables)
    if vendor == "sqlite":
        return _sqlite_install(tables)
    return []


def install(connection: BaseDatabaseWrapper, tables: Sequence[str] = APPEND_ONLY) -> None:
    """Install the triggers on `tables` (a migration names the tables that exist at its step)."""
    with connection.cursor() as cursor:
        for statement in install_statements(connection.vendor, tables):
            cursor.execute(statement)


@contextmanager
def maintenance(using: str = "default") -> Iterator[None]:
    """Let this connection remove audit rows for the duration of the block."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        elif connection.vendor == "sqlite":
            for statement in _sqlite_remove():
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
            elif connection.vendor == "sqlite":
                for statement in _sqlite_install():
                    cursor.execute(statement)
