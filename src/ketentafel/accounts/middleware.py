# SPDX-License-Identifier: EUPL-1.2
"""No page beyond login without a verified second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

# Routes a logged-in but not yet verified user may reach.
OPEN_ROUTES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:verify",
        "accounts:setup",
        "core:health",
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
