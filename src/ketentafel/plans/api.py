# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of action plans and actions. Thin: validate, call one service or selector,
answer."""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.cases import selectors as case_selectors
from ketentafel.core import http
from ketentafel.core.api_views import ApiView, with_etag
from ketentafel.core.errors import NotFound
from ketentafel.plans import selectors, services
from ketentafel.plans.serializers import (
    ActionIn,
    ActionOut,
    ActionPlanOut,
    ActionPlanVersionOut,
    ActionUpdateIn,
    GoalIn,
)


def _plan_response(request: Request, case_id: UUID, code: int = 200) -> Response:
    access = case_selectors.get_case_for(http.actor(request), case_id)
    plan = getattr(access.case, "action_plan", None)
    if plan is None:
        raise NotFound(_("Deze casus heeft nog geen plan van aanpak."))
    plan = (
        type(plan).objects.prefetch_related("actions__owner_party", "actions__plan").get(pk=plan.pk)
    )
    return with_etag(Response(ActionPlanOut(plan).data, status=code), plan.version)


class ActionPlanView(ApiView):
    versioned_read = True
    conditional_methods = frozenset({"PUT"})

    @extend_schema(responses={200: ActionPlanOut}, summary="Plan van aanpak")
    def get(self, request: Request, case_id: UUID) -> Response:
        return _plan_response(request, case_id)

    @extend_schema(
        request=GoalIn, responses={200: ActionPlanOut}, summary="Doel van het plan vastleggen"
    )
    def put(self, request: Request, case_id: UUID) -> Response:
        """Sets the goal, and makes the plan when the case has none: then `If-Match: "0"`
        (or `*`) fits, as no version exists yet."""
        data = self.valid(GoalIn, request)
        services.action_plan_set_goal(
            actor=http.actor(request),
            case_id=case_id,
            goal=data["goal"],
            expected_version=self.expected_version,
        )
        return _plan_response(request, case_id)


class ActionPlanVersionsView(ApiView):
    @extend_schema(
        responses={200: ActionPlanVersionOut(many=True)}, summary="Eerdere versies van het plan"
    )
    def get(self, request: Request, case_id: UUID) -> Response:
        access = case_selectors.get_case_for(http.actor(request), case_id)
        plan = getattr(access.case, "action_plan", None)
        versions = plan.versions.all() if plan else []
        return Response(ActionPlanVersionOut(versions, many=True).data)


class ActionListView(ApiView):
    @extend_schema(request=ActionIn, responses={201: ActionOut}, summary="Actie toevoegen")
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(ActionIn, request)
        action = services.action_add(
            actor=http.actor(request),
            case_id=case_id,
            owner_party_id=data["owner_party"],
            owner_id=data["owner"],
            what=data["what"],
            due_on=data["due_on"],
        )
        return Response(ActionOut(action).data, status=status.HTTP_201_CREATED)


class ActionDetailView(ApiView):
    versioned_read = True
    conditional_methods = frozenset({"PATCH"})

    @extend_schema(responses={200: ActionOut}, summary="Actie inzien")
    def get(self, request: Request, action_id: UUID) -> Response:
        action = selectors.action_for(http.actor(request), action_id)
        return with_etag(Response(ActionOut(action).data), action.version)

    @extend_schema(request=ActionUpdateIn, responses={200: ActionOut}, summary="Actie wijzigen")
    def patch(self, request: Request, action_id: UUID) -> Response:
        data = self.valid(ActionUpdateIn, request)
        action = services.action_update(
            actor=http.actor(request),
            action_id=action_id,
            expected_version=self.expected_version,
            **data,
        )
        return with_etag(Response(ActionOut(action).data), action.version)


class OverdueActionsView(ApiView):
    @extend_schema(responses={200: ActionOut(many=True)}, summary="Verlopen acties van mijn partij")
    def get(self, request: Request) -> Response:
        actor = http.actor(request)
        actions = list(selectors.overdue_actions_for(actor))
        case_selectors.listing_record(
            actor,
            object_type="action",
            object_ids=[a.pk for a in actions],
            case_ids=[a.plan.case_id for a in actions],
            purpose="overdue_actions",
        )
        return Response(ActionOut(actions, many=True).data)
