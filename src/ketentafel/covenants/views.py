# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketentafel.accounts.policies import may_administer, roles_in_force
from ketentafel.core import http
from ketentafel.covenants.selectors import covenants_visible_to, get_covenant_for


def home(request: HttpRequest) -> HttpResponse:
    """The start page: the user's party, houses and roles, and where to go from here."""
    user = http.actor(request)
    return render(
        request,
        "covenants/home.html",
        {
            "roles": roles_in_force(user).order_by("house__name", "role"),
            "covenants": covenants_visible_to(user),
            "may_administer": may_administer(user),
        },
    )


def covenant_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = http.actor(request)
    return render(request, "covenants/covenant.html", {"covenant": get_covenant_for(user, slug)})
