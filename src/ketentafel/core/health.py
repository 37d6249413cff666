# SPDX-License-Identifier: EUPL-1.2
"""Health endpoints for load balancers and orchestrators; neither reads a session or a user.

- `/health/live`: the process answers. Touches nothing (no database, no session), so a
  database outage does not get healthy application processes restarted.
- `/health/ready`: this process can serve: the database answers `SELECT 1`, and the task
  queue is worked (the oldest task waiting to run is younger than
  `HEALTH_QUEUE_MAX_AGE_SECONDS`). 503 when not, so the load balancer sends traffic elsewhere.
- `/health`: the readiness check under its old name, for existing monitoring.

`HealthMiddleware` answers these paths before the session, authentication, CSRF and
second-factor middleware run, so a session cookie on the probe changes nothing and no session
row is read or written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

import ketentafel
from ketentafel.core.outage import DRIVER_ERRORS
from ketentafel.core.tasks import queue_status


def _answer(body: dict[str, Any], status: int) -> JsonResponse:
    response = JsonResponse({**body, "version": ketentafel.__version__}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def live(request: HttpRequest) -> HttpResponse:
    return _answer({"status": "ok"}, 200)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DRIVER_ERRORS:
        # The next request (or probe) connects afresh.
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def _queue(now: datetime.datetime) -> dict[str, Any]:
    """The task queue's state (`core.tasks.queue_status`): not configured (tasks run in the
    request, as in tests), ok, or stalled (the oldest due task waits too long: no worker runs,
    or the workers cannot keep up)."""
    try:
        status = queue_status(now=now)
    except DRIVER_ERRORS:
        connection.close_if_unusable_or_obsolete()
        return {"status": "unavailable"}
    if status["backend"] != "database":
        return {"status": "not_configured"}
    limit = settings.HEALTH_QUEUE_MAX_AGE_SECONDS
    age = int(status["oldest_ready_seconds"])
    return {
        "status": "ok" if age <= limit else "stalled",
        "oldest_ready_seconds": age,
        "max_age_seconds": limit,
        "ready": status["ready"],
        "dead": status["dead"],
    }


def ready(request: HttpRequest) -> HttpResponse:
    database = _database()
    queue = _queue(timezone.now()) if database == "ok" else {"status": "unknown"}
    healthy = database == "ok" and queue["status"] in {"ok", "not_configured"}
    return _answer(
        {"status": "ok" if healthy else "error", "database": database, "queue": queue},
        200 if healthy else 503,
    )


ROUTES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/health/live": live,
    "/health/ready": ready,
    "/health": ready,
}


class HealthMiddleware:
    """Answer the health paths (GET/HEAD) before any middleware that reads the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = ROUTES.get(request.path_info)
        if view is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        return view(request)
