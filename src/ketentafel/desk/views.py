# SPDX-License-Identifier: EUPL-1.2
"""Screens that combine the rooms: the work queue and the manager's overview."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketentafel.core import http
from ketentafel.core.views import ScreenView
from ketentafel.desk import selectors

# Work queue and lists ---------------------------------------------------------------------


class WorkQueueView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        queue = selectors.work_queue_for(http.actor(request))
        return render(request, "desk/work_queue.html", {"queue": queue})


class OverviewView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        figures = selectors.house_figures_for(http.actor(request))
        return render(request, "desk/overview.html", {"figures": figures})
