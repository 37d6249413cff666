# SPDX-License-Identifier: EUPL-1.2
"""Screens of action plans and actions. Thin: a form validates, one service or selector acts,
the template renders."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ketentafel.cases.models import Phase
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.versions import StaleVersion
from ketentafel.core.views import ScreenView
from ketentafel.covenants import selectors as covenants
from ketentafel.plans import exports, selectors, services
from ketentafel.plans.forms import ActionChangeForm, ActionForm, ActionStatusForm, GoalForm
from ketentafel.plans.models import ActionStatus


class MyActionsView(ScreenView):
    def get(self, request: HttpRequest) -> HttpResponse:
        actions = selectors.actions_of_party_for(http.actor(request))
        # Translated once: a lazy label is translated again at every one of the 100 rows.
        choices = [(value, str(label)) for value, label in ActionStatus.choices]
        return render(
            request, "plans/my_actions.html", {"actions": actions, "status_choices": choices}
        )


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
        actor = http.actor(request)
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
            "plans/action_plan.html",
            {
                "sheet": sheet,
                "case": case,
                "may_edit": sheet.access.keeps_plan
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
                    actor=http.actor(request),
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
                return redirect("plans:plan", case_id=case_id)
        return self._render(request, case_id, goal_form=form, status=400)


class ActionAddView(ScreenView):
    def post(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        actor = http.actor(request)
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
                return redirect("plans:plan", case_id=case_id)
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
        change = selectors.action_for_change(http.actor(request), action_id)
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
            "plans/action_change.html",
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
                    actor=http.actor(request),
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
                return redirect("plans:plan", case_id=action.plan.case_id)
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
                    actor=http.actor(request),
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
            action = selectors.action_for(http.actor(request), action_id)
            error = _(
                "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer "
                "opnieuw."
            )
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request,
                "plans/_action_status.html",
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
            return redirect("plans:actions")
        messages.success(request, _("De status van de actie is bijgewerkt."))
        if request.POST.get("next_page") == "plan":
            return redirect(reverse("plans:plan", kwargs={"case_id": action.plan.case_id}))
        return redirect("plans:actions")


class ActionPlanExportView(ScreenView):
    def get(self, request: HttpRequest, case_id: UUID) -> HttpResponse:
        return exports.plan_pdf_response(http.actor(request), case_id)
