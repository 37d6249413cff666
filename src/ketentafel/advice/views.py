# SPDX-License-Identifier: EUPL-1.2
"""Screens of advice questions. Thin: a form validates, one service or selector acts, the
template renders."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketentafel.accounts.models import CASE_ROLES, Role
from ketentafel.accounts.policies import roles_in_force
from ketentafel.advice import selectors, services
from ketentafel.advice.forms import AdviceConcludeForm, AdviceForm
from ketentafel.advice.models import AdviceOutcome
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.views import ScreenView
from ketentafel.covenants import selectors as covenants

# Advice requests --------------------------------------------------------------------------


def _advice_form(request: HttpRequest, data: Any = None) -> AdviceForm:
    """The new advice question; a process coordinator also names the party that asked."""
    actor = http.actor(request)
    houses = covenants.houses_of(actor)
    in_force = roles_in_force(actor)
    coordinated = sorted(
        set(in_force.filter(role=Role.PROCESS_COORDINATOR).values_list("house_id", flat=True))
    )
    return AdviceForm(
        data,
        houses=houses.filter(pk__in=in_force.filter(role__in=CASE_ROLES).values("house_id")),
        parties=covenants.member_parties_for(actor, houses=coordinated) if coordinated else None,
        initial={"requesting_party": actor.party_id},
    )


class AdviceListView(ScreenView):
    """The advice requests the user may read, and the form to record a new one."""

    def _render(self, request: HttpRequest, form: AdviceForm, status: int = 200) -> HttpResponse:
        overview = selectors.advice_overview_for(http.actor(request))
        return render(
            request, "advice/advice_list.html", {"overview": overview, "form": form}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, _advice_form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = _advice_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            party = data.get("requesting_party")
            try:
                advice = services.advice_record(
                    actor=http.actor(request),
                    house_id=data["house"].pk,
                    question=data["question"],
                    requesting_party_id=party.pk if party else None,
                )
            except NotFound:
                raise
            except NotAllowed as error:
                if form.map_field(error.field) is None:
                    raise
                form.apply_domain_error(error)
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De adviesvraag is vastgelegd."))
                return redirect("advice:detail", advice_id=advice.pk)
        return self._render(request, form, 400)


def _render_advice(
    request: HttpRequest, sheet: Any, form: AdviceConcludeForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "advice/advice_detail.html",
        {"sheet": sheet, "advice": sheet.advice, "form": form},
        status=status,
    )


class AdviceDetailView(ScreenView):
    """One advice request; a process coordinator concludes it here or refers it."""

    def get(self, request: HttpRequest, advice_id: UUID) -> HttpResponse:
        sheet = selectors.advice_request_for(http.actor(request), advice_id)
        return _render_advice(request, sheet, AdviceConcludeForm())


class AdviceConcludeView(ScreenView):
    def post(self, request: HttpRequest, advice_id: UUID) -> HttpResponse:
        form = AdviceConcludeForm(request.POST)
        if form.is_valid():
            try:
                services.advice_conclude(
                    actor=http.actor(request),
                    advice_id=advice_id,
                    advice=form.cleaned_data["advice"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De adviesvraag is lokaal afgehandeld."))
                return redirect("advice:detail", advice_id=advice_id)
        sheet = selectors.advice_request_for(http.actor(request), advice_id)
        if not sheet.may_conclude and sheet.advice.outcome == AdviceOutcome.OPEN:
            # Refused whatever was typed: only the house's process coordinators conclude.
            raise NotAllowed(
                _("Alleen een procesregisseur van het huis handelt een adviesvraag af.")
            )
        return _render_advice(request, sheet, form, 400)
