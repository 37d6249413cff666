# SPDX-License-Identifier: EUPL-1.2
"""Never touch real data: the benchmark runs only on a database it claimed while empty.

A database is the benchmark's once it holds the `BenchDataset` row. The row is written only
into a database in which every table is empty (content types and permissions, which
migrations fill, excepted); any other database is refused before a single row changes.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from ketentafel.audit import protection
from ketentafel_devtools.models import BenchDataset

#: Tables migrations fill by themselves; they say nothing about whose database this is.
_SCHEMA_ONLY = frozenset({"contenttypes.ContentType", "auth.Permission"})


class NotABenchDatabase(Exception):
    """The database holds data the benchmark did not generate."""


def _guarded_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model is not BenchDataset
        and model._meta.label not in _SCHEMA_ONLY
    ]


def occupied_tables() -> list[str]:
    """The models that hold rows, by label."""
    return [m._meta.label for m in _guarded_models() if m._default_manager.exists()]


def claim() -> BenchDataset:
    """The marker of this benchmark database, claiming the database if it is empty.

    Raises `NotABenchDatabase` (and changes nothing) when the database is not marked and holds
    any data.
    """
    with transaction.atomic():
        marker = BenchDataset.objects.select_for_update().filter(pk=1).first()
        if marker is not None:
            return marker
        occupied = occupied_tables()
        if occupied:
            name = settings.DATABASES["default"]["NAME"]
            raise NotABenchDatabase(
                f"Database {name!r} is not a benchmark database: it holds data "
                f"({', '.join(occupied[:5])}{', ...' if len(occupied) > 5 else ''}) and no "
                "benchmark mark. The benchmark runs only on an empty database it claims itself; "
                "point DATABASE_URL at a database of its own (make bench uses ketentafel_bench)."
            )
        return BenchDataset.objects.create(pk=1, claimed_at=timezone.now())


def wipe(marker: BenchDataset) -> BenchDataset:
    """Empty every table of the claimed database and mark it again as the benchmark's."""
    if not BenchDataset.objects.filter(pk=marker.pk).exists():
        raise NotABenchDatabase("Only a claimed benchmark database is emptied.")
    tables = sorted(
        {m._meta.db_table for m in _guarded_models()}
        | {
            through._meta.db_table
            for m in _guarded_models()
            for f in m._meta.local_many_to_many
            if (through := f.remote_field.through) is not None
        }
        | {BenchDataset._meta.db_table}
    )
    with transaction.atomic(), protection.maintenance():
        statements = connection.ops.sql_flush(
            no_style(), tables, reset_sequences=True, allow_cascade=True
        )
        connection.ops.execute_sql_flush(statements)
        return BenchDataset.objects.create(pk=1, claimed_at=timezone.now())


def ensure_database() -> bool:
    """Create the PostgreSQL database `DATABASE_URL` names if it does not exist yet.

    Returns whether it was created. Other engines create their database on first use.
    """
    if connection.vendor != "postgresql":
        return False
    import psycopg
    from psycopg import sql

    params: dict[str, Any] = dict(connection.get_connection_params())
    name = params.pop("dbname", None) or settings.DATABASES["default"]["NAME"]
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    params.pop("server_side_binding", None)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return False
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True
