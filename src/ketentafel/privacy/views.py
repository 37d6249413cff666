# SPDX-License-Identifier: EUPL-1.2
"""The privacy officer's screens: data-subject requests and deletion records; the register and
step views the incident screens extend (`incidents.views`).

Thin, as the case screens: a form validates, one service or selector acts, the template
renders. Reads go through `privacy.selectors`, which record them as the API does; writes through
`privacy.services`, which refuse what the AVG or the state of the object does not allow. Only
privacy officers get past `privacy.policies.privacy_scope_for`; everyone else gets a 403 that
the project's handler records.

A step that changes a request or an incident carries the version its page showed; one sent
from an older version (`StaleVersion`), or without one, changes nothing and answers 409 with
the page as it is now and the message at the form that was sent (docs/web.md, "Changes made at
the same time").
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketentafel.accounts.models import User
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.forms import ScreenForm, VersionedForm
from ketentafel.core.versions import StaleVersion
from ketentafel.core.views import ScreenView
from ketentafel.covenants import selectors as covenants
from ketentafel.privacy import selectors, services
from ketentafel.privacy.export import export_response
from ketentafel.privacy.forms import (
    CloseForm,
    ExportForm,
    ExtendForm,
    HouseForm,
    NoticeForm,
    RequestForm,
)
from ketentafel.privacy.models import RequestKind, RequestStatus
from ketentafel.privacy.policies import request_actions

# Data-subject requests ----------------------------------------------------------------------


class RequestListView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.request_rows_for(http.actor(request))
        return render(request, "privacy/request_list.html", {"rows": rows})


class RegisterView(ScreenView, abc.ABC):
    """Register a request or an incident: the empty form of the officer's houses; valid and
    allowed, on to its page with a message; refused, the form again with the service's
    message at the field, keeping what was typed."""

    template = ""
    form_class: type[HouseForm]
    success: Any = ""
    page = ""  # the new object's page; its one argument is the object's id

    @abc.abstractmethod
    def register(self, actor: User, data: dict[str, Any]) -> Any: ...

    def _form(self, request: HttpRequest) -> HouseForm:
        data = request.POST if request.method == "POST" else None
        return self.form_class(data, houses=selectors.privacy_houses_for(http.actor(request)))

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": self._form(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request)
        if form.is_valid():
            try:
                created = self.register(http.actor(request), form.cleaned_data)
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, self.success)
                return redirect(self.page, created.pk)
        return render(request, self.template, {"form": form}, status=400)


class RequestRegisterView(RegisterView):
    template = "privacy/request_register.html"
    form_class = RequestForm
    success = gettext_lazy("Het verzoek is geregistreerd.")
    page = "privacy:request"

    def register(self, actor: User, data: dict[str, Any]) -> Any:
        return services.request_register(
            actor=actor,
            house_id=data["house"].pk,
            kind=RequestKind(data["kind"]),
            received_on=data["received_on"],
            subject_bsn=data["subject_bsn"],
            subject_surname=data["subject_surname"],
            subject_birth_date=data["subject_birth_date"],
            description=data["description"],
        )


def _request_forms(actor: User, version: int) -> dict[str, ScreenForm]:
    at = {"version": version}
    return {
        "start_form": VersionedForm(initial=at),
        "extend_form": ExtendForm(initial=at),
        "close_form": CloseForm(initial=at),
        "notice_form": NoticeForm(parties=covenants.member_parties_for(actor)),
    }


def mark_stale(context: dict[str, Any], stale: str) -> None:
    """The form named `stale` (unbound, at the current version) says the submit was not saved."""
    if stale:
        form = context[stale]
        assert isinstance(form, VersionedForm)
        form.mark_stale()


def _render_request(
    request: HttpRequest,
    request_id: UUID,
    forms: dict[str, ScreenForm] | None = None,
    status: int = 200,
    stale: str = "",
) -> HttpResponse:
    actor = http.actor(request)
    page = selectors.request_page_for(actor, request_id)
    context: dict[str, Any] = {
        "page": page,
        "subject_request": page.request,
        "actions": request_actions(page.request),
        **_request_forms(actor, page.request.version),
        **(forms or {}),
    }
    mark_stale(context, stale)
    return render(request, "privacy/request_detail.html", context, status=status)


class RequestDetailView(ScreenView):
    def get(self, request: HttpRequest, request_id: UUID) -> HttpResponse:
        return _render_request(request, request_id)


class StepView(ScreenView, abc.ABC):
    """A step sent from a request's or an incident's page: valid and allowed, back to the page
    with a message; refused, the page again with the service's message at the field or on
    top. Subclasses give the form, the service call and the message; `_RequestStep` and
    `incidents.views._IncidentStep` the page.

    A versioned form (`VersionedForm`) sent without a version or from an older one than the
    stored one answers 409: the page as it is now, with the message at that form."""

    form_name = ""
    success: Any = ""
    page = ""  # the page's URL name; its one argument is the object's id
    render: Callable[..., HttpResponse]

    @abc.abstractmethod
    def form(self, request: HttpRequest) -> ScreenForm: ...

    @abc.abstractmethod
    def act(self, actor: User, object_id: UUID, data: dict[str, Any]) -> None: ...

    def post(self, request: HttpRequest, **kwargs: UUID) -> HttpResponse:
        [object_id] = kwargs.values()
        form = self.form(request)
        if isinstance(form, VersionedForm) and form.is_stale:
            return self.render(request, object_id, status=409, stale=self.form_name)
        if form.is_valid():
            try:
                self.act(http.actor(request), object_id, form.cleaned_data)
            except (NotFound, NotAllowed):
                raise
            except StaleVersion:
                return self.render(request, object_id, status=409, stale=self.form_name)
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, self.success)
                return redirect(self.page, object_id)
        return self.render(request, object_id, {self.form_name: form}, status=400)


class _RequestStep(StepView):
    page = "privacy:request"
    render = staticmethod(_render_request)


class RequestExtendView(_RequestStep):
    form_name = "extend_form"
    success = gettext_lazy("De termijn is verlengd.")

    def form(self, request: HttpRequest) -> ScreenForm:
        return ExtendForm(request.POST)

    def act(self, actor: User, request_id: UUID, data: dict[str, Any]) -> None:
        services.request_extend(
            actor=actor,
            request_id=request_id,
            reason=data["reason"],
            expected_version=data["version"],
        )


class RequestCloseView(_RequestStep):
    form_name = "close_form"
    success = gettext_lazy("Het verzoek is afgesloten.")

    def form(self, request: HttpRequest) -> ScreenForm:
        return CloseForm(request.POST)

    def act(self, actor: User, request_id: UUID, data: dict[str, Any]) -> None:
        # As the API: the recipients to inform (art. 19) are the parties whose users received
        # the subject's data according to the access log.
        _scope, found = selectors.get_request_for(actor, request_id)
        services.request_close(
            actor=actor,
            request_id=request_id,
            status=RequestStatus(data["status"]),
            outcome=data["outcome"],
            recipients_to_inform=selectors.recipients_for_request(actor, found),
            expected_version=data["version"],
        )


class RequestNoticeView(_RequestStep):
    form_name = "notice_form"
    success = gettext_lazy("De geïnformeerde ontvanger is vastgelegd.")

    def form(self, request: HttpRequest) -> ScreenForm:
        return NoticeForm(request.POST, parties=covenants.member_parties_for(http.actor(request)))

    def act(self, actor: User, request_id: UUID, data: dict[str, Any]) -> None:
        services.notice_record(
            actor=actor,
            request_id=request_id,
            party_id=data["party"].pk if data["party"] else None,
            third_party=data["third_party"],
            informed_on=data["informed_on"],
            note=data["note"],
        )


class RequestStartView(ScreenView):
    """A button that sends only the version: stale, the page at 409; refused, back to the
    page with the service's message."""

    def post(self, request: HttpRequest, request_id: UUID) -> HttpResponse:
        form = VersionedForm(request.POST)
        if not form.is_valid():
            return _render_request(request, request_id, status=409, stale="start_form")
        try:
            services.request_start(
                actor=http.actor(request),
                request_id=request_id,
                expected_version=form.cleaned_data["version"],
            )
        except (NotFound, NotAllowed):
            raise
        except StaleVersion:
            return _render_request(request, request_id, status=409, stale="start_form")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Het verzoek is in behandeling."))
        return redirect("privacy:request", request_id=request_id)


class RequestMatchesView(ScreenView):
    """What is found about the subject, per controller, with the access log and recipients;
    audited as a search, as the API's `matches`."""

    def get(self, request: HttpRequest, request_id: UUID) -> HttpResponse:
        found = selectors.request_matches_for(http.actor(request), request_id)
        informed = {n.party_id for n in found.request.notices.all() if n.party_id}
        return render(
            request,
            "privacy/request_matches.html",
            {"found": found, "subject_request": found.request, "informed": informed},
        )


class RequestExportView(ScreenView):
    """The access export (art. 15) as a file; audited as an export, as the API's."""

    def get(self, request: HttpRequest, request_id: UUID) -> HttpResponse:
        form = ExportForm(request.GET)
        if not form.is_valid():
            messages.error(request, _("Kies PDF of JSON, en een partij uit de lijst."))
            return _render_request(request, request_id, status=400)
        export = selectors.request_export_for(
            http.actor(request), request_id, controller=form.cleaned_data["partij"]
        )
        return export_response(export, form.cleaned_data["formaat"] or "pdf")


# Retention ----------------------------------------------------------------------------------


class DeletionRecordListView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        records = selectors.deletion_record_rows_for(http.actor(request))
        return render(request, "privacy/deletion_records.html", {"records": records})
