# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ketentafel.core.api import IdField, Input
from ketentafel.incidents.models import (
    DataCategory,
    IncidentEntry,
    IncidentEntryKind,
    SecurityIncident,
)


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
