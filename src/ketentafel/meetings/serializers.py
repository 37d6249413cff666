# SPDX-License-Identifier: EUPL-1.2
"""API shapes of meetings and agenda items: input validated here, rules checked by the services."""

from __future__ import annotations

from rest_framework import serializers

from ketentafel.cases.models import (
    ClosureReason,
)
from ketentafel.cases.serializers import MAX_PARTIES, MAX_THEMES, InvitationIn
from ketentafel.core.api import IdField, Input
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Decision, Meeting

# What one request may carry: a family or a household, the themes and partners of one case, the
# decisions of one agenda item. Larger lists are no case but a mistake or an attack, and a page
# could not show them.
MAX_DECISIONS = 30


class MeetingIn(Input):
    house = IdField()
    body = IdField()
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AgendaItemOut(serializers.ModelSerializer[AgendaItem]):
    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "case",
            "position",
            "purpose",
            "minutes",
            "informs_client",
            "on_arrest",
            "closure_criteria",
            "progress",
            "version",
        ]


class MeetingOut(serializers.ModelSerializer[Meeting]):
    body_label = serializers.CharField(source="body.label")

    class Meta:
        model = Meeting
        fields = ["id", "house", "body", "body_label", "starts_at", "location", "status", "held_at"]


class AgendaItemIn(Input):
    case = serializers.UUIDField()
    purpose = serializers.ChoiceField(choices=AgendaPurpose.choices)


class DecisionIn(Input):
    text = serializers.CharField(max_length=2000)
    decision_type = IdField(required=False, allow_null=True, default=None)


class AgendaRecordIn(Input):
    minutes = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    informs_client = serializers.CharField(max_length=300, required=False, allow_blank=True)
    on_arrest = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    closure_criteria = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    progress = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    case_coordinator_party = IdField(required=False, allow_null=True)
    case_coordinator = IdField(required=False, allow_null=True)
    decisions = serializers.ListField(
        child=DecisionIn(), max_length=MAX_DECISIONS, required=False, default=list
    )


class SessionTriageIn(Input):
    """The triage decision's own fields, when a session weighs the case."""

    serious_area_problem = serializers.BooleanField(required=False, default=False)
    system_impact = serializers.BooleanField(required=False, default=False)
    multiple_chains_needed = serializers.BooleanField(required=False, default=False)
    multiple_problems = serializers.BooleanField(required=False, default=False)
    explanation = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    goal = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    themes = serializers.ListField(
        child=IdField(), max_length=MAX_THEMES, required=False, default=list
    )
    invitations = serializers.ListField(
        child=InvitationIn(), max_length=MAX_PARTIES, required=False, default=list
    )
    municipality_view = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    referrer_consulted = serializers.BooleanField(required=False, default=False)
    referrer_consulted_on = serializers.DateField(required=False, allow_null=True, default=None)
    referrer_consultation = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )


class SessionDecisionIn(Input):
    decision_type = IdField()
    text = serializers.CharField(max_length=2000)
    referrer_notice = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    handed_over_to = IdField(required=False, allow_null=True, default=None)
    triage = SessionTriageIn(required=False, allow_null=True, default=None)


class ClosureIn(Input):
    # Left out where the track closes without a meeting (nazorg); required otherwise.
    agenda_item = serializers.UUIDField(required=False, allow_null=True, default=None)
    reason = serializers.ChoiceField(choices=ClosureReason.choices)
    handed_over_to = IdField(required=False, allow_null=True, default=None)
    explanation = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    referrer_notice = serializers.CharField(max_length=2000)


class DecisionOut(serializers.ModelSerializer[Decision]):
    effect = serializers.CharField(source="decision_type.effect", default="none")
    case_phase = serializers.CharField(source="agenda_item.case.phase")

    class Meta:
        model = Decision
        fields = [
            "id",
            "agenda_item",
            "decision_type",
            "text",
            "effect",
            "case_phase",
            "recorded_at",
        ]
