# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from ketentafel.core.api import IdField, Input
from ketentafel.privacy.models import (
    DataSubjectRequest,
    DeletionRecord,
    RecipientNotice,
    RequestKind,
    RequestStatus,
)


class SubjectRequestIn(Input):
    house = IdField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    received_on = serializers.DateField()
    subject_bsn = serializers.RegexField(r"^[0-9]{9}$", required=False, default="")
    subject_surname = serializers.CharField(
        max_length=120, required=False, default="", allow_blank=True
    )
    subject_birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(
        max_length=4000, required=False, default="", allow_blank=True
    )


class NoticeOut(serializers.ModelSerializer[RecipientNotice]):
    party_name = serializers.CharField(source="party.name", default="")

    class Meta:
        model = RecipientNotice
        fields = ["id", "party", "party_name", "third_party", "informed_on", "note"]


class SubjectRequestOut(serializers.ModelSerializer[DataSubjectRequest]):
    due_on = serializers.DateField(read_only=True)
    days_left = serializers.SerializerMethodField()
    notices = NoticeOut(many=True, read_only=True)

    class Meta:
        model = DataSubjectRequest
        fields = [
            "id",
            "house",
            "kind",
            "status",
            "received_on",
            "due_on",
            "days_left",
            "extended_to",
            "extension_reason",
            "subject_bsn",
            "subject_surname",
            "subject_birth_date",
            "description",
            "outcome",
            "registered_at",
            "closed_at",
            "notices",
            "version",
        ]

    def get_days_left(self, obj: DataSubjectRequest) -> int | None:
        if not obj.is_open:
            return None
        return (obj.due_on - timezone.localdate()).days


class ExtendIn(Input):
    reason = serializers.CharField(max_length=2000)


class StatusIn(Input):
    status = serializers.ChoiceField(
        choices=[
            (s.value, s.label)
            for s in (RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED, RequestStatus.REFUSED)
        ]
    )
    outcome = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)


class NoticeIn(Input):
    party = IdField(required=False, allow_null=True, default=None)
    third_party = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    informed_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class ExportQueryIn(Input):
    controller = IdField(
        required=False, allow_null=True, default=None, help_text="Alleen deze partij"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # `as` is a Python keyword, so it cannot be declared in the class body.
        self.fields["as"] = serializers.ChoiceField(
            choices=[("json", "JSON"), ("pdf", "PDF")],
            required=False,
            default="json",
            help_text="Bestandsformaat",
        )


class DeletionRecordOut(serializers.ModelSerializer[DeletionRecord]):
    track_slug = serializers.CharField(source="track.slug")

    class Meta:
        model = DeletionRecord
        fields = [
            "case_id",
            "stage",
            "house",
            "track",
            "track_slug",
            "rule",
            "rule_source",
            "rule_is_example",
            "due_on",
            "purged_at",
            "counts",
        ]


class FlagOut(serializers.Serializer[Any]):
    case_id = serializers.UUIDField()
    house_id = serializers.IntegerField()
    track_id = serializers.IntegerField()
    referred_on = serializers.DateField()
    warn_from = serializers.DateField()
    max_age_on = serializers.DateField()
    is_past_max_age = serializers.SerializerMethodField()

    def get_is_past_max_age(self, obj: Any) -> bool:
        return bool(obj.max_age_on <= timezone.localdate())
