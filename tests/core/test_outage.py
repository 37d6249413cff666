# SPDX-License-Identifier: EUPL-1.2
"""A database that cannot serve answers 503 with Retry-After, logs one line, and recovers.

The outage is simulated with an execute wrapper that fails the chosen queries the way the
drivers do (the fault suite in tests/config/test_faults.py stops a real PostgreSQL cluster).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import Client

from ketentafel.accounts.models import User
from ketentafel.core.outage import database_unavailable

MakeUser = Callable[..., User]

pytestmark = pytest.mark.django_db(transaction=True)

API_PATH = "/api/v1/cases/"
SCREEN_PATH = "/casussen/"


@contextmanager
def failing(match: Callable[[str], bool], error: BaseException) -> Iterator[list[str]]:
    """Fail every query `match` accepts with `error`, as if the database had gone away."""
    failed: list[str] = []

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if match(sql):
            failed.append(sql)
            raise error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield failed


def _down() -> psycopg.OperationalError:
    return psycopg.OperationalError("connection failed: Connection refused")


def _is_case_query(sql: str) -> bool:
    return "cases_" in sql


def _is_session_query(sql: str) -> bool:
    return "django_session" in sql


@pytest.fixture
def signed_in(client: Client, make_user: MakeUser, login: Callable[[Client, Any], None]) -> Client:
    login(client, make_user())
    return client


def _warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_api_answers_a_503_problem_with_retry_after_when_a_view_cannot_reach_the_database(
    signed_in: Client, caplog: pytest.LogCaptureFixture
) -> None:
    signed_in.raise_request_exception = False
    with caplog.at_level(logging.WARNING), failing(_is_case_query, _down()) as failed:
        response = signed_in.get(API_PATH)
    assert failed
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == 503
    assert body["title"] == "Tijdelijk niet beschikbaar"
    lines = _warnings(caplog)
    assert len(lines) == 1
    assert lines[0].exc_info is None
    event = lines[0].msg
    assert isinstance(event, dict)
    assert event["event"] == "database_unavailable"
    assert event["path"] == API_PATH
    assert event["error"] == "OperationalError"


def test_a_screen_answers_a_dutch_503_page_when_the_session_cannot_be_read(
    signed_in: Client, caplog: pytest.LogCaptureFixture
) -> None:
    signed_in.raise_request_exception = False
    with caplog.at_level(logging.WARNING), failing(_is_session_query, _down()):
        response = signed_in.get(SCREEN_PATH)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<html lang="nl"' in page
    assert "Tijdelijk niet beschikbaar" in page
    assert "niet opgeslagen" in page
    assert "Traceback" not in page
    lines = _warnings(caplog)
    assert [line.msg["event"] for line in lines] == ["database_unavailable"]  # type: ignore[index]


def test_the_next_request_after_an_outage_is_served_again(signed_in: Client) -> None:
    signed_in.raise_request_exception = False
    with failing(_is_case_query, _down()):
        assert signed_in.get(API_PATH).status_code == 503
    assert signed_in.get(API_PATH).status_code == 200


def test_a_lock_timeout_answers_503(signed_in: Client) -> None:
    signed_in.raise_request_exception = False
    timeout = psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    with failing(_is_case_query, timeout):
        response = signed_in.get(API_PATH)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


def test_a_bug_in_a_query_on_sqlite_is_still_a_500() -> None:
    bug = OperationalError("no such column: x")
    bug.__cause__ = sqlite3.OperationalError("no such column: x")
    locked = OperationalError("database is locked")
    locked.__cause__ = sqlite3.OperationalError("database is locked")
    assert not database_unavailable(bug)
    assert database_unavailable(locked)
    assert database_unavailable(psycopg.errors.QueryCanceled("statement timeout"))
    assert not database_unavailable(ValueError("not a database error"))


def test_health_live_touches_no_database_and_no_session(signed_in: Client) -> None:
    with failing(lambda sql: True, _down()) as failed:
        response = signed_in.get("/health/live")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert failed == []
    assert "Set-Cookie" not in response.headers
    assert response.cookies == {}


def test_health_ready_reports_the_database_without_reading_the_session(
    signed_in: Client,
) -> None:
    signed_in.raise_request_exception = False
    with failing(_is_session_query, _down()) as failed:
        response = signed_in.get("/health/ready")
    assert response.status_code == 200
    assert failed == []
    assert response.cookies == {}
    body = response.json()
    assert body["database"] == "ok"
    assert body["queue"]["status"] in {"ok", "not_configured"}


@pytest.mark.parametrize("path", ["/health/ready", "/health"])
def test_health_ready_answers_503_when_the_database_is_down(client: Client, path: str) -> None:
    with failing(lambda sql: True, _down()):
        response = client.get(path)
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
