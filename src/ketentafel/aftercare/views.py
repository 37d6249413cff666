# SPDX-License-Identifier: EUPL-1.2
"""Screens of nazorg ex-gedetineerden: registering DJI's notification, and the traffic light of
the five basic conditions on the case page. Thin: a form validates, one service or selector
acts, the template renders."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.aftercare import policies, selectors, services
from ketentafel.aftercare.forms import BasicConditionForm, DetentionNotificationForm
from ketentafel.cases import selectors as case_selectors
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.services import PersonInput
from ketentafel.cases.views import case_forms, render_case
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.views import ScreenView
from ketentafel.covenants.models import Party, PartyKind


def aftercare_panel(actor: User, access: CaseAccess) -> dict[str, Any]:
    """The case page's panel: the notification and the traffic light, for nazorg cases."""
    aftercare = selectors.aftercare_of(access)
    context: dict[str, Any] = {"aftercare": aftercare}
    if aftercare is not None and aftercare.may_set:
        context["basic_condition_form"] = BasicConditionForm()
    return context


class NotificationView(ScreenView):
    """Register a detention notification: a user of DJI for its institution, a process
    coordinator of the house on DJI's behalf."""

    def _form(self, request: HttpRequest) -> DetentionNotificationForm:
        actor = http.actor(request)
        houses = policies.notifying_houses(actor)
        if not houses.exists():
            raise NotAllowed(
                _(
                    "Een detentiemelding registreert DJI zelf of een procesregisseur van het "
                    "huis namens DJI."
                )
            )
        parties = Party.objects.members_of_houses(houses)
        return DetentionNotificationForm(
            request.POST if request.method == "POST" else None,
            houses=houses,
            dji_parties=(
                Party.objects.none()
                if policies.is_dji_user(actor)
                else parties.filter(kind=PartyKind.DJI).order_by("name")
            ),
            municipalities=parties.filter(kind=PartyKind.GEMEENTE).order_by("name"),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "aftercare/notify.html", {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notification = services.detention_notify(
                    actor=http.actor(request),
                    person=PersonInput(
                        given_names=data["given_names"],
                        surname=data["surname"],
                        birth_date=data["birth_date"],
                        bsn=data["bsn"],
                    ),
                    detention_start=data["detention_start"],
                    detention_end=data["detention_end"],
                    expected_release=data["expected_release"],
                    municipality_id=data["municipality"].pk,
                    institution=data["institution"],
                    house_id=data["house"].pk if data["house"] else None,
                    dji_party_id=data["dji_party"].pk if data["dji_party"] else None,
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De detentiemelding is geregistreerd."))
                return redirect("cases:detail", case_id=notification.case_id)
        return render(request, "aftercare/notify.html", {"form": form}, status=400)


class BasicConditionView(ScreenView):
    """Set one basic condition's light from the case page."""

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        form = BasicConditionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.basic_condition_set(
                    actor=actor,
                    case_id=case_id,
                    condition=data["condition"],
                    status=data["status"],
                    note=data["note"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het stoplicht is bijgewerkt."))
                return redirect("cases:detail", case_id=case_id)
        access = case_selectors.get_case_for(actor, case_id)
        forms = case_forms(actor, access)
        forms["basic_condition_form"] = form
        return render_case(request, access, forms, 400)
