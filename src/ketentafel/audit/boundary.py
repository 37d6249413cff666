# SPDX-License-Identifier: EUPL-1.2
"""Refusals are audit events too (OWASP ASVS 16.3: every authorisation decision is logged).

A refused request is recorded where it leaves the application, after the transaction of the
attempt has rolled back, so the denial stays even though nothing else does: the API's problem
handler and the 403/404 pages call `denial_record`. The event names the route and the object
id from the URL (ids are opaque UUIDs), never anything the user typed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework.response import Response

from ketentafel.audit.models import Action, Result
from ketentafel.audit.services import audit_record
from ketentafel.core.api import NOT_FOUND_DETAIL, PROBLEM
from ketentafel.core.api import problem_exception_handler as core_problem_handler
from ketentafel.core.errors import NotFound

DENIAL_STATUSES = {401, 403, 404}


def denial_record(request: HttpRequest, *, status: int) -> None:
    """Record that `request` was refused with `status`, if it addressed a known route."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    object_type, object_id = match.url_name or "", ""
    for name, value in match.kwargs.items():
        if name.endswith("_id"):
            object_type, object_id = name.removesuffix("_id"), str(value)
            break
    audit_record(
        actor=actor,
        action=Action.PERMISSION_DENIED,
        object_type=object_type,
        object_id=object_id,
        result=Result.DENIED,
        reason=f"HTTP {status} {request.method} {match.view_name}",
    )


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The API's problem responses, with refusals recorded."""
    response = core_problem_handler(exc, context)
    request = context.get("request")
    if response is not None and response.status_code in DENIAL_STATUSES and request is not None:
        denial_record(request._request, status=response.status_code)
    return response


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    denial_record(request, status=404)
    if request.path.startswith("/api/"):
        # A path no route matches (an id that is no UUID) is a 404 of the API too: a problem.
        body = {
            "type": "about:blank",
            "title": str(NotFound.title),
            "status": 404,
            "detail": str(NOT_FOUND_DETAIL),
        }
        return JsonResponse(body, status=404, content_type=PROBLEM)
    return defaults.page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    denial_record(request, status=403)
    return defaults.permission_denied(request, exception)
