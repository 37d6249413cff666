# SPDX-License-Identifier: EUPL-1.2
"""A request id for every request: in the response header, every log line and audit event."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

import structlog
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

from ketentafel.core.client import client_address
from ketentafel.core.context import Origin, set_origin


class RequestIdMiddleware:
    """Give each request an id of the server's own making (uuid4).

    The id ties the audit events and log lines of one request together, so it must not come
    from the client: a client-chosen id could collide with another request's or forge a link
    between events. A client's `X-Request-ID` is ignored; the response carries the server's id
    in that header, for a support question or a log search.
    """

    header = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        set_origin(
            Origin(
                request_id=request_id,
                ip_address=client_address(request),
                user_agent=request.headers.get("User-Agent", "")[:300],
            )
        )
        response = self.get_response(request)
        response[self.header] = request_id
        return response


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every answer: no page may use camera, microphone, location,
    payment, USB and the like (settings.PERMISSIONS_POLICY lists them), defence in depth
    beside the headers of ASVS 5.0 V3.4.

    It is the outermost middleware, so redirects, errors and the static files WhiteNoise
    serves carry it too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.value)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer but static files.

    Nearly every page after login shows personal data, and a browser or proxy cache must not
    keep any of it (NEN 7510; ASVS 8.2.1), so the default is no-store and only `/static/`,
    which holds no data, may be cached.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class ChosenLanguageMiddleware:
    """Dutch unless the person chose English on the language switch.

    The browser's Accept-Language is ignored on purpose: the houses work in Dutch, and a
    browser set up in English must not turn the case meeting's screens English on its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


COMMITTED_WRITE = "committed_write"
_log = structlog.get_logger("ketentafel.session")


R = TypeVar("R", bound=HttpResponseBase)


def mark_committed(response: R) -> R:
    """Mark the answer of a write whose transaction has committed (`committed_write`)."""
    setattr(response, COMMITTED_WRITE, True)
    return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that a committed write's answer stands.

    The session is saved on every answer (`SESSION_SAVE_EVERY_REQUEST`), after the view: for a
    write that is after its commit. When the database fails just then, Django would answer 500
    for a write that was stored, and the client would send it again. For an answer marked by
    `mark_committed` the failure is logged (one line, no traceback) and the answer is sent
    without a refreshed session cookie; the session's own expiry is unchanged.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not getattr(response, COMMITTED_WRITE, False):
            return super().process_response(request, response)
        try:
            return super().process_response(request, response)
        except DatabaseError as exc:
            _log.warning("session_not_saved_after_commit", error=type(exc).__name__)
            return response
