# SPDX-License-Identifier: EUPL-1.2
"""Screens for information requests, the dossier and sharing. Thin: validate, call one service
or selector, render; reads go through the audited selectors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.cases.selectors import participating_parties
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.versions import StaleVersion
from ketentafel.core.views import ScreenView
from ketentafel.covenants import selectors as covenants
from ketentafel.information import selectors, services
from ketentafel.information.disclosures import disclosure_report_for
from ketentafel.information.forms import (
    DeclineForm,
    ItemForm,
    PreMeetingAssessmentForm,
    RequestForm,
    SharingForm,
)
from ketentafel.information.workflow import INFORMATION_REQUEST
from ketentafel.privacy.forms import DisclosurePeriodForm
from ketentafel.privacy.policies import privacy_scope_for


def _named_choices(case_id: UUID) -> Any:
    """Parties a supplier may name: the current covenant parties taking part in the case
    (only they can open the case to read a named item)."""
    return participating_parties(case_id)


class RequestListView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        overview = selectors.request_overview_for(http.actor(request))
        return render(request, "information/requests.html", {"overview": overview})


class RequestAnswerView(ScreenView):
    """Answer a request: supply an item, or say there is nothing to share."""

    def _render(
        self,
        request: HttpRequest,
        request_id: UUID,
        item_form: ItemForm | None = None,
        decline_form: DeclineForm | None = None,
        status: int = 200,
        stale: bool = False,
    ) -> HttpResponse:
        access, info_request = selectors.request_for(http.actor(request), request_id)
        if decline_form is None:
            decline_form = DeclineForm(initial={"version": info_request.version})
            if stale:
                decline_form.mark_stale()
        return render(
            request,
            "information/request_answer.html",
            {
                "case": access.case,
                "info_request": info_request,
                "steps": INFORMATION_REQUEST.allowed_steps(info_request),
                "item_form": item_form or ItemForm(parties=_named_choices(access.case.pk)),
                "decline_form": decline_form,
            },
            status=status,
        )

    def get(self, request: HttpRequest, request_id: UUID) -> HttpResponse:
        return self._render(request, request_id)

    def post(self, request: HttpRequest, request_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        _access, info_request = selectors.request_for(actor, request_id)
        form = ItemForm(request.POST, parties=_named_choices(info_request.case_id))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.information_item_supply(
                    actor=actor,
                    case_id=info_request.case_id,
                    life_domain=data["life_domain"],
                    text=data["text"],
                    legal_basis=data["legal_basis"],
                    data_category=data["data_category"],
                    sharing=data["sharing"],
                    named_party_ids=[p.pk for p in data["named_parties"]],
                    request_id=request_id,
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Uw antwoord is aangeleverd."))
                return redirect("information:requests")
        return self._render(request, request_id, item_form=form, status=400)


class RequestDeclineView(ScreenView):
    def post(self, request: HttpRequest, request_id: UUID) -> HttpResponse:
        form = DeclineForm(request.POST)
        if form.is_stale:
            return RequestAnswerView()._render(request, request_id, status=409, stale=True)
        if form.is_valid():
            try:
                services.information_request_decline(
                    actor=http.actor(request),
                    request_id=request_id,
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except (NotFound, NotAllowed):
                raise
            except StaleVersion:
                return RequestAnswerView()._render(request, request_id, status=409, stale=True)
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het verzoek is beantwoord: geen informatie."))
                return redirect("information:requests")
        return RequestAnswerView()._render(request, request_id, decline_form=form, status=400)


class CaseRequestsView(ScreenView):
    """The information coordinator's requests of one case, per party, with deadlines."""

    def _render(
        self,
        request: HttpRequest,
        case_id: UUID,
        form: RequestForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        actor = http.actor(request)
        access, requests = selectors.case_requests_for(actor, case_id)
        return render(
            request,
            "information/case_requests.html",
            {
                "case": access.case,
                "requests": requests,
                "form": form or RequestForm(parties=covenants.member_parties_for(actor)),
            },
            status=status,
        )

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        return self._render(request, case_id)

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        form = RequestForm(request.POST, parties=covenants.member_parties_for(actor))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.information_request_send(
                    actor=actor,
                    case_id=case_id,
                    party_id=data["party"].pk,
                    question=data["question"],
                    reason=data["reason"],
                    deadline=data["deadline"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het informatieverzoek is verstuurd."))
                return redirect("information:case-requests", case_id=case_id)
        return self._render(request, case_id, form, status=400)


class DossierView(ScreenView):
    """Items by life domain and supplier, each with who may read it; supplying an item."""

    def _render(
        self, request: HttpRequest, case_id: UUID, form: ItemForm | None = None, status: int = 200
    ) -> HttpResponse:
        actor = http.actor(request)
        sheet = selectors.dossier_sheet_for(actor, case_id)
        return render(
            request,
            "information/dossier.html",
            {
                "sheet": sheet,
                "case": sheet.access.case,
                "form": form or ItemForm(parties=_named_choices(case_id)),
            },
            status=status,
        )

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        return self._render(request, case_id)

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        form = ItemForm(request.POST, parties=_named_choices(case_id))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.information_item_supply(
                    actor=actor,
                    case_id=case_id,
                    life_domain=data["life_domain"],
                    text=data["text"],
                    legal_basis=data["legal_basis"],
                    data_category=data["data_category"],
                    sharing=data["sharing"],
                    named_party_ids=[p.pk for p in data["named_parties"]],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De informatie is toegevoegd aan het dossier."))
                return redirect("information:dossier", case_id=case_id)
        return self._render(request, case_id, form, status=400)


class ItemSharingView(ScreenView):
    """Change how an item is shared; only its supplier's party may. With htmx the form and the
    item card are swapped in place."""

    def _render(
        self,
        request: HttpRequest,
        item_id: UUID,
        form: SharingForm | None = None,
        status: int = 200,
        stale: bool = False,
    ) -> HttpResponse:
        actor = http.actor(request)
        access, item, audience = selectors.item_sheet_for(actor, item_id)
        if form is None:
            form = SharingForm(
                initial={
                    "sharing": item.sharing,
                    "named_parties": [s.party_id for s in item.shares.all()],
                    "version": item.version,
                },
                parties=_named_choices(item.case_id),
                prefix=f"s-{item.pk}",
            )
            if stale:
                form.mark_stale()
        template = (
            "information/_sharing_form.html"
            if request.htmx  # type: ignore[attr-defined]
            else "information/item_sharing.html"
        )
        context = {
            "case": access.case,
            "item": item,
            "audience": audience,
            "form": form,
            "is_own": item.supplier_party_id == actor.party_id,
        }
        return render(request, template, context, status=status)

    def get(self, request: HttpRequest, item_id: UUID) -> HttpResponse:
        return self._render(request, item_id)

    def post(self, request: HttpRequest, item_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        form = SharingForm(
            request.POST, parties=covenants.member_parties_for(actor), prefix=f"s-{item_id}"
        )
        # Stale: the item as it is now, with the message; with htmx a 200, so the card swaps.
        stale_status = 200 if request.htmx else 409  # type: ignore[attr-defined]
        if form.is_stale:
            return self._render(request, item_id, status=stale_status, stale=True)
        if form.is_valid():
            try:
                changed = services.item_sharing_change(
                    actor=actor,
                    item_id=item_id,
                    sharing=form.cleaned_data["sharing"],
                    named_party_ids=[p.pk for p in form.cleaned_data["named_parties"]],
                    expected_version=form.cleaned_data["version"],
                )
            except (NotFound, NotAllowed):
                raise
            except StaleVersion:
                return self._render(request, item_id, status=stale_status, stale=True)
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                if request.htmx:  # type: ignore[attr-defined]
                    _access, item, audience = selectors.item_sheet_for(actor, item_id)
                    return render(
                        request,
                        "information/_item.html",
                        {"item": item, "audience": audience, "is_own": True, "saved": True},
                    )
                messages.success(request, _("Het delen van het item is gewijzigd."))
                return redirect("information:dossier", case_id=changed.case_id)
        return self._render(request, item_id, form, status=400)


class PreMeetingAssessmentView(ScreenView):
    """The process coordinator's assessment of reading an item before the meeting, beside the
    supplier's approval (art. 13.2d): both must hold for the participants to read it."""

    template = "information/item_assessment.html"

    def _render(
        self,
        request: HttpRequest,
        item_id: UUID,
        form: PreMeetingAssessmentForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        actor = http.actor(request)
        access, item, audience, assessment = selectors.pre_meeting_sheet_for(actor, item_id)
        if form is None:
            initial = (
                {
                    "may_read_before_meeting": "yes"
                    if assessment.may_read_before_meeting
                    else "no",
                    "consulted_party": assessment.consulted_party_id,
                    "consulted_on": assessment.consulted_on,
                    "assessment": assessment.assessment,
                }
                if assessment
                else {"consulted_on": timezone.localdate()}
            )
            form = PreMeetingAssessmentForm(
                initial=initial, parties=selectors.consultable_parties(access)
            )
        context = {
            "case": access.case,
            "item": item,
            "audience": audience,
            "assessment": assessment,
            "form": form,
            "may_assess": access.is_process_coordinator,
        }
        return render(request, self.template, context, status=status)

    def get(self, request: HttpRequest, item_id: UUID) -> HttpResponse:
        return self._render(request, item_id)

    def post(self, request: HttpRequest, item_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        access, _item, _audience, _assessment = selectors.pre_meeting_sheet_for(actor, item_id)
        form = PreMeetingAssessmentForm(request.POST, parties=selectors.consultable_parties(access))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.pre_meeting_assess(
                    actor=actor,
                    item_id=item_id,
                    may_read_before_meeting=data["may_read_before_meeting"],
                    consulted_party_id=data["consulted_party"].pk,
                    consulted_on=data["consulted_on"],
                    assessment=data["assessment"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De beoordeling is vastgelegd."))
                return redirect("information:dossier", case_id=access.case.pk)
        return self._render(request, item_id, form, status=400)


class OwnItemsView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        items = selectors.own_items_for(http.actor(request))
        return render(request, "information/own_items.html", {"items": items})


class DisclosureReportPageView(ScreenView):
    """Disclosures to third parties for the privacy officer (art. 10.2): per supplying party,
    and every consent with what was given under it; never an item's text. It sits with the
    privacy screens (/privacy/verstrekkingen/) but lives here, next to the consents and their
    selector, which records the read. A bad period answers 400 at the field and reads nothing."""

    template = "information/disclosure_report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = http.actor(request)
        privacy_scope_for(actor)  # refuses every other role before anything is read
        query = request.GET
        data = (
            query
            if DisclosurePeriodForm.is_sent(query)
            else DisclosurePeriodForm.default_data(timezone.localdate())
        )
        form = DisclosurePeriodForm(data, parties=covenants.member_parties_for(actor))
        if not form.is_valid():
            return render(request, self.template, {"form": form}, status=400)
        since, until = form.period()
        report = disclosure_report_for(actor, since=since, until=until, party_id=form.party_id())
        return render(request, self.template, {"form": form, "report": report})
