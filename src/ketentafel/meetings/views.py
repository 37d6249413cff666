# SPDX-License-Identifier: EUPL-1.2
"""Screens of meetings, agenda items and the closing decision. Thin: a form validates, one
service or selector acts, the template renders."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.cases import selectors as case_selectors
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.services import Invitation
from ketentafel.cases.services import case_close as case_close_without_meeting
from ketentafel.cases.views import case_forms, render_case
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.versions import StaleVersion
from ketentafel.core.views import ScreenView
from ketentafel.covenants import selectors as covenants
from ketentafel.covenants.models import CASE_COORDINATOR, DecisionEffect
from ketentafel.meetings import exports, selectors, services
from ketentafel.meetings.forms import (
    AgendaItemForm,
    AgendaRecordForm,
    AgendaSearchForm,
    CaseAgendaForm,
    ClosureForm,
    MeetingForm,
    SessionDecisionForm,
)
from ketentafel.meetings.models import AgendaPurpose, MeetingStatus


def case_agenda_panel(actor: User, access: CaseAccess) -> dict[str, Any]:
    """The case page's panel for putting the case on a planned meeting's agenda."""
    agenda = selectors.case_agenda_for(access)
    return {
        "agenda_offered": agenda.offered,
        "agenda_bodies": " / ".join(agenda.body_labels),
        "agenda_items": agenda.items,
        "agenda_form": CaseAgendaForm(
            meetings=agenda.meetings, initial={"purpose": agenda.purpose}
        ),
    }


class CaseAgendaView(ScreenView):
    """Put the case on a planned meeting's agenda from the case page."""

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        access = case_selectors.access_for_read(actor, case_id)
        forms = case_forms(actor, access)
        form = CaseAgendaForm(request.POST, meetings=selectors.case_agenda_for(access).meetings)
        forms["agenda_form"] = form
        if form.is_valid():
            meeting = form.cleaned_data["meeting"]
            try:
                services.agenda_item_add(
                    actor=actor,
                    meeting_id=meeting.pk,
                    case_id=case_id,
                    purpose=form.cleaned_data["purpose"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De casus staat op de agenda."))
                return redirect("meetings:detail", meeting_id=meeting.pk)
        return render_case(request, case_selectors.get_case_for(actor, case_id), forms, 400)


# Meetings ---------------------------------------------------------------------------------


class MeetingListView(ScreenView):
    def _form(self, request: HttpRequest) -> MeetingForm:
        data = request.POST if request.method == "POST" else None
        return MeetingForm(data, bodies=covenants.case_meeting_bodies_for(http.actor(request)))

    def _render(self, request: HttpRequest, form: MeetingForm, status: int = 200) -> HttpResponse:
        meetings = (
            selectors.meetings_visible_to(http.actor(request))
            .select_related("body", "house")
            .order_by("-starts_at")[:100]
        )
        return render(
            request, "meetings/meetings.html", {"meetings": meetings, "form": form}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request)
        if form.is_valid():
            body = form.cleaned_data["body"]
            house = body.houses.filter(pk__in=covenants.houses_of(http.actor(request))).first()
            try:
                meeting = services.meeting_schedule(
                    actor=http.actor(request),
                    house_id=house.pk if house else 0,
                    body_id=body.pk,
                    starts_at=form.cleaned_data["starts_at"],
                    location=form.cleaned_data["location"],
                )
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het overleg is gepland."))
                return redirect("meetings:detail", meeting_id=meeting.pk)
        return self._render(request, form, 400)


class MeetingDetailView(ScreenView):
    def _render(
        self,
        request: HttpRequest,
        meeting_id: UUID,
        form: AgendaItemForm,
        status: int = 200,
        search_form: AgendaSearchForm | None = None,
    ) -> HttpResponse:
        sheet = selectors.meeting_page_for(http.actor(request), meeting_id)
        return render(
            request,
            "meetings/meeting.html",
            {
                "sheet": sheet,
                "meeting": sheet.meeting,
                "form": form,
                "search_form": search_form or AgendaSearchForm(),
            },
            status=status,
        )

    def get(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        return self._render(
            request, meeting_id, AgendaItemForm(initial={"purpose": AgendaPurpose.FIRST_DISCUSSION})
        )

    def post(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        """Put a case on the agenda."""
        form = AgendaItemForm(request.POST)
        if not selectors.meetings_visible_to(http.actor(request)).filter(pk=meeting_id).exists():
            raise NotFound(_("Dit overleg bestaat niet of u werkt niet in dit huis."))
        if form.is_valid():
            try:
                services.agenda_item_add(
                    actor=http.actor(request),
                    meeting_id=meeting_id,
                    case_id=form.cleaned_data["case"],
                    purpose=form.cleaned_data["purpose"],
                )
            except NotFound as error:
                # The meeting exists for this user, so what is missing is the case typed.
                form.apply_domain_error(NotFound(error.message, field="case"))
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De casus staat op de agenda."))
                return redirect("meetings:detail", meeting_id=meeting_id)
        # The cases found are not kept between requests, so the form that offered them is
        # gone: its errors go to the search, where the person looks again.
        search_form = AgendaSearchForm({"search": ""})
        search_form.errors["search"] = search_form.error_class(
            [
                f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
                for name, errors in form.errors.items()
                for message in errors
            ]
        )
        return self._render(
            request,
            meeting_id,
            AgendaItemForm(initial={"purpose": AgendaPurpose.FIRST_DISCUSSION}),
            400,
            search_form,
        )


class AgendaSearchView(ScreenView):
    """The meeting page with the cases found for its agenda (a POST: no name in a URL)."""

    def post(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        search_form = AgendaSearchForm(request.POST)
        form = AgendaItemForm(initial={"purpose": AgendaPurpose.FIRST_DISCUSSION})
        if not search_form.is_valid():
            return MeetingDetailView()._render(request, meeting_id, form, 400, search_form)
        found = selectors.agenda_candidates_for(
            http.actor(request), meeting_id, search_form.cleaned_data["search"]
        )
        form.set_candidates(found)
        if not found:
            search_form.add_error(
                "search", _("Geen casus gevonden die u op deze agenda kunt zetten.")
            )
        return MeetingDetailView()._render(request, meeting_id, form, 200, search_form)


class MeetingHoldView(ScreenView):
    def post(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        try:
            services.meeting_hold(actor=http.actor(request), meeting_id=meeting_id)
        except (NotFound, NotAllowed):
            raise
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Het overleg is vastgelegd als gehouden."))
        return redirect("meetings:detail", meeting_id=meeting_id)


class AgendaItemView(ScreenView):
    def _form(
        self, request: HttpRequest, access: Any, item: Any, *, current: bool = False
    ) -> AgendaRecordForm:
        """The form as sent, or (`current`, and on a GET) filled with the stored record."""
        data = request.POST if request.method == "POST" and not current else None
        case = access.case
        return AgendaRecordForm(
            data,
            initial={
                "version": item.version,
                "minutes": item.minutes,
                "progress": item.progress,
                "informs_client": item.informs_client,
                "on_arrest": item.on_arrest,
                "closure_criteria": item.closure_criteria,
                "case_coordinator_party": case.case_coordinator_party_id,
            },
            parties=covenants.member_parties_for(http.actor(request)).filter(
                pk__in=case.case_parties.values("party_id")
            ),
            # A decision that moves the case is the session's decision (`_decide_form`); the
            # record takes the decisions without effect only (services.agenda_item_record).
            decision_types=covenants.decision_types_for(case.house_id).filter(
                effect=DecisionEffect.NONE
            ),
            case_coordinator_word=case.house.covenant.role_label(CASE_COORDINATOR),
        )

    def _render(
        self,
        request: HttpRequest,
        access: Any,
        item: Any,
        form: Any,
        status: int = 200,
        decide_form: SessionDecisionForm | None = None,
    ) -> HttpResponse:
        if decide_form is None and item.meeting.status == MeetingStatus.HELD:
            decide_form = _decide_form(request, access, item, bound=False)
        discuss = access.case.track.process_spec.step("discuss")
        return render(
            request,
            "meetings/agenda_item.html",
            {
                "access": access,
                "case": access.case,
                "item": item,
                "form": form,
                "decide_form": decide_form,
                # The region's name for the first discussion (IJsselland: "Plan van aanpak in
                # het MDO", Bijlage 3 fase 4), where its process gives one.
                "discuss_label": discuss.label if discuss is not None else "",
            },
            status=status,
        )

    def get(self, request: HttpRequest, agenda_item_id: UUID) -> HttpResponse:
        access, item = selectors.agenda_item_for(http.actor(request), agenda_item_id)
        return self._render(request, access, item, self._form(request, access, item))

    def post(self, request: HttpRequest, agenda_item_id: UUID) -> HttpResponse:
        access, item = selectors.agenda_item_for(http.actor(request), agenda_item_id)
        form = self._form(request, access, item)
        if form.is_stale:
            return self._stale(request, access, item)
        if form.is_valid():
            data = form.cleaned_data
            party = data["case_coordinator_party"]
            decisions = (
                [
                    services.DecisionInput(
                        data["decision"],
                        data["decision_type"].pk if data["decision_type"] else None,
                    )
                ]
                if data["decision"].strip()
                else []
            )
            try:
                services.agenda_item_record(
                    actor=http.actor(request),
                    agenda_item_id=agenda_item_id,
                    minutes=data["minutes"],
                    progress=data["progress"],
                    informs_client=data["informs_client"],
                    on_arrest=data["on_arrest"],
                    closure_criteria=data["closure_criteria"],
                    case_coordinator_party_id=party.pk if party else None,
                    decisions=decisions,
                    expected_version=data["version"],
                )
            except (NotFound, NotAllowed):
                raise
            except StaleVersion:
                return self._stale(request, access, item)
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het verslag is opgeslagen."))
                return redirect("meetings:detail", meeting_id=item.meeting_id)
        return self._render(request, access, item, form, 400)

    def _stale(self, request: HttpRequest, access: Any, item: Any) -> HttpResponse:
        """Someone recorded first: the record as it is now, with the message; nothing saved."""
        access, item = selectors.agenda_item_for(http.actor(request), item.pk)
        form = self._form(request, access, item, current=True).mark_stale()
        return self._render(request, access, item, form, 409)


def _decide_form(
    request: HttpRequest, access: Any, item: Any, *, bound: bool
) -> SessionDecisionForm | None:
    """The form for a decision of the held session with its effect, when the track's process
    has this body take a step in the case's phase; None otherwise."""
    decision_types = selectors.session_decision_types(item)
    if not decision_types.exists():
        return None
    case = access.case
    return SessionDecisionForm(
        request.POST if bound else None,
        decision_types=decision_types,
        themes=covenants.themes_for(http.actor(request)).filter(covenant_id=case.house.covenant_id),
        parties=covenants.member_parties_for(http.actor(request)),
        covenant=case.house.covenant,
    )


class AgendaItemDecideView(AgendaItemView):
    """A decision of the held session on the case, taken with its effect (ADR 0018)."""

    def get(self, request: HttpRequest, agenda_item_id: UUID) -> HttpResponse:
        return redirect("meetings:agenda-item", agenda_item_id=agenda_item_id)

    def post(self, request: HttpRequest, agenda_item_id: UUID) -> HttpResponse:
        access, item = selectors.agenda_item_for(http.actor(request), agenda_item_id)
        form = _decide_form(request, access, item, bound=True)
        if form is None:
            messages.error(request, _("Dit overleg neemt over deze casus nu geen besluit."))
            return redirect("meetings:agenda-item", agenda_item_id=agenda_item_id)
        if form.is_valid():
            data = form.cleaned_data
            reason = data["invite_reason"]
            justification = data["invite_justification"]
            try:
                services.agenda_item_decide(
                    actor=http.actor(request),
                    agenda_item_id=agenda_item_id,
                    decision_type_id=data["decision_type"].pk,
                    text=data["decision"],
                    referrer_notice=data["referrer_notice"],
                    handed_over_to_id=data["handed_over_to"].pk if data["handed_over_to"] else None,
                    triage=services.TriageInput(
                        serious_area_problem=data.get("serious_area_problem", False),
                        system_impact=data.get("system_impact", False),
                        multiple_chains_needed=data.get("multiple_chains_needed", False),
                        multiple_problems=data.get("multiple_problems", False),
                        explanation=data["explanation"],
                        goal=data["goal"],
                        theme_ids=[t.pk for t in data["themes"]],
                        invitations=[
                            Invitation(
                                p.pk, _("Uitgenodigd door het overleg"), reason, justification
                            )
                            for p in data["invite"]
                        ],
                        municipality_view=data["municipality_view"],
                        referrer_consulted=data["referrer_consulted"],
                        referrer_consulted_on=data["referrer_consulted_on"],
                        referrer_consultation=data["referrer_consultation"],
                    ),
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het besluit is vastgelegd."))
                return redirect("meetings:detail", meeting_id=item.meeting_id)
        return self._render(
            request, access, item, self._form(request, access, item, current=True), 400, form
        )


# Exports ----------------------------------------------------------------------------------


class MeetingExportView(ScreenView):
    """Agenda or minutes of a meeting as PDF, marked confidential for the reader."""

    what = "agenda"

    def get(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        return exports.meeting_pdf_response(http.actor(request), meeting_id, what=self.what)


class MeetingCalendarView(ScreenView):
    def get(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        return exports.meeting_ical_response(http.actor(request), meeting_id)


class ClosureView(ScreenView):
    def _form(self, request: HttpRequest, access: Any) -> ClosureForm:
        case = access.case
        items = [
            (
                str(i.pk),
                f"{i.meeting.body.label} {i.meeting.starts_at:%d-%m-%Y}",
            )
            for i in case.agenda_items.select_related("meeting__body").filter(
                meeting__status=MeetingStatus.HELD
            )
        ]
        data = request.POST if request.method == "POST" else None
        close = case.track.process_spec.step("close")
        return ClosureForm(
            data,
            agenda_items=items,
            parties=covenants.member_parties_for(http.actor(request)),
            # A track that closes without a meeting (nazorg, Bijlage 3) asks for none.
            needs_meeting=close is None or bool(close.bodies),
        )

    def _render(
        self, request: HttpRequest, access: Any, form: ClosureForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request, "meetings/closure.html", {"case": access.case, "form": form}, status=status
        )

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        access = case_selectors.get_case_for(http.actor(request), case_id)
        return self._render(request, access, self._form(request, access))

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        access = case_selectors.get_case_for(http.actor(request), case_id)
        form = self._form(request, access)
        if form.is_valid():
            data = form.cleaned_data
            common: dict[str, Any] = {
                "actor": http.actor(request),
                "case_id": case_id,
                "reason": data["reason"],
                "referrer_notice": data["referrer_notice"],
                "handed_over_to_id": data["handed_over_to"].pk if data["handed_over_to"] else None,
                "explanation": data["explanation"],
            }
            try:
                if "agenda_item" in data:
                    services.case_close(agenda_item_id=UUID(data["agenda_item"]), **common)
                else:
                    case_close_without_meeting(**common)
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De casus is afgeschaald."))
                return redirect("cases:detail", case_id=case_id)
        return self._render(request, access, form, 400)
