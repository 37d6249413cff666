# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from rest_framework import serializers

from ketentafel.core.api import IdField, Input
from ketentafel.information.models import (
    DataCategory,
    DisclosureConsent,
    InformationItem,
    InformationRequest,
    LifeDomain,
    PreMeetingAssessment,
    Sharing,
)


class RequestIn(Input):
    party = IdField()
    question = serializers.CharField(max_length=2000)
    reason = serializers.CharField(max_length=2000)
    deadline = serializers.DateField()


class RequestOut(serializers.ModelSerializer[InformationRequest]):
    party_name = serializers.CharField(source="party.name")

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "case",
            "party",
            "party_name",
            "question",
            "reason",
            "deadline",
            "status",
            "requested_at",
            "answered_at",
            "answer_note",
            "version",
        ]


class DeclineIn(Input):
    note = serializers.CharField(max_length=2000)


# The parties of one covenant: no region has more than a few dozen.
MAX_NAMED_PARTIES = 50


class ItemIn(Input):
    life_domain = serializers.ChoiceField(choices=LifeDomain.choices)
    text = serializers.CharField(max_length=10000)
    legal_basis = serializers.CharField(max_length=300)
    data_category = serializers.ChoiceField(choices=DataCategory.choices)
    sharing = serializers.ChoiceField(choices=Sharing.choices)
    named_parties = serializers.ListField(
        child=IdField(), max_length=MAX_NAMED_PARTIES, required=False, default=list
    )
    request = serializers.UUIDField(required=False, allow_null=True, default=None)


class SharingIn(Input):
    sharing = serializers.ChoiceField(choices=Sharing.choices)
    named_parties = serializers.ListField(
        child=IdField(), max_length=MAX_NAMED_PARTIES, required=False, default=list
    )


class ItemOut(serializers.ModelSerializer[InformationItem]):
    supplier_party_name = serializers.CharField(source="supplier_party.name")
    named_parties = serializers.SerializerMethodField()
    may_change_sharing = serializers.SerializerMethodField()

    class Meta:
        model = InformationItem
        fields = [
            "id",
            "case",
            "request",
            "supplier_party",
            "supplier_party_name",
            "life_domain",
            "text",
            "legal_basis",
            "data_category",
            "track",
            "sharing",
            "named_parties",
            "supplied_at",
            "sharing_changed_at",
            "may_change_sharing",
            "version",
        ]

    def get_named_parties(self, item: InformationItem) -> list[int]:
        return [share.party_id for share in item.shares.all()]

    def get_may_change_sharing(self, item: InformationItem) -> bool:
        return bool(item.supplier_party_id == self.context.get("party_id"))


class PreMeetingAssessmentIn(Input):
    may_read_before_meeting = serializers.BooleanField()
    consulted_party = IdField(
        help_text="De partij die de casus aanmeldde of de casusregie heeft (art. 13.2d)."
    )
    consulted_on = serializers.DateField()
    assessment = serializers.CharField(max_length=2000)


class PreMeetingAssessmentOut(serializers.ModelSerializer[PreMeetingAssessment]):
    supplier_approved = serializers.SerializerMethodField(
        help_text="Of de leverancier lezen vóór het overleg accordeert (delen 'pre_meeting')."
    )

    class Meta:
        model = PreMeetingAssessment
        fields = [
            "item",
            "may_read_before_meeting",
            "supplier_approved",
            "consulted_party",
            "consulted_on",
            "assessment",
            "assessed_by",
            "assessed_at",
        ]

    def get_supplier_approved(self, assessment: PreMeetingAssessment) -> bool:
        return bool(assessment.item.sharing == Sharing.PRE_MEETING)


class ConsentIn(Input):
    recipient = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=2000)
    written_reference = serializers.CharField(max_length=200)


class ConsentOut(serializers.ModelSerializer[DisclosureConsent]):
    class Meta:
        model = DisclosureConsent
        fields = [
            "id",
            "item",
            "recipient",
            "purpose",
            "written_reference",
            "granted_by",
            "granted_at",
        ]


class DisclosureIn(Input):
    consent = serializers.UUIDField()
