# SPDX-License-Identifier: EUPL-1.2
"""Advice questions (Gelderland-Midden Bijlage 3, adviesfase): the step before a referral.

Public ids are UUIDs, so an id in a URL or API answer reveals nothing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdviceOutcome(models.TextChoices):
    OPEN = "open", _("Open")
    HANDLED_LOCALLY = "handled_locally", _("Lokaal opgepakt")
    REFERRED = "referred", _("Aangemeld bij het huis")


class AdviceRequest(models.Model):
    """A consultation of the house, possibly by phone, with minimal data (Bijlage 3, adviesfase)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="+")
    requesting_party = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(max_length=2000)
    outcome = models.CharField(
        max_length=20, choices=AdviceOutcome.choices, default=AdviceOutcome.OPEN
    )
    advice = models.TextField(max_length=4000, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advice_request",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
