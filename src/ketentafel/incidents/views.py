# SPDX-License-Identifier: EUPL-1.2
"""The incident screens: the privacy officer's register of security incidents with the
72-hour clock, and the steering group's incident report.

Thin, as the other privacy screens (`privacy.views`, whose register and step views these
extend): reads through `incidents.selectors`, which record them as the API does; writes
through `incidents.services`. A step sent from an older version than the stored one changes
nothing and answers 409 (docs/web.md, "Changes made at the same time").
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketentafel.accounts.models import User
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.forms import ScreenForm, VersionedForm
from ketentafel.core.versions import StaleVersion
from ketentafel.core.views import ScreenView
from ketentafel.incidents import selectors, services
from ketentafel.incidents.forms import DecisionForm, EntryForm, IncidentForm, NotificationForm
from ketentafel.incidents.models import DataCategory, IncidentEntryKind
from ketentafel.incidents.policies import incident_actions
from ketentafel.privacy.forms import ReportPeriodForm
from ketentafel.privacy.views import RegisterView, StepView, mark_stale

# Security incidents -------------------------------------------------------------------------


class IncidentListView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.incident_rows_for(http.actor(request))
        return render(request, "incidents/list.html", {"rows": rows})


class IncidentRegisterView(RegisterView):
    template = "incidents/register.html"
    form_class = IncidentForm
    success = gettext_lazy("Het incident is geregistreerd.")
    page = "incidents:detail"

    def register(self, actor: User, data: dict[str, Any]) -> Any:
        return services.incident_register(
            actor=actor,
            house_id=data["house"].pk,
            discovered_at=data["discovered_at"],
            description=data["description"],
            people_affected=data["people_affected"],
            data_categories=data["data_categories"],
        )


def _render_incident(
    request: HttpRequest,
    incident_id: UUID,
    forms: dict[str, ScreenForm] | None = None,
    status: int = 200,
    stale: str = "",
) -> HttpResponse:
    page = selectors.incident_page_for(http.actor(request), incident_id)
    actions = incident_actions(page.incident)
    at = {"version": page.incident.version}
    context: dict[str, Any] = {
        "page": page,
        "incident": page.incident,
        "row": page.row,
        "actions": actions,
        "decision_form": DecisionForm(initial=at),
        "notification_form": NotificationForm(
            initial=at, authority_open="notify_authority" in actions
        ),
        "entry_form": EntryForm(),
        "close_form": VersionedForm(initial=at),
        **(forms or {}),
    }
    mark_stale(context, stale)
    return render(request, "incidents/detail.html", context, status=status)


class IncidentDetailView(ScreenView):
    def get(self, request: HttpRequest, incident_id: UUID) -> HttpResponse:
        return _render_incident(request, incident_id)


class _IncidentStep(StepView):
    page = "incidents:detail"
    render = staticmethod(_render_incident)


class IncidentDecisionView(_IncidentStep):
    form_name = "decision_form"
    success = gettext_lazy("Het besluit is vastgelegd.")

    def form(self, request: HttpRequest) -> ScreenForm:
        return DecisionForm(request.POST)

    def act(self, actor: User, incident_id: UUID, data: dict[str, Any]) -> None:
        services.incident_decide(
            actor=actor,
            incident_id=incident_id,
            must_notify_authority=data["must_notify"] == "yes",
            reason=data["reason"],
            expected_version=data["version"],
        )


class IncidentNotificationView(_IncidentStep):
    form_name = "notification_form"
    success = gettext_lazy("De melding is vastgelegd.")

    def form(self, request: HttpRequest) -> ScreenForm:
        # Both recipients are accepted here; the service refuses a second AP notification.
        return NotificationForm(request.POST)

    def act(self, actor: User, incident_id: UUID, data: dict[str, Any]) -> None:
        services.incident_notify(
            actor=actor,
            incident_id=incident_id,
            recipient=data["recipient"],
            notified_at=data["notified_at"],
            reference=data["reference"],
            expected_version=data["version"],
        )


class IncidentEntryView(_IncidentStep):
    form_name = "entry_form"
    success = gettext_lazy("De aantekening is toegevoegd.")

    def form(self, request: HttpRequest) -> ScreenForm:
        return EntryForm(request.POST)

    def act(self, actor: User, incident_id: UUID, data: dict[str, Any]) -> None:
        services.incident_entry_add(
            actor=actor,
            incident_id=incident_id,
            kind=IncidentEntryKind(data["kind"]),
            text=data["text"],
        )


class IncidentCloseView(ScreenView):
    """A button that sends only the version, as `RequestStartView`."""

    def post(self, request: HttpRequest, incident_id: UUID) -> HttpResponse:
        form = VersionedForm(request.POST)
        if not form.is_valid():
            return _render_incident(request, incident_id, status=409, stale="close_form")
        try:
            services.incident_close(
                actor=http.actor(request),
                incident_id=incident_id,
                expected_version=form.cleaned_data["version"],
            )
        except (NotFound, NotAllowed):
            raise
        except StaleVersion:
            return _render_incident(request, incident_id, status=409, stale="close_form")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Het incident is afgesloten."))
        return redirect("incidents:detail", incident_id=incident_id)


# Reports ------------------------------------------------------------------------------------


class IncidentReportView(ScreenView):
    """The periodic incident report for the steering group: counts only, no description, no
    person (Midden-Nederland and Gelderland-Midden Bijlage 4). Privacy officers, managers,
    location managers and steering-group members; the selector records the read. A period that
    is no period answers 400 at the field and reads nothing."""

    template = "incidents/report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = http.actor(request)
        houses = selectors.steering_report_houses_for(actor)  # refuses other roles first
        query = request.GET
        data = (
            query
            if ReportPeriodForm.is_sent(query)
            else ReportPeriodForm.default_data(timezone.localdate())
        )
        form = ReportPeriodForm(data, houses=houses)
        if not form.is_valid():
            return render(request, self.template, {"form": form}, status=400)
        since, until = form.period()
        report = selectors.incident_report_for(
            actor, since=since, until=until, house_id=form.house_id()
        )
        context = {
            "form": form,
            "report": report,
            "houses": [h.name for h in houses if h.pk in report.house_ids],
            "categories": [
                (DataCategory(key).label if key in DataCategory.values else key, n)
                for key, n in report.by_category.items()
            ],
            "months": [
                (datetime.date(int(key[:4]), int(key[5:7]), 1), n)
                for key, n in report.by_month.items()
            ],
        }
        return render(request, self.template, context)
