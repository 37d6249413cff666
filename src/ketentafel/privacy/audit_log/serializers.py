# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ketentafel.audit.chain import HASHED_FIELDS
from ketentafel.audit.models import Action, AuditEvent
from ketentafel.core.api import IdField, Input


class EventQueryIn(Input):
    person = serializers.UUIDField(required=False, help_text="Pseudonymous id of a person.")
    user = IdField(required=False, help_text="Id of the acting user.")
    case = serializers.UUIDField(required=False)
    since = serializers.DateTimeField(required=False)
    until = serializers.DateTimeField(required=False)
    action = serializers.ChoiceField(choices=Action.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until <= since:
            raise serializers.ValidationError({"until": _("Het einde ligt na het begin.")})
        return attrs


class EventOut(serializers.ModelSerializer[AuditEvent]):
    class Meta:
        model = AuditEvent
        fields = [*HASHED_FIELDS, "hash"]


class AccessLineOut(serializers.Serializer[Any]):
    seq = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    action = serializers.CharField()
    result = serializers.CharField()
    object_type = serializers.CharField()
    case_id = serializers.CharField()
    actor_id = serializers.IntegerField(allow_null=True)
    actor_name = serializers.CharField()
    party_name = serializers.CharField()
    role = serializers.CharField()
    purpose = serializers.CharField()
