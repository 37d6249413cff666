# SPDX-License-Identifier: EUPL-1.2
"""Screens of the case process. Thin: a form validates, one service or selector acts, the
template renders. Personal data are read only through the audited selectors."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.advice import selectors as advice_selectors
from ketentafel.cases import selectors, services
from ketentafel.cases.forms import (
    CaseListForm,
    IntakeForm,
    InvitationForm,
    PersonFormSet,
    ReferralForm,
    TriageForm,
)
from ketentafel.cases.models import Phase
from ketentafel.cases.panels import case_panels, referral_starts_for
from ketentafel.cases.workflow import allowed_transitions
from ketentafel.core import http
from ketentafel.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from ketentafel.core.forms import apply_domain_error_to_formset
from ketentafel.core.views import ScreenView
from ketentafel.covenants import selectors as covenants
from ketentafel.covenants.models import CASE_COORDINATOR, BodyKind, Covenant, PartyKind, TrackKind


class CaseListView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseListForm(request.GET)
        if not form.is_valid():
            # Nothing is read for a filter or page that does not exist.
            return render(request, "cases/case_list.html", {"form": form}, status=400)
        phase = form.cleaned_data["fase"] or ""
        page = selectors.case_page_for(
            http.actor(request), page=form.cleaned_data["pagina"] or 1, phase=phase
        )
        return render(request, "cases/case_list.html", {"form": form, "page": page, "phase": phase})


# Referral ---------------------------------------------------------------------------------


class ReferralView(ScreenView):
    def _forms(self, request: HttpRequest, initial: Any = None) -> tuple[ReferralForm, Any]:
        actor = http.actor(request)
        data = request.POST if request.method == "POST" else None
        form = ReferralForm(
            data,
            houses=covenants.houses_of(actor),
            # A nazorg case starts from DJI's notification (`referral_starts_for`), not here.
            tracks=covenants.tracks_for(actor).exclude(kind=TrackKind.AFTERCARE),
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
                raise NotFound(_("Deze adviesvraag bestaat niet.")) from None
            advice = advice_selectors.advice_request_for(http.actor(request), advice_id)
            if not advice.may_refer:
                messages.error(request, _("Deze adviesvraag is al afgehandeld."))
                return redirect("advice:detail", advice_id=advice_id)
            initial = {"house": advice.advice.house_id, "advice_request": advice.advice.pk}
        form, persons = self._forms(request, initial)
        return render(
            request,
            "cases/referral.html",
            {
                "form": form,
                "persons": persons,
                "advice": advice,
                "starts": referral_starts_for(http.actor(request)),
                "excluded": covenants.excluded_subjects_for(http.actor(request)),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form, persons = self._forms(request)
        if form.is_valid() and persons.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_refer(
                    actor=http.actor(request),
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
            request,
            "cases/referral.html",
            {
                "form": form,
                "persons": persons,
                "excluded": covenants.excluded_subjects_for(http.actor(request)),
            },
            status=400,
        )


# One case ---------------------------------------------------------------------------------


def _intake_form(access: Any, data: Any = None) -> IntakeForm:
    case = access.case
    return IntakeForm(
        data,
        coordinators=covenants.colleagues_with_role(case.house_id, Role.INFORMATION_COORDINATOR),
        covenant=case.house.covenant,
    )


def role_words(covenant: Covenant) -> dict[str, str]:
    """The region's names of the roles a case page shows (`[roles.labels]`), national ones
    where the region names none."""
    return {
        word: covenant.role_label(word)
        for word in (
            Role.PROCESS_COORDINATOR,
            Role.INFORMATION_COORDINATOR,
            Role.MEETING_SECRETARY,
            CASE_COORDINATOR,
        )
    }


def case_forms(actor: User, access: Any, data: Any = None) -> dict[str, Any]:
    """The case page's forms; `data` binds the intake and invitation forms (their posts)."""
    return {
        "intake_form": _intake_form(access, data),
        "invitation_form": InvitationForm(
            data, parties=covenants.member_parties_for(actor, houses=access.houses)
        ),
    }


class CaseDetailView(ScreenView):
    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        access = selectors.get_case_for(actor, case_id)
        return render_case(request, access, case_forms(actor, access))


def render_case(
    request: HttpRequest, access: Any, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The case page with `forms` (bound ones after a refused post) over the panels' own."""
    case = access.case
    panels = case_panels()
    panel_context: dict[str, Any] = {}
    for panel in panels:
        panel_context.update(panel.context(access.user, access))
    labels = covenants.body_labels(
        case.house_id,
        {BodyKind.CASE_MEETING: "MDO", BodyKind.TRIAGE: _("Triage")},
        track_id=case.track_id,
    )
    context = {
        "access": access,
        "case": case,
        "participants": list(
            case.case_parties.values_list(
                "party__name", "role", "information_need", "justification"
            )
        ),
        # Where non-core parties take part only with a recorded reason (`invite_justification`;
        # Gelderland-Midden Bijlage 3, Proces radicalisering), the reason is shown with them.
        "shows_justification": case.track.process_spec.invite_justification,
        "transitions": allowed_transitions(access),
        "meeting_label": labels[BodyKind.CASE_MEETING],
        "triage_label": labels[BodyKind.TRIAGE],
        "may_coordinate": access.is_assigned_coordinator,
        "role_words": role_words(case.house.covenant),
        "has_information_coordinator": case.house.covenant.has_information_coordinator,
        "sees_signals": access.is_assigned_coordinator or access.has_role(Role.PROCESS_COORDINATOR),
        "triage_outcome": selectors.triage_outcome_for(access),
        "closure_notice": selectors.closure_notice_for(access),
        "case_panels": [panel.template for panel in panels],
        **panel_context,
        **forms,
    }
    return render(request, "cases/case_detail.html", context, status=status)


class AlreadyKnownView(ScreenView):
    """The 'already known' signal of a case, loaded into the case page with htmx."""

    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        found = selectors.already_known_for(http.actor(request), case_id)
        return render(request, "cases/_already_known.html", {"found": found})


class IntakeView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        access = selectors.access_for_read(actor, case_id)
        forms = case_forms(actor, access, request.POST)
        form = forms["intake_form"]
        if form.is_valid():
            try:
                coordinator = form.cleaned_data.get("information_coordinator")
                services.intake_start(
                    actor=actor,
                    case_id=case_id,
                    information_coordinator_id=coordinator.pk if coordinator else None,
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De intake is gestart."))
                return redirect("cases:detail", case_id=case_id)
        forms["invitation_form"] = InvitationForm(parties=covenants.member_parties_for(actor))
        return render_case(request, selectors.get_case_for(actor, case_id), forms, 400)


class InvitationView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
        access = selectors.access_for_read(actor, case_id)
        forms = case_forms(actor, access, request.POST)
        form = forms["invitation_form"]
        if form.is_valid():
            try:
                services.case_party_invite(
                    actor=actor,
                    case_id=case_id,
                    party_id=form.cleaned_data["party"].pk,
                    role=form.cleaned_data["role"],
                    information_need=form.cleaned_data["information_need"],
                    justification=form.cleaned_data["justification"],
                )
            except (NotFound, NotAllowed):
                raise
            except DomainError as error:
                form.apply_domain_error(error)
            else:
                messages.success(request, _("De partij neemt deel aan de casus."))
                return redirect("cases:detail", case_id=case_id)
        forms["intake_form"] = _intake_form(access)
        return render_case(request, selectors.get_case_for(actor, case_id), forms, 400)


class TriageSubmitView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        try:
            services.triage_submit(actor=http.actor(request), case_id=case_id)
        except (NotFound, NotAllowed):
            raise
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De casus is aangeboden voor triage."))
        return redirect("cases:detail", case_id=case_id)


class TriageView(ScreenView):
    template = "cases/triage.html"

    def _form(self, request: HttpRequest, case_id: UUID) -> TriageForm:
        actor = http.actor(request)
        data = request.POST if request.method == "POST" else None
        return TriageForm(
            data,
            themes=covenants.themes_for(actor),
            parties=covenants.member_parties_for(actor),
            covenant=selectors.covenant_of_case_for(actor, case_id),
        )

    def _render(
        self, request: HttpRequest, case_id: UUID, form: TriageForm, status: int = 200
    ) -> HttpResponse:
        access = selectors.get_case_for(http.actor(request), case_id)
        if access.case.phase != Phase.TRIAGE:
            messages.error(request, _("Deze casus is niet in de fase triage."))
            return redirect("cases:detail", case_id=case_id)
        return render(
            request,
            self.template,
            {
                "case": access.case,
                "form": form,
                "criteria": access.case.house.covenant.criteria,
                "criteria_rule": access.case.house.covenant.criteria.in_words(),
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
        return self._render(request, case_id, self._form(request, case_id))

    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        form = self._form(request, case_id)
        if form.is_valid():
            data = form.cleaned_data
            reason = data["invite_reason"]
            try:
                services.triage_decide(
                    actor=http.actor(request),
                    case_id=case_id,
                    serious_area_problem=data.get("serious_area_problem", False),
                    system_impact=data.get("system_impact", False),
                    multiple_chains_needed=data.get("multiple_chains_needed", False),
                    multiple_problems=data.get("multiple_problems", False),
                    outcome=data["outcome"],
                    explanation=data["explanation"],
                    goal=data["goal"],
                    theme_ids=[t.pk for t in data["themes"]],
                    invitations=[
                        services.Invitation(p.pk, _("Uitgenodigd door triage"), reason)
                        for p in data["invite"]
                    ],
                    municipality_view=data["municipality_view"],
                    referrer_consulted=data["referrer_consulted"],
                    referrer_consulted_on=data["referrer_consulted_on"],
                    referrer_consultation=data["referrer_consultation"],
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


# Closure ----------------------------------------------------------------------------------
