# SPDX-License-Identifier: EUPL-1.2
"""No page beyond login without a verified second factor, and no session beyond its lifetime."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404
from django.utils.timezone import now

# The moment of signing in, in seconds since the epoch, kept in the session.
SIGNED_IN_AT = "ketentafel_signed_in_at"
# Why a session was ended by the application rather than by the user (see signals.py).
LOGOUT_CAUSE = "ketentafel_logout_cause"

# Routes a logged-in but not yet verified user may reach.
OPEN_ROUTES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:verify",
        "accounts:setup",
        "core:health",
        "core:health_live",
        "core:health_ready",
        "oidc_authentication_init",
        "oidc_authentication_callback",
        "set_language",
    }
)


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_active:
            logout(request)
            return redirect("accounts:login")
        if user.is_authenticated and not user.is_verified():  # type: ignore[attr-defined]
            try:
                route = resolve(request.path_info).view_name
            except Resolver404:
                route = ""
            # The API answers unverified sessions with a 401/403 problem instead.
            exempt = request.path_info.startswith(("/static/", "/api/"))
            if route not in OPEN_ROUTES and not exempt:
                return redirect("accounts:verify")
        return self.get_response(request)


def session_start(session: SessionBase) -> None:
    """Record in `session` that its user signed in now; the lifetime counts from here."""
    session[SIGNED_IN_AT] = int(now().timestamp())


class SessionLifetimeMiddleware:
    """End a session `SESSION_LIFETIME_HOURS` after sign-in, however active it was.

    The idle timeout (`SESSION_IDLE_MINUTES`) renews itself on every request, so a busy or
    scripted session could live for ever; this is the absolute limit beside it (ASVS 7.3.2).
    The logout is audited with its cause, and the browser is sent to the login page; the API
    answers the now anonymous request itself (401).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if not isinstance(started, int):
                # A session from before this control, or one signed in around `login()`.
                session_start(request.session)
            elif now().timestamp() - started >= settings.SESSION_LIFETIME_HOURS * 3600:
                setattr(request, LOGOUT_CAUSE, "session_lifetime")
                logout(request)
                if not request.path_info.startswith("/api/"):
                    return redirect("accounts:login")
        return self.get_response(request)
