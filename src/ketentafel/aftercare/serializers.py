# SPDX-License-Identifier: EUPL-1.2
"""API shapes of nazorg ex-gedetineerden: input validated here, rules checked by the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ketentafel.aftercare.models import (
    BasicCondition,
    BasicConditionStatus,
    DetentionNotification,
    Light,
)
from ketentafel.core.api import IdField, Input


class NotifiedPersonIn(Input):
    given_names = serializers.CharField(max_length=120)
    surname = serializers.CharField(max_length=120)
    birth_date = serializers.DateField()
    bsn = serializers.RegexField(r"^\d{9}$", required=False, allow_blank=True, default="")


class DetentionNotificationIn(Input):
    house = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Leeg: het huis waarvan de gemeente van terugkeer partij is.",
    )
    dji_party = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="De inrichting van DJI; alleen voor een procesregisseur die namens DJI meldt.",
    )
    person = NotifiedPersonIn()
    institution = serializers.CharField(max_length=200)
    detention_start = serializers.DateField()
    detention_end = serializers.DateField(required=False, allow_null=True, default=None)
    expected_release = serializers.DateField()
    municipality = IdField(help_text="De gemeente van terugkeer.")


class DetentionNotificationOut(serializers.ModelSerializer[DetentionNotification]):
    municipality_name = serializers.CharField(source="municipality.name")
    house = serializers.IntegerField(source="case.house_id")
    phase = serializers.CharField(source="case.phase")

    class Meta:
        model = DetentionNotification
        fields = [
            "id",
            "case",
            "house",
            "phase",
            "institution",
            "detention_start",
            "detention_end",
            "expected_release",
            "municipality",
            "municipality_name",
            "received_at",
            "registered_by",
        ]


class BasicConditionIn(Input):
    condition = serializers.ChoiceField(choices=BasicCondition.choices)
    status = serializers.ChoiceField(choices=Light.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BasicConditionStatusOut(serializers.ModelSerializer[BasicConditionStatus]):
    set_by_name = serializers.SerializerMethodField()

    class Meta:
        model = BasicConditionStatus
        fields = ["id", "condition", "status", "note", "set_by", "set_by_name", "set_at"]

    def get_set_by_name(self, row: BasicConditionStatus) -> str:
        return row.set_by.get_full_name() or row.set_by.username


class ConditionLightOut(serializers.Serializer[Any]):
    condition = serializers.ChoiceField(choices=BasicCondition.choices)
    status = serializers.ChoiceField(choices=Light.choices)
    note = serializers.CharField()
    set_by = serializers.IntegerField(source="set_by.pk", allow_null=True, default=None)
    set_at = serializers.DateTimeField(allow_null=True)


class BasicConditionsOut(serializers.Serializer[Any]):
    notification = DetentionNotificationOut(allow_null=True)
    current = ConditionLightOut(source="lights", many=True)
    history = BasicConditionStatusOut(many=True)
