# SPDX-License-Identifier: EUPL-1.2
"""Nazorg ex-gedetineerden: DJI's detention notification and the five basic conditions.

Gelderland-Midden art. 2.3a and Bijlage 3 "Proces nazorg ex-gedetineerden": a notification from
DJI's system reaches the process coordinator for nazorg; the house makes no plan of action but
keeps a traffic light ("zwaarte-indicatie (stoplicht)") on five life domains. Midden-Limburg
art. 2.3 gives its house the same task ("nazorg detentie"). The rows belong to a case of an
aftercare track and go with it (`aftercare.retention`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class DetentionNotification(models.Model):
    """DJI's notification that a person of the house's region is detained and will return:
    the start of the case (one per case)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="detention_notification"
    )
    detention_start = models.DateField()
    detention_end = models.DateField(null=True, blank=True)
    expected_release = models.DateField()
    municipality = models.ForeignKey(
        "covenants.Party",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The municipality the person returns to after detention."),
    )
    institution = models.CharField(max_length=200, help_text=_("E.g. PI Arnhem."))
    received_at = models.DateTimeField()
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_release__gte=F("detention_start")),
                name="release_not_before_detention",
            ),
            models.CheckConstraint(
                condition=Q(detention_end__isnull=True)
                | Q(detention_end__gte=F("detention_start")),
                name="detention_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Detentiemelding {str(self.id)[:8]}"


class BasicCondition(models.TextChoices):
    """The five basic conditions of re-entry ("basisvoorwaarden")."""

    IDENTITY = "identity", _("Identiteitsbewijs")
    HOUSING = "housing", _("Huisvesting")
    WORK_INCOME = "work_income", _("Werk en inkomen")
    DEBTS = "debts", _("Schulden")
    CARE = "care", _("Zorg")


class Light(models.TextChoices):
    """The traffic light of one basic condition; unknown until someone sets it."""

    UNKNOWN = "unknown", _("Onbekend")
    RED = "red", _("Rood")
    ORANGE = "orange", _("Oranje")
    GREEN = "green", _("Groen")


class BasicConditionStatus(models.Model):
    """One setting of one basic condition's light. Rows are only added: the current light is
    the latest row per condition, the rows before it are its history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="basic_condition_statuses"
    )
    condition = models.CharField(max_length=20, choices=BasicCondition.choices)
    status = models.CharField(max_length=10, choices=Light.choices)
    note = models.TextField(max_length=2000, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-set_at", "-id"]
        indexes = [
            models.Index(fields=["case", "condition", "-set_at"], name="basic_condition_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(condition__in=BasicCondition.values), name="basic_condition_known"
            ),
            models.CheckConstraint(condition=Q(status__in=Light.values), name="light_known"),
        ]

    def __str__(self) -> str:
        return f"Basisvoorwaarde {str(self.id)[:8]}"
