# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel restore-drill`: prove that a backup of this database can be restored.

The drill dumps the current database (pg_dump, custom format) from one consistent snapshot,
restores the dump into a new database, compares the row count of every table between the
snapshot and the copy, and runs `ketentafel audit verify` on the copy. It drops the copy
afterwards unless asked to keep it. It needs PostgreSQL and the right to create databases;
docs/deployment.md ("Restore drill") says when to run it and what it proves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone
from psycopg import sql
from psycopg.conninfo import make_conninfo

from ketentafel.audit.chain import public_key_b64

TABLES = """
SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)
FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1
"""


def _counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(TABLES)]
    return {
        table: conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.SQL(table))  # quoted by the catalog
        ).fetchone()[0]  # type: ignore[index]
        for table in tables
    }


class Command(BaseCommand):
    help = "Dump the database, restore it into a new one, compare every table, verify the audit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default", help="Django database alias.")
        parser.add_argument(
            "--target", help="Name of the database to restore into (default: <name>_drill_<time>)."
        )
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="Exported audit checkpoints to verify the restored copy against.",
        )
        parser.add_argument(
            "--bin-dir", help="Directory of pg_dump and pg_restore (default: from PATH)."
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the restored database afterwards."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError(
                "The restore drill needs PostgreSQL (pg_dump and pg_restore); this database "
                f"is {connection.vendor}."
            )
        db = connection.settings_dict
        target = options["target"] or f"{db['NAME']}_drill_{timezone.now():%Y%m%d%H%M%S}"
        params = {
            "host": db.get("HOST") or "",
            "port": str(db.get("PORT") or ""),
            "user": db.get("USER") or "",
            "password": db.get("PASSWORD") or "",
        }
        conninfo = {key: value for key, value in params.items() if value}
        env = {**os.environ, "PGPASSWORD": params["password"]} if params["password"] else None
        flags = [f"--{key}={value}" for key, value in params.items() if value and key != "password"]
        pg_dump, pg_restore = (
            self._tool(name, options["bin_dir"]) for name in ("pg_dump", "pg_restore")
        )

        with tempfile.TemporaryDirectory(prefix="ketentafel-drill-") as workdir:
            dump = Path(workdir) / "ketentafel.dump"
            # One snapshot for the dump and the counts, so a live database compares exactly.
            with psycopg.connect(make_conninfo(dbname=db["NAME"], **conninfo)) as source:
                source.execute(
                    "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ"
                )
                source.execute("SET statement_timeout = 0")
                source.execute("SET idle_in_transaction_session_timeout = 0")
                snapshot = source.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
                started = time.perf_counter()
                self._run(
                    [
                        pg_dump,
                        *flags,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                        db["NAME"],
                    ],
                    env,
                )
                dump_seconds = time.perf_counter() - started
                expected = _counts(source)
            with psycopg.connect(
                make_conninfo(dbname=db["NAME"], **conninfo), autocommit=True
            ) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
            try:
                started = time.perf_counter()
                self._run(
                    [
                        pg_restore,
                        *flags,
                        "--exit-on-error",
                        "--no-owner",
                        f"--dbname={target}",
                        str(dump),
                    ],
                    env,
                )
                restore_seconds = time.perf_counter() - started
                with psycopg.connect(make_conninfo(dbname=target, **conninfo)) as copy:
                    restored = _counts(copy)
                self._compare(expected, restored)
                self.stdout.write(
                    f"Dump {dump.stat().st_size} bytes in {dump_seconds:.1f} s, restored into "
                    f"{target} in {restore_seconds:.1f} s; {len(expected)} tables, "
                    f"{sum(expected.values())} rows, every count equal."
                )
                self._verify(target, params, options["checkpoints"])
            finally:
                if not options["keep"]:
                    with psycopg.connect(
                        make_conninfo(dbname=db["NAME"], **conninfo), autocommit=True
                    ) as admin:
                        admin.execute(
                            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target))
                        )
        self.stdout.write(self.style.SUCCESS("Restore drill passed."))

    @staticmethod
    def _tool(name: str, bin_dir: str | None) -> str:
        found = str(Path(bin_dir) / name) if bin_dir else shutil.which(name)
        if not found or not Path(found).exists():
            raise CommandError(f"{name} not found; install the PostgreSQL client or pass --bin-dir")
        return found

    @staticmethod
    def _run(command: list[str], env: dict[str, str] | None) -> None:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:2000]}")

    def _compare(self, expected: dict[str, int], restored: dict[str, int]) -> None:
        problems = [
            f"{table}: {expected.get(table, 'absent')} in the database, "
            f"{restored.get(table, 'absent')} in the copy"
            for table in sorted(set(expected) | set(restored))
            if expected.get(table) != restored.get(table)
        ]
        for table in sorted(expected):
            self.stdout.write(f"  {table}: {expected[table]} rows", ending="\n")
        if problems:
            raise CommandError("The restored copy differs: " + "; ".join(problems))

    def _verify(self, target: str, params: dict[str, str], checkpoints: Path | None) -> None:
        """`ketentafel audit verify` against the copy, with this deployment's public key."""
        auth = quote(params["user"], safe="")
        if params["password"]:
            auth += ":" + quote(params["password"], safe="")
        host = params["host"] or "localhost"
        port = f":{params['port']}" if params["port"] else ""
        url = f"postgres://{auth}@{host}{port}/{quote(target, safe='')}"
        command = [
            sys.executable,
            "-m",
            "ketentafel",
            "audit",
            "verify",
            f"--public-key={public_key_b64()}",
        ]
        if checkpoints is not None:
            command.append(f"--checkpoints={checkpoints}")
        result = subprocess.run(  # noqa: S603
            command,
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=False,
            timeout=3600,
        )
        self.stdout.write(result.stdout.strip())
        if result.returncode != 0:
            raise CommandError(
                f"audit verify on the restored copy failed: {result.stderr.strip()[-2000:]}"
            )
