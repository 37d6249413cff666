# SPDX-License-Identifier: EUPL-1.2
"""API shapes of the case process: input validated here, rules checked by the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ketentafel.cases.models import (
    Case,
    CaseParty,
    Closure,
    Person,
    Phase,
    SubjectKind,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.core.api import IdField, Input

# What one request may carry: a family or a household, the themes and partners of one case, the
# decisions of one agenda item. Larger lists are no case but a mistake or an attack, and a page
# could not show them.
MAX_PERSONS = 20
MAX_THEMES = 20
MAX_PARTIES = 50


class PersonIn(Input):
    given_names = serializers.CharField(max_length=120)
    surname = serializers.CharField(max_length=120)
    birth_date = serializers.DateField()
    bsn = serializers.RegexField(
        r"^\d{9}$",
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": _("Een BSN heeft negen cijfers.")},
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    municipality = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )


class ReferralIn(Input):
    house = IdField()
    track = IdField()
    subject_kind = serializers.ChoiceField(choices=SubjectKind.choices)
    persons = serializers.ListField(
        child=PersonIn(), max_length=MAX_PERSONS, required=False, default=list
    )
    area_description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    municipality = IdField()
    problem_statement = serializers.CharField(max_length=4000)
    goal = serializers.CharField(max_length=2000)
    themes = serializers.ListField(
        child=IdField(), max_length=MAX_THEMES, required=False, default=list
    )
    advice_request = serializers.UUIDField(required=False, allow_null=True, default=None)


class CaseQueryIn(Input):
    phase = serializers.ChoiceField(
        choices=Phase.choices, required=False, help_text="Alleen casussen in deze fase."
    )


class PersonOut(serializers.ModelSerializer[Person]):
    class Meta:
        model = Person
        fields = [
            "id",
            "given_names",
            "surname",
            "birth_date",
            "bsn",
            "address",
            "municipality",
            "is_primary",
        ]


class CasePartyOut(serializers.ModelSerializer[CaseParty]):
    party_name = serializers.CharField(source="party.name")

    class Meta:
        model = CaseParty
        fields = ["party", "party_name", "role", "information_need", "justification", "invited_at"]


class CaseListOut(serializers.ModelSerializer[Case]):
    house_name = serializers.CharField(source="house.name")
    track_name = serializers.CharField(source="track.name")
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "house",
            "house_name",
            "track",
            "track_name",
            "phase",
            "subject_kind",
            "subject",
            "referring_party",
            "referred_at",
        ]

    def get_subject(self, case: Case) -> str:
        persons = list(case.persons.all())
        if not persons:
            return case.area_description[:80]
        return ", ".join(f"{p.given_names} {p.surname}" for p in persons)


class TriageOutcomeOut(serializers.ModelSerializer[TriageDecision]):
    """The triage outcome as the referrer hears it: the decision and its advice (art. 8.3)."""

    outcome_label = serializers.CharField(source="get_outcome_display")

    class Meta:
        model = TriageDecision
        fields = ["outcome", "outcome_label", "explanation", "decided_at"]


class ClosureNoticeOut(serializers.ModelSerializer[Closure]):
    """The closure as the referrer hears it: the reason and what the house told it."""

    reason_label = serializers.CharField(source="get_reason_display")

    class Meta:
        model = Closure
        fields = ["reason", "reason_label", "referrer_notice", "referrer_informed_at"]


class CaseOut(CaseListOut):
    persons = PersonOut(many=True)
    parties = CasePartyOut(source="case_parties", many=True)
    allowed_transitions = serializers.SerializerMethodField()
    triage_outcome = serializers.SerializerMethodField(
        help_text="Het laatste triagebesluit met het advies; alleen voor de aanmeldende partij, "
        "de procesregie en de triage."
    )
    closure_notice = serializers.SerializerMethodField(
        help_text="De afschaling en het bericht aan de aanmelder; voor dezelfde lezers."
    )

    class Meta(CaseListOut.Meta):
        fields = [
            *CaseListOut.Meta.fields,
            "area_description",
            "municipality",
            "problem_statement",
            "goal",
            "themes",
            "process_coordinator",
            "information_coordinator",
            "case_coordinator_party",
            "case_coordinator",
            "first_discussed_at",
            "closed_at",
            "persons",
            "parties",
            "allowed_transitions",
            "triage_outcome",
            "closure_notice",
        ]

    def get_allowed_transitions(self, case: Case) -> list[str]:
        return list(self.context.get("allowed_transitions", []))

    @extend_schema_field(TriageOutcomeOut(allow_null=True))
    def get_triage_outcome(self, case: Case) -> dict[str, Any] | None:
        decision = self.context.get("triage_outcome")
        return TriageOutcomeOut(decision).data if decision is not None else None

    @extend_schema_field(ClosureNoticeOut(allow_null=True))
    def get_closure_notice(self, case: Case) -> dict[str, Any] | None:
        closure = self.context.get("closure_notice")
        return ClosureNoticeOut(closure).data if closure is not None else None


class IntakeIn(Input):
    # Left out or null where the covenant has no information coordinator (Midden-Limburg
    # art. 3.1); required by the service everywhere else.
    information_coordinator = IdField(required=False, allow_null=True, default=None)


class InvitationIn(Input):
    party = IdField()
    role = serializers.CharField(max_length=200)
    information_need = serializers.CharField(max_length=2000)
    justification = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Waarom een partij die geen kernpartij van het werkproces is, deelneemt.",
    )


class TriageIn(Input):
    serious_area_problem = serializers.BooleanField()
    system_impact = serializers.BooleanField()
    multiple_chains_needed = serializers.BooleanField()
    multiple_problems = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=TriageOutcome.choices)
    explanation = serializers.CharField(max_length=4000)
    goal = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    themes = serializers.ListField(
        child=IdField(), max_length=MAX_THEMES, required=False, default=list
    )
    invitations = serializers.ListField(
        child=InvitationIn(), max_length=MAX_PARTIES, required=False, default=list
    )
    municipality_view = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text="De zienswijze van de gemeente (verplicht waar het convenant dat vraagt, "
        "bijvoorbeeld Gelderland-Midden art. 1.8).",
    )
    referrer_consulted = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Met de aanmelder overlegd (art. 8.1a; Midden-Nederland art. 12.2a); "
        "verplicht bij 'geen casus' en 'casus voor het huis'.",
    )
    referrer_consulted_on = serializers.DateField(required=False, allow_null=True, default=None)
    referrer_consultation = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )


class TriageDecisionOut(serializers.ModelSerializer[TriageDecision]):
    case_phase = serializers.CharField(source="case.phase")

    class Meta:
        model = TriageDecision
        fields = [
            "id",
            "case",
            "case_phase",
            "outcome",
            "explanation",
            "serious_area_problem",
            "system_impact",
            "multiple_chains_needed",
            "multiple_problems",
            "criteria_rule",
            "meets_criteria",
            "municipality_view",
            "referrer_consulted",
            "referrer_consulted_on",
            "referrer_consultation",
            "decided_at",
        ]


class KnownElsewhereOut(serializers.Serializer[Any]):
    house = serializers.CharField()
    parties = serializers.ListField(child=serializers.CharField())
    contact = serializers.CharField()
