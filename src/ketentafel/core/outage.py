# SPDX-License-Identifier: EUPL-1.2
"""A database that is down, overloaded or holding a lock answers 503, never a hung worker or 500.

`OutageMiddleware` catches the errors that mean "the database cannot serve this request now"
(a connection refused or broken, a statement or lock timeout: `database_unavailable`) and
answers 503 with `Retry-After`: an RFC 9457 problem for the API, a Dutch page for screens. It
writes one structured log line per failed request (no traceback), closes the broken
connection so the next request connects afresh, and marks the answer as logged so Django does
not add a line of its own. Errors raised in a middleware (loading the session, say) reach
`server_error`, the project's handler500, which answers the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import structlog
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

import ketentafel

try:  # psycopg is installed where PostgreSQL is used; SQLite deployments may lack it.
    import psycopg
except ImportError:  # pragma: no cover - psycopg is a dependency of the project
    psycopg = None  # type: ignore[assignment]

logger = structlog.get_logger("ketentafel.outage")

PROBLEM = "application/problem+json"
#: SQLite's words for "busy, try again": a lock held past the busy timeout, a file not there.
_SQLITE_TRANSIENT = ("locked", "busy", "unable to open")


def _driver_errors() -> tuple[type[BaseException], ...]:
    if psycopg is None:  # pragma: no cover
        return ()
    return (psycopg.OperationalError, psycopg.InterfaceError)


#: What a query raises when the database fails: Django's errors and the driver's own.
DRIVER_ERRORS: tuple[type[BaseException], ...] = (DatabaseError, *_driver_errors())


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot serve now (as opposed to a bug in a query).

    PostgreSQL: every OperationalError and InterfaceError (connection refused or lost, admin
    shutdown, statement and lock timeouts: QueryCanceled, LockNotAvailable). SQLite raises
    OperationalError for a bad query too, so there only "locked"/"busy"/"unable to open" count.
    """
    if isinstance(exc, _driver_errors()):
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.OperationalError):
        message = str(cause).lower()
        return any(word in message for word in _SQLITE_TRANSIENT)
    return True


def _sqlstate(exc: BaseException) -> str:
    for candidate in (exc, exc.__cause__):
        state = getattr(candidate, "sqlstate", None)
        if state:
            return str(state)
    return ""


def _close_connections() -> None:
    """Drop every connection that saw an error, so the next request connects afresh."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # a broken connection may fail to close; it is gone
            connection.connection = None


def outage_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 for `request` that failed with `exc`; logs one line and closes connections."""
    retry_after = str(settings.OUTAGE_RETRY_AFTER_SECONDS)
    # A middleware further out may touch the lost session again and fail a second time: the
    # request still gets one line.
    if not getattr(request, "_outage_logged", False):
        request._outage_logged = True  # type: ignore[attr-defined]
        logger.warning(
            "database_unavailable",
            method=request.method,
            path=request.path_info,
            error=type(exc.__cause__ or exc).__name__,
            sqlstate=_sqlstate(exc),
            status=503,
        )
    _close_connections()
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {
                "type": "about:blank",
                "title": "Tijdelijk niet beschikbaar",
                "status": 503,
                "detail": (
                    "De database is tijdelijk niet bereikbaar. Probeer het over "
                    f"{retry_after} seconden opnieuw; er is niets opgeslagen."
                ),
            },
            status=503,
            content_type=PROBLEM,
        )
    else:
        # Rendered without the request: the context processors would read the session and
        # the user from the database that is down.
        body = render_to_string(
            "503.html",
            {
                "ketentafel_version": ketentafel.__version__,
                "is_demo": settings.KETENTAFEL_DEMO,
                "retry_after": retry_after,
            },
        )
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    # Django's request logger would add a line (with traceback, for an uncaught error).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class OutageMiddleware:
    """Answer 503 when the database cannot serve a view (see the module's text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unavailable(exception):
            return outage_response(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage raised outside a view (a middleware reading the session) is a
    503 too; anything else is Django's 500."""
    import sys

    exc = sys.exc_info()[1]
    if exc is not None and database_unavailable(exc):
        return outage_response(request, exc)
    return defaults.server_error(request)
