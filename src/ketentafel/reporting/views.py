# SPDX-License-Identifier: EUPL-1.2
"""The management information screen and its downloads. The figures hold no personal data;
who may read them is decided by `reporting.selectors`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketentafel.core import http
from ketentafel.core.errors import InvalidInput
from ketentafel.core.views import ScreenView
from ketentafel.reporting import exports, selectors
from ketentafel.reporting.forms import FiguresForm


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context["threshold"] = selectors.SMALL_NUMBER_THRESHOLD
    return render(request, "reporting/figures.html", context, status=status)


class WorkFiguresView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = http.actor(request)
        houses = selectors.reporting_houses_for(user)
        form = FiguresForm(request.GET, houses=houses)
        if not form.is_valid():
            return _page(request, {"form": form}, status=400)
        try:
            figures = selectors.work_figures_for(
                user,
                since=form.cleaned_data["van"],
                until=form.until,
                house_id=form.cleaned_data.get("huis"),
            )
        except InvalidInput as error:
            form.apply_domain_error(error)
            return _page(request, {"form": form}, status=400)
        fmt = form.cleaned_data.get("formaat")
        if fmt == "csv":
            return exports.csv_response(figures)
        if fmt == "xlsx":
            return exports.xlsx_response(figures)
        return _page(request, {"form": form, "figures": figures})
