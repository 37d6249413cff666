# SPDX-License-Identifier: EUPL-1.2
"""Screens of the case process. Thin: a form validates, one service or selector acts, the
template renders. Personal data are read only through the audited selectors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.cases import exports, selectors, services
from ketentafel.cases.forms import (
    ActionChangeForm,
    ActionForm,
    ActionStatusForm,
    AdviceConcludeForm,
    AdviceForm,
    AgendaItemForm,
    AgendaRecordForm,
    AgendaSearchForm,
    CaseAgendaForm,
    CaseListForm,
    ClosureForm,
    GoalForm,
    IntakeForm,
    InvitationForm,
    MeetingForm,
    PersonFormSet,
    ReferralForm,
    TriageForm,
)
from ketentafel.cases.models import (
    ActionStatus,
    AdviceOutcome,
    AgendaPurpose,
    MeetingStatus,
    Phase,
)
from ketentafel.cases.policies import CASE_ROLES
from ketentafel.cases.workflow import allowed_transitions
from ketentafel.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from ketentafel.core.forms import apply_domain_error_to_formset
from ketentafel.core.versions import StaleVersion
from ketentafel.core.views import ScreenView
from ketentafel.covenants import selectors as covenants
from ketentafel.covenants.models import BodyKind, PartyKind


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# Work queue and lists ---------------------------------------------------------------------


class WorkQueueView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        queue = selectors.work_queue_for(_actor(request))
        return render(request, "cases/work_queue.html", {"queue": queue})


class CaseListView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseListForm(request.GET)
        if not form.is_valid():
            # Nothing is read for a filter or page that does not exist.
            return render(request, "cases/case_list.html", {"form": form}, status=400)
        phase = form.cleaned_data["fase"] or ""
        page = selectors.case_page_for(
            _actor(request), page=form.cleaned_data["pagina"] or 1, phase=phase
        )
        return render(request, "cases/case_list.html", {"form": form, "page": page, "phase": phase})


class MyActionsView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        actions = selectors.actions_of_party_for(_actor(request))
        # Translated once: a lazy label is translated again at every one of the 100 rows.
        choices = [(value, str(label)) for value, label in ActionStatus.choices]
        return render(
            request, "cases/my_actions.html", {"actions": actions, "status_choices": choices}
        )


class OverviewView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        figures = selectors.house_figures_for(_actor(request))
        return render(request, "cases/overview.html", {"figures": figures})


# Advice requests --------------------------------------------------------------------------


def _advice_form(request: HttpRequest, data: Any = None) -> AdviceForm:
    """The new advice question; a process coordinator also names the party that asked."""
    actor = _actor(request)
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
        overview = selectors.advice_overview_for(_actor(request))
        return render(
            request, "cases/advice_list.html", {"overview": overview, "form": form}, status=status
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
                    actor=_actor(request),
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
                return redirect("cases:advice", advice_id=advice.pk)
        return self._render(request, form, 400)


def _render_advice(
    request: HttpRequest, sheet: Any, form: AdviceConcludeForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "cases/advice_detail.html",
        {"sheet": sheet, "advice": sheet.advice, "form": form},
        status=status,
    )


class AdviceDetailView(ScreenView):
    """One advice request; a process coordinator concludes it here or refers it."""

    def get(self, request: HttpRequest, advice_id: UUID) -> HttpResponse:
        sheet = selectors.advice_request_for(_actor(request), advice_id)
        return _render_advice(request, sheet, AdviceConcludeForm())


class AdviceConcludeView(ScreenView):
    def post(self, request: HttpRequest, advice_id: UUID) -> HttpResponse:
        form = AdviceConcludeForm(request.POST)
        if form.is_valid():
            try:
                services.advice_conclude(
                    actor=_actor(request), advice_id=advice_id, advice=form.cleaned_data["advice"]
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De adviesvraag is lokaal afgehandeld."))
                return redirect("cases:advice", advice_id=advice_id)
        sheet = selectors.advice_request_for(_actor(request), advice_id)
        if not sheet.may_conclude and sheet.advice.outcome == AdviceOutcome.OPEN:
            # Refused whatever was typed: only the house's process coordinators conclude.
            raise NotAllowed("Alleen een procesregisseur van het huis handelt een adviesvraag af.")
        return _render_advice(request, sheet, form, 400)


# Referral ---------------------------------------------------------------------------------


class ReferralView(ScreenView):
    def _forms(self, request: HttpRequest, initial: Any = None) -> tuple[ReferralForm, Any]:
        actor = _actor(request)
        data = request.POST if request.method == "POST" else None
        form = ReferralForm(
            data,
            houses=covenants.houses_of(actor),
            tracks=covenants.tracks_for(actor),
            municipalities=covenants.member_parties_for(actor, kind=PartyKind.GEMEENTE),
            themes=covenants.themes_for(actor),
            initial=initial,
        )
        persons = PersonFormSet(data, prefix="persons")
        return form, persons

    def get(self, request: HttpRequest) -> HttpResponse:
        """The empty form; `?adviesvraag=<id>` attaches an open advice request the user may
        refer (its opaque id only: the question itself never travels in a URL)."""
        advice = None
        initial = None
        advice_id = request.GET.get("adviesvraag", "")
        if advice_id:
            try:
                UUID(advice_id)
            except ValueError:
                raise NotFound("Deze adviesvraag bestaat niet.") from None
            advice = selectors.advice_request_for(_actor(request), advice_id)
            if not advice.may_refer:
                messages.error(request, _("Deze adviesvraag is al afgehandeld."))
                return redirect("cases:advice", advice_id=advice_id)
            initial = {"house": advice.advice.house_id, "advice_request": advice.advice.pk}
        form, persons = self._forms(request, initial)
        return render(
            request,
            "cases/referral.html",
            {"form": form, "persons": persons, "advice": advice},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form, persons = self._forms(request)
        if form.is_valid() and persons.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_refer(
                    actor=_actor(request),
                    house_id=data["house"].pk,
                    track_id=data["track"].pk,
                    subject_kind=data["subject_kind"],
                    persons=[
                        services.PersonInput(**p.cleaned_data)
                        for p in persons.forms
                        if p.has_changed() and p.cleaned_data
                    ],
                    area_description=data["area_description"],
                    municipality_id=data["municipality"].pk,
                    problem_statement=data["problem_statement"],
                    goal=data["goal"],
                    theme_ids=[t.pk for t in data["themes"]],
                    advice_request_id=data["advice_request"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                apply_domain_error_to_formset(form, persons, "persons", error)
            else:
                messages.success(request, _("De aanmelding is ontvangen."))
                return redirect("cases:detail", case_id=case.pk)
        return render(
            request, "cases/referral.html", {"form": form, "persons": persons}, status=400
        )


# One case ---------------------------------------------------------------------------------


def _case_forms(actor: User, access: Any, data: Any = None) -> dict[str, Any]:
    """The case page's forms; `data` binds the intake and invitation forms (their posts)."""
    house_id = access.case.house_id
    agenda = selectors.case_agenda_for(access)
    return {
        "agenda_offered": agenda.offered,
        "agenda_form": CaseAgendaForm(
            meetings=agenda.meetings, initial={"purpose": agenda.purpose}
        ),
        "intake_form": IntakeForm(
            data,
            coordinators=covenants.colleagues_with_role(house_id, Role.INFORMATION_COORDINATOR),
        ),
        "invitation_form": InvitationForm(
            data, parties=covenants.member_parties_for(actor, houses=access.houses)
        ),
    }


class CaseDetailView(ScreenView):
    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = _actor(request)
        access = selectors.get_case_for(actor, case_id)
        return _render_case(request, access, _case_forms(actor, access))


def _render_case(
    request: HttpRequest, access: Any, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    case = access.case
    labels = covenants.body_labels(
        case.house_id,
        {BodyKind.CASE_MEETING: "MDO", BodyKind.TRIAGE: _("Triage")},
        track_id=case.track_id,
    )
    context = {
        "access": access,
        "case": case,
        "participants": list(
            case.case_parties.values_list("party__name", "role", "information_need")
        ),
        "transitions": allowed_transitions(access),
        "meeting_label": labels[BodyKind.CASE_MEETING],
        "triage_label": labels[BodyKind.TRIAGE],
        "may_coordinate": access.is_assigned_coordinator,
        "sees_signals": access.is_assigned_coordinator or access.has_role(Role.PROCESS_COORDINATOR),
        **forms,
    }
    return render(request, "cases/case_detail.html", context, status=status)


class AlreadyKnownView(ScreenView):
    """The 'already known' signal of a case, loaded into the case page with htmx."""

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        found = selectors.already_known_for(_actor(request), case_id)
        return render(request, "cases/_already_known.html", {"found": found})


class IntakeView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = _actor(request)
        access = selectors.access_for_read(actor, case_id)
        forms = _case_forms(actor, access, request.POST)
        form = forms["intake_form"]
        if form.is_valid():
            try:
                services.intake_start(
                    actor=actor,
                    case_id=case_id,
                    information_coordinator_id=form.cleaned_data["information_coordinator"].pk,
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De intake is gestart."))
                return redirect("cases:detail", case_id=case_id)
        forms["invitation_form"] = InvitationForm(parties=covenants.member_parties_for(actor))
        return _render_case(request, selectors.get_case_for(actor, case_id), forms, 400)


class InvitationView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = _actor(request)
        access = selectors.access_for_read(actor, case_id)
        forms = _case_forms(actor, access, request.POST)
        form = forms["invitation_form"]
        if form.is_valid():
            try:
                services.case_party_invite(
                    actor=actor,
                    case_id=case_id,
                    party_id=form.cleaned_data["party"].pk,
                    role=form.cleaned_data["role"],
                    information_need=form.cleaned_data["information_need"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De partij neemt deel aan de casus."))
                return redirect("cases:detail", case_id=case_id)
        forms["intake_form"] = IntakeForm(
            coordinators=covenants.colleagues_with_role(
                access.case.house_id, Role.INFORMATION_COORDINATOR
            )
        )
        return _render_case(request, selectors.get_case_for(actor, case_id), forms, 400)


class CaseAgendaView(ScreenView):
    """Put the case on a planned meeting's agenda from the case page."""

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = _actor(request)
        access = selectors.access_for_read(actor, case_id)
        forms = _case_forms(actor, access)
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
                return redirect("cases:meeting", meeting_id=meeting.pk)
        return _render_case(request, selectors.get_case_for(actor, case_id), forms, 400)


class TriageSubmitView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        try:
            services.triage_submit(actor=_actor(request), case_id=case_id)
        except (NotFound, NotAllowed):
            raise
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De casus is aangeboden voor triage."))
        return redirect("cases:detail", case_id=case_id)


class TriageView(ScreenView):
    template = "cases/triage.html"

    def _form(self, request: HttpRequest) -> TriageForm:
        actor = _actor(request)
        data = request.POST if request.method == "POST" else None
        return TriageForm(
            data, themes=covenants.themes_for(actor), parties=covenants.member_parties_for(actor)
        )

    def _render(
        self, request: HttpRequest, case_id: UUID, form: TriageForm, status: int = 200
    ) -> HttpResponse:
        access = selectors.get_case_for(_actor(request), case_id)
        if access.case.phase != Phase.TRIAGE:
            messages.error(request, _("Deze casus is niet in de fase triage."))
            return redirect("cases:detail", case_id=case_id)
        return render(
            request,
            self.template,
            {
                "case": access.case,
                "form": form,
                "triage_label": covenants.body_label(
                    access.case.house_id,
                    BodyKind.TRIAGE,
                    _("Triage"),
                    track_id=access.case.track_id,
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        return self._render(request, case_id, self._form(request))

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        form = self._form(request)
        if form.is_valid():
            data = form.cleaned_data
            reason = data["invite_reason"]
            try:
                services.triage_decide(
                    actor=_actor(request),
                    case_id=case_id,
                    serious_area_problem=data["serious_area_problem"],
                    system_impact=data["system_impact"],
                    multiple_chains_needed=data["multiple_chains_needed"],
                    multiple_problems=data["multiple_problems"],
                    outcome=data["outcome"],
                    explanation=data["explanation"],
                    goal=data["goal"],
                    theme_ids=[t.pk for t in data["themes"]],
                    invitations=[
                        services.Invitation(p.pk, _("Uitgenodigd door triage"), reason)
                        for p in data["invite"]
                    ],
                )
            except (NotFound, NotAllowed):
                raise
            except InvalidTransition as error:
                # Decided by someone else meanwhile: the case may be out of the actor's sight
                # now, so say what happened on the case list instead of on this page.
                messages.error(request, error.message)
                return redirect("cases:list")
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het triagebesluit is vastgelegd."))
                return redirect("cases:list")
        return self._render(request, case_id, form, 400)


# Meetings ---------------------------------------------------------------------------------


class MeetingListView(ScreenView):
    def _form(self, request: HttpRequest) -> MeetingForm:
        data = request.POST if request.method == "POST" else None
        return MeetingForm(data, bodies=covenants.case_meeting_bodies_for(_actor(request)))

    def _render(self, request: HttpRequest, form: MeetingForm, status: int = 200) -> HttpResponse:
        meetings = (
            selectors.meetings_visible_to(_actor(request))
            .select_related("body", "house")
            .order_by("-starts_at")[:100]
        )
        return render(
            request, "cases/meetings.html", {"meetings": meetings, "form": form}, status=status
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request)
        if form.is_valid():
            body = form.cleaned_data["body"]
            house = body.houses.filter(pk__in=covenants.houses_of(_actor(request))).first()
            try:
                meeting = services.meeting_schedule(
                    actor=_actor(request),
                    house_id=house.pk if house else 0,
                    body_id=body.pk,
                    starts_at=form.cleaned_data["starts_at"],
                    location=form.cleaned_data["location"],
                )
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het overleg is gepland."))
                return redirect("cases:meeting", meeting_id=meeting.pk)
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
        sheet = selectors.meeting_page_for(_actor(request), meeting_id)
        return render(
            request,
            "cases/meeting.html",
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
        if not selectors.meetings_visible_to(_actor(request)).filter(pk=meeting_id).exists():
            raise NotFound("Dit overleg bestaat niet of u werkt niet in dit huis.")
        if form.is_valid():
            try:
                services.agenda_item_add(
                    actor=_actor(request),
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
                return redirect("cases:meeting", meeting_id=meeting_id)
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
            _actor(request), meeting_id, search_form.cleaned_data["search"]
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
            services.meeting_hold(actor=_actor(request), meeting_id=meeting_id)
        except (NotFound, NotAllowed):
            raise
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Het overleg is vastgelegd als gehouden."))
        return redirect("cases:meeting", meeting_id=meeting_id)


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
            parties=covenants.member_parties_for(_actor(request)).filter(
                pk__in=case.case_parties.values("party_id")
            ),
            decision_types=covenants.decision_types_for(case.house_id),
        )

    def _render(
        self, request: HttpRequest, access: Any, item: Any, form: Any, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "cases/agenda_item.html",
            {"access": access, "case": access.case, "item": item, "form": form},
            status=status,
        )

    def get(self, request: HttpRequest, agenda_item_id: UUID) -> HttpResponse:
        access, item = selectors.agenda_item_for(_actor(request), agenda_item_id)
        return self._render(request, access, item, self._form(request, access, item))

    def post(self, request: HttpRequest, agenda_item_id: UUID) -> HttpResponse:
        access, item = selectors.agenda_item_for(_actor(request), agenda_item_id)
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
                    actor=_actor(request),
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
                return redirect("cases:meeting", meeting_id=item.meeting_id)
        return self._render(request, access, item, form, 400)

    def _stale(self, request: HttpRequest, access: Any, item: Any) -> HttpResponse:
        """Someone recorded first: the record as it is now, with the message; nothing saved."""
        access, item = selectors.agenda_item_for(_actor(request), item.pk)
        form = self._form(request, access, item, current=True).mark_stale()
        return self._render(request, access, item, form, 409)


# Action plan ------------------------------------------------------------------------------


class ActionPlanView(ScreenView):
    def _render(
        self,
        request: HttpRequest,
        case_id: UUID,
        goal_form: GoalForm | None = None,
        action_form: ActionForm | None = None,
        status: int = 200,
        stale: bool = False,
    ) -> HttpResponse:
        actor = _actor(request)
        sheet = selectors.plan_for(actor, case_id)
        case = sheet.access.case
        parties = covenants.member_parties_for(actor).filter(
            pk__in=case.case_parties.values("party_id")
        )
        if goal_form is None:
            goal_form = GoalForm(
                initial={
                    "goal": sheet.plan.goal if sheet.plan else case.goal,
                    "version": sheet.plan.version if sheet.plan else 0,
                }
            )
            if stale:
                goal_form.mark_stale()
        return render(
            request,
            "cases/action_plan.html",
            {
                "sheet": sheet,
                "case": case,
                "may_edit": sheet.access.is_process_coordinator
                and case.phase in (Phase.ACCEPTED, Phase.ACTIVE),
                "goal_form": goal_form,
                "action_form": action_form or ActionForm(parties=parties),
                "status_choices": ActionStatus.choices,
            },
            status=status,
        )

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        return self._render(request, case_id)

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        """Set or change the goal of the plan."""
        form = GoalForm(request.POST)
        if form.is_stale:
            return self._render(request, case_id, status=409, stale=True)
        if form.is_valid():
            try:
                services.action_plan_set_goal(
                    actor=_actor(request),
                    case_id=case_id,
                    goal=form.cleaned_data["goal"],
                    expected_version=form.cleaned_data["version"],
                )
            except (NotFound, NotAllowed):
                raise
            except StaleVersion:
                return self._render(request, case_id, status=409, stale=True)
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("Het doel van het plan is opgeslagen."))
                return redirect("cases:plan", case_id=case_id)
        return self._render(request, case_id, goal_form=form, status=400)


class ActionAddView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = _actor(request)
        form = ActionForm(request.POST, parties=covenants.member_parties_for(actor))
        if form.is_valid():
            try:
                services.action_add(
                    actor=actor,
                    case_id=case_id,
                    owner_party_id=form.cleaned_data["owner_party"].pk,
                    owner_id=None,
                    what=form.cleaned_data["what"],
                    due_on=form.cleaned_data["due_on"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De actie is toegevoegd."))
                return redirect("cases:plan", case_id=case_id)
        return ActionPlanView()._render(request, case_id, action_form=form, status=400)


class ActionChangeView(ScreenView):
    """The process coordinator changes what, when and the status of one action of the plan."""

    def _render(
        self,
        request: HttpRequest,
        action_id: UUID,
        form: ActionChangeForm | None,
        status: int,
        *,
        stale: bool = False,
    ) -> HttpResponse:
        change = selectors.action_for_change(_actor(request), action_id)
        action = change.action
        if form is None:
            form = ActionChangeForm(
                initial={
                    "what": action.what,
                    "due_on": action.due_on,
                    "status": action.status,
                    "version": action.version,
                }
            )
            if stale:
                form.mark_stale()
        return render(
            request,
            "cases/action_change.html",
            {
                "case": change.access.case,
                "action": action,
                "form": form,
            },
            status=status,
        )

    def get(self, request: HttpRequest, action_id: UUID) -> HttpResponse:
        return self._render(request, action_id, None, 200)

    def post(self, request: HttpRequest, action_id: UUID) -> HttpResponse:
        form = ActionChangeForm(request.POST)
        if form.is_stale:
            return self._render(request, action_id, None, 409, stale=True)
        if form.is_valid():
            try:
                action = services.action_update(
                    actor=_actor(request),
                    action_id=action_id,
                    what=form.cleaned_data["what"],
                    due_on=form.cleaned_data["due_on"],
                    status=form.cleaned_data["status"],
                    expected_version=form.cleaned_data["version"],
                )
            except (NotFound, NotAllowed):
                raise
            except StaleVersion:
                return self._render(request, action_id, None, 409, stale=True)
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De actie is gewijzigd."))
                return redirect("cases:plan", case_id=action.plan.case_id)
        return self._render(request, action_id, form, 400)


class ActionStatusView(ScreenView):
    """Report an action's status; with htmx only the row is replaced."""

    def post(self, request: HttpRequest, action_id: UUID) -> HttpResponse:
        form = ActionStatusForm(request.POST)
        error = ""
        action = None
        stale = form.is_stale
        if not stale and form.is_valid():
            try:
                action = services.action_update(
                    actor=_actor(request),
                    action_id=action_id,
                    status=form.cleaned_data["status"],
                    expected_version=form.cleaned_data["version"],
                )
            except (NotFound, NotAllowed):
                raise
            except StaleVersion:
                stale = True
            except DomainError as exc:
                error = exc.message
        elif not stale:
            error = _("Kies een status.")
        if stale:
            # The row as it is now, with the message, so the next choice starts from it; with
            # htmx a 200, so the row is swapped.
            action = selectors.action_for(_actor(request), action_id)
            error = _(
                "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer "
                "opnieuw."
            )
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "cases/_action_status.html",
                {
                    "action_id": action_id,
                    "action": action,
                    "error": error,
                    "status_choices": ActionStatus.choices,
                    "next_page": request.POST.get("next_page", ""),
                },
                status=200 if stale or not error else 400,
            )
        if error or action is None:
            messages.error(request, error)
            return redirect("cases:actions")
        messages.success(request, _("De status van de actie is bijgewerkt."))
        if request.POST.get("next_page") == "plan":
            return redirect(reverse("cases:plan", kwargs={"case_id": action.plan.case_id}))
        return redirect("cases:actions")


# Closure ----------------------------------------------------------------------------------


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
        return ClosureForm(
            data, agenda_items=items, parties=covenants.member_parties_for(_actor(request))
        )

    def _render(
        self, request: HttpRequest, access: Any, form: ClosureForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request, "cases/closure.html", {"case": access.case, "form": form}, status=status
        )

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        access = selectors.get_case_for(_actor(request), case_id)
        return self._render(request, access, self._form(request, access))

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        access = selectors.get_case_for(_actor(request), case_id)
        form = self._form(request, access)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_close(
                    actor=_actor(request),
                    case_id=case_id,
                    agenda_item_id=UUID(data["agenda_item"]),
                    reason=data["reason"],
                    referrer_notice=data["referrer_notice"],
                    handed_over_to_id=data["handed_over_to"].pk if data["handed_over_to"] else None,
                    explanation=data["explanation"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De casus is afgeschaald."))
                return redirect("cases:detail", case_id=case_id)
        return self._render(request, access, form, 400)


# Exports ----------------------------------------------------------------------------------


class MeetingExportView(ScreenView):
    """Agenda or minutes of a meeting as PDF, marked confidential for the reader."""

    what = "agenda"

    def get(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        return exports.meeting_pdf_response(_actor(request), meeting_id, what=self.what)


class MeetingCalendarView(ScreenView):
    def get(self, request: HttpRequest, meeting_id: UUID) -> HttpResponse:
        return exports.meeting_ical_response(_actor(request), meeting_id)


class ActionPlanExportView(ScreenView):
    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        return exports.plan_pdf_response(_actor(request), case_id)
