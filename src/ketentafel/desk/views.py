# SPDX-License-Identifier: EUPL-1.2
"""Screens that combine the rooms: the work queue and the manager's overview."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketentafel.accounts.models import User
from ketentafel.core.views import ScreenView
from ketentafel.desk import selectors


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# Work queue and lists ---------------------------------------------------------------------


class WorkQueueView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        queue = selectors.work_queue_for(_actor(request))
        return render(request, "desk/work_queue.html", {"queue": queue})


class OverviewView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        figures = selectors.house_figures_for(_actor(request))
        return render(request, "desk/overview.html", {"figures": figures})
