# SPDX-License-Identifier: EUPL-1.2
"""API shapes of advice questions: input validated here, rules checked by the services."""

from __future__ import annotations

from rest_framework import serializers

from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.core.api import IdField, Input

# What one request may carry: a family or a household, the themes and partners of one case, the
# decisions of one agenda item. Larger lists are no case but a mistake or an attack, and a page
# could not show them.


class AdviceQueryIn(Input):
    outcome = serializers.ChoiceField(
        choices=AdviceOutcome.choices,
        required=False,
        help_text="Alleen adviesvragen met deze uitkomst (open: nog af te handelen).",
    )


class AdviceIn(Input):
    house = IdField()
    question = serializers.CharField(max_length=2000)
    requesting_party = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="De partij die de vraag stelde; alleen een procesregisseur van het huis kiest "
        "een andere partij dan de eigen (bijvoorbeeld bij een telefonische vraag).",
    )


class AdviceConcludeIn(Input):
    advice = serializers.CharField(max_length=4000)


class AdviceOut(serializers.ModelSerializer[AdviceRequest]):
    class Meta:
        model = AdviceRequest
        fields = [
            "id",
            "house",
            "requesting_party",
            "question",
            "outcome",
            "advice",
            "case",
            "created_at",
            "concluded_at",
        ]
