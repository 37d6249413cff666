# SPDX-License-Identifier: EUPL-1.2
"""Every database connection carries statement, lock, idle-in-transaction and connect timeouts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

SHOW = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)


def _options(**env: str) -> dict[str, object]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.test"}
    environment.update(env)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, check=True
    )
    options: dict[str, object] = json.loads(result.stdout)
    return options


def test_postgresql_connections_get_the_default_timeouts() -> None:
    options = _options(DATABASE_URL="postgres://app@db.invalid:5432/ketentafel")
    assert options["options"] == (
        "-c statement_timeout=15s -c lock_timeout=5s -c idle_in_transaction_session_timeout=30s"
    )
    assert options["connect_timeout"] == 5


def test_the_timeouts_come_from_the_environment() -> None:
    options = _options(
        DATABASE_URL="postgres://app@db.invalid:5432/ketentafel",
        DATABASE_STATEMENT_TIMEOUT_SECONDS="60",
        DATABASE_LOCK_TIMEOUT_SECONDS="2",
        DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS="0",
        DATABASE_CONNECT_TIMEOUT_SECONDS="3",
    )
    assert options["options"] == (
        "-c statement_timeout=60s -c lock_timeout=2s -c idle_in_transaction_session_timeout=0s"
    )
    assert options["connect_timeout"] == 3


def test_sqlite_waits_for_a_lock_at_most_the_lock_timeout() -> None:
    options = _options(DATABASE_URL="sqlite:////tmp/ketentafel-timeouts.sqlite3")
    assert options["timeout"] == 5
    assert "PRAGMA busy_timeout=5000;" in str(options["init_command"])


def test_a_timeout_that_is_not_a_number_is_refused_with_its_name() -> None:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.test",
        "DATABASE_LOCK_TIMEOUT_SECONDS": "soon",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DATABASE_LOCK_TIMEOUT_SECONDS='soon' is not a whole number" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL session settings")
def test_the_server_applies_the_timeouts_to_the_application_connection() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()
        cursor.execute("SHOW idle_in_transaction_session_timeout")
        idle = cursor.fetchone()
    assert (statement, lock, idle) == (("15s",), ("5s",), ("30s",))
