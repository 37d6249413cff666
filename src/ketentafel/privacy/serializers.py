# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from ketentafel.core.api import IdField, Input
from ketentafel.privacy.models import (
    DataCategory,
    DataSubjectRequest,
    DeletionRecord,
    IncidentEntry,
    IncidentEntryKind,
    RecipientNotice,
    RequestKind,
    RequestStatus,
    SecurityIncident,
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


class IncidentIn(Input):
    house = IdField()
    discovered_at = serializers.DateTimeField()
    description = serializers.CharField(max_length=8000)
    people_affected = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        allow_empty=True,
        max_length=len(DataCategory.choices),
    )


class IncidentEntryOut(serializers.ModelSerializer[IncidentEntry]):
    class Meta:
        model = IncidentEntry
        fields = ["kind", "text", "recorded_by", "recorded_at"]


class IncidentOut(serializers.ModelSerializer[SecurityIncident]):
    notification_deadline = serializers.DateTimeField(read_only=True)
    seconds_remaining = serializers.SerializerMethodField(
        help_text="Seconds left to notify the AP; negative when late; null when not due."
    )
    notified_in_time = serializers.BooleanField(read_only=True, allow_null=True)
    entries = IncidentEntryOut(many=True, read_only=True)

    class Meta:
        model = SecurityIncident
        fields = [
            "id",
            "house",
            "status",
            "discovered_at",
            "notification_deadline",
            "seconds_remaining",
            "description",
            "people_affected",
            "data_categories",
            "must_notify_authority",
            "decision_reason",
            "authority_notified_at",
            "authority_reference",
            "notified_in_time",
            "subjects_notified_at",
            "registered_at",
            "closed_at",
            "entries",
            "version",
        ]

    def get_seconds_remaining(self, obj: SecurityIncident) -> int | None:
        return obj.seconds_remaining()


class IncidentDecisionIn(Input):
    must_notify_authority = serializers.BooleanField()
    reason = serializers.CharField(max_length=4000)


class NotificationIn(Input):
    recipient = serializers.ChoiceField(choices=[("authority", "AP"), ("subjects", "Betrokkenen")])
    notified_at = serializers.DateTimeField()
    reference = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class EntryIn(Input):
    kind = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in (IncidentEntryKind.MEASURE, IncidentEntryKind.NOTE)],
        help_text="measure or note; the others are written by the decision and notification calls",
    )
    text = serializers.CharField(max_length=4000)


class PeriodIn(Input):
    since = serializers.DateField()
    until = serializers.DateField()
    house = IdField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since: datetime.date = attrs["since"]
        until: datetime.date = attrs["until"]
        if until <= since:
            raise serializers.ValidationError({"until": _("Het einde ligt na het begin.")})
        return attrs


class IncidentReportOut(serializers.Serializer[Any]):
    since = serializers.DateField()
    until = serializers.DateField()
    house_ids = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    people_affected = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.IntegerField())
    by_month = serializers.DictField(child=serializers.IntegerField())
    authority_required = serializers.IntegerField()
    authority_not_required = serializers.IntegerField()
    undecided = serializers.IntegerField()
    notified_in_time = serializers.IntegerField()
    notified_late = serializers.IntegerField()
    not_yet_notified = serializers.IntegerField()
    subjects_notified = serializers.IntegerField()
