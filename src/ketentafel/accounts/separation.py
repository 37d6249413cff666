# SPDX-License-Identifier: EUPL-1.2
"""Separation of duties in the database: a functional administrator holds no case role.

`accounts.services` refuses such a grant with a message; these triggers refuse it for any
other writer too (a shell, a script, a bug), on the whole set of a user's unrevoked roles,
which no single-row check constraint can see. On PostgreSQL the trigger first locks the user's
row, so two transactions that each add one half of the forbidden pair queue instead of both
passing. The set of case roles is read from `accounts.models.CASE_ROLES` when the migration
runs; a change to that set needs a migration that calls `install` again.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.backends.base.base import BaseDatabaseWrapper

from ketentafel.accounts.models import CASE_ROLES, Role

TABLE = "accounts_houserole"
MESSAGE = "separation of duties: a functional administrator holds no case role"


def _in_list(roles: Sequence[str]) -> str:
    return ", ".join(f"'{role}'" for role in roles)


def _conflict(new: str, *, exclude_self: bool) -> str:
    """SQL that is true when the row `new` would give its user both kinds of role."""
    admin = f"'{Role.FUNCTIONAL_ADMINISTRATOR.value}'"
    cases = _in_list([role.value for role in CASE_ROLES])
    other = f"o.user_id = {new}.user_id AND o.revoked_at IS NULL"
    if exclude_self:
        other += f" AND o.id <> {new}.id"
    # Built from the role constants above and fixed identifiers only, never from input.
    return (
        f"{new}.revoked_at IS NULL AND ("  # noqa: S608
        f"({new}.role = {admin} AND EXISTS (SELECT 1 FROM {TABLE} o WHERE {other} "
        f"AND o.role IN ({cases}))) OR "
        f"({new}.role IN ({cases}) AND EXISTS (SELECT 1 FROM {TABLE} o WHERE {other} "
        f"AND o.role = {admin})))"
    )


def _pg_install() -> list[str]:
    return [
        f"""
CREATE OR REPLACE FUNCTION ketentafel_role_separation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM accounts_user WHERE id = NEW.user_id FOR UPDATE;
    IF {_conflict("NEW", exclude_self=True)} THEN
        RAISE EXCEPTION '{MESSAGE} (user %)', NEW.user_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
""",
        f"DROP TRIGGER IF EXISTS {TABLE}_separation ON {TABLE};",
        f"CREATE TRIGGER {TABLE}_separation BEFORE INSERT OR UPDATE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION ketentafel_role_separation();",
    ]


def _sqlite_install() -> list[str]:
    statements = _sqlite_remove()
    for operation, exclude_self in (("INSERT", False), ("UPDATE", True)):
        statements.append(
            f"CREATE TRIGGER {TABLE}_separation_{operation.lower()} BEFORE {operation} ON {TABLE} "
            f"WHEN {_conflict('NEW', exclude_self=exclude_self)} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
    return statements


def _sqlite_remove() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {TABLE}_separation_{op};" for op in ("insert", "update")]


def install_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _pg_install()
    if vendor == "sqlite":
        return _sqlite_install()
    return []


def remove_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TABLE}_separation ON {TABLE};",
            "DROP FUNCTION IF EXISTS ketentafel_role_separation();",
        ]
    if vendor == "sqlite":
        return _sqlite_remove()
    return []


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in install_statements(connection.vendor):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in remove_statements(connection.vendor):
            cursor.execute(statement)
