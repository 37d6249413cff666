# SPDX-License-Identifier: EUPL-1.2
"""The privacy officer's screen: search the audit log (only privacy officers; NEN 7513)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketentafel.core import http
from ketentafel.core.views import ScreenView
from ketentafel.privacy.audit_log.forms import EventSearchForm
from ketentafel.privacy.audit_log.policies import audit_scope_for
from ketentafel.privacy.audit_log.selectors import event_page_for


class AuditSearchView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        audit_scope_for(http.actor(request))  # refuses anyone but a privacy officer
        return render(
            request, "privacy/audit_log/search.html", {"form": EventSearchForm(), "lines": None}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EventSearchForm(request.POST)
        lines = None
        if form.is_valid():
            lines = event_page_for(http.actor(request), form.event_filter())
        else:
            audit_scope_for(http.actor(request))
        return render(
            request,
            "privacy/audit_log/search.html",
            {"form": form, "lines": lines},
            status=200 if form.is_valid() else 400,
        )
