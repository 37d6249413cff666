# SPDX-License-Identifier: EUPL-1.2
"""API shapes of plans and actions: input validated here, rules checked by the services."""

from __future__ import annotations

from rest_framework import serializers

from ketentafel.core.api import IdField, Input
from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion, ActionStatus

# What one request may carry: a family or a household, the themes and partners of one case, the
# decisions of one agenda item. Larger lists are no case but a mistake or an attack, and a page
# could not show them.


class GoalIn(Input):
    goal = serializers.CharField(max_length=4000)


class ActionIn(Input):
    owner_party = IdField()
    owner = IdField(required=False, allow_null=True, default=None)
    what = serializers.CharField(max_length=2000)
    due_on = serializers.DateField()


class ActionUpdateIn(Input):
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    due_on = serializers.DateField(required=False)
    what = serializers.CharField(max_length=2000, required=False)


class ActionOut(serializers.ModelSerializer[Action]):
    owner_party_name = serializers.CharField(source="owner_party.name")
    case = serializers.UUIDField(source="plan.case_id")

    class Meta:
        model = Action
        fields = [
            "id",
            "case",
            "owner_party",
            "owner_party_name",
            "owner",
            "what",
            "due_on",
            "status",
            "version",
        ]


class ActionPlanVersionOut(serializers.ModelSerializer[ActionPlanVersion]):
    class Meta:
        model = ActionPlanVersion
        fields = ["number", "goal", "actions", "changed_by", "changed_at", "change"]


class ActionPlanOut(serializers.ModelSerializer[ActionPlan]):
    actions = ActionOut(many=True)

    class Meta:
        model = ActionPlan
        fields = ["goal", "version", "actions"]
