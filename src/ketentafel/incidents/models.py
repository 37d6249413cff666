# SPDX-License-Identifier: EUPL-1.2
"""Security incidents (datalekken): the privacy officer's register with the 72-hour clock of
AVG art. 33, and each incident's log of decisions, notifications and measures."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketentafel.core.versions import version_field

#: AVG art. 33(1): notify the supervisory authority within 72 hours of becoming aware.
NOTIFICATION_HOURS = 72


class DataCategory(models.TextChoices):
    """Kinds of data an incident touched (the notification form of the AP asks for them)."""

    ORDINARY = "ordinary", _("Gewone persoonsgegevens")
    BSN = "bsn", _("Burgerservicenummer")
    SPECIAL = "special", _("Bijzondere persoonsgegevens (gezondheid e.d.)")
    JUSTICE = "justice", _("Justitiële en strafvorderlijke gegevens")
    POLICE = "police", _("Politiegegevens")
    CHILDREN = "children", _("Gegevens van minderjarigen")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Afgesloten")


class SecurityIncident(models.Model):
    """A security incident (datalek) with the 72-hour clock of AVG art. 33."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="+")
    discovered_at = models.DateTimeField()
    description = models.TextField(max_length=8000)
    people_affected = models.PositiveIntegerField(
        help_text=_("Best estimate of the number of people whose data were involved.")
    )
    data_categories = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    must_notify_authority = models.BooleanField(
        null=True, help_text=_("Decision: notify the Autoriteit Persoonsgegevens (art. 33)?")
    )
    decision_reason = models.TextField(max_length=4000, blank=True)
    authority_notified_at = models.DateTimeField(null=True, blank=True)
    authority_reference = models.CharField(max_length=100, blank=True)
    version = version_field()
    subjects_notified_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-discovered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(must_notify_authority__isnull=True) | ~Q(decision_reason=""),
                name="incident_decision_has_reason",
            ),
        ]
        verbose_name = _("beveiligingsincident")
        verbose_name_plural = _("beveiligingsincidenten")

    def __str__(self) -> str:
        return f"Incident {str(self.id)[:8]}"

    @property
    def notification_deadline(self) -> datetime.datetime:
        return self.discovered_at + datetime.timedelta(hours=NOTIFICATION_HOURS)

    def seconds_remaining(self, now: datetime.datetime | None = None) -> int | None:
        """Seconds left to notify the authority; negative once late; None when not due."""
        if self.must_notify_authority is False or self.authority_notified_at is not None:
            return None
        now = now or timezone.now()
        return int((self.notification_deadline - now).total_seconds())

    @property
    def notified_in_time(self) -> bool | None:
        if self.authority_notified_at is None:
            return None
        return self.authority_notified_at <= self.notification_deadline


class IncidentEntryKind(models.TextChoices):
    DECISION = "decision", _("Besluit")
    NOTIFICATION = "notification", _("Melding")
    MEASURE = "measure", _("Maatregel")
    NOTE = "note", _("Aantekening")


class IncidentEntry(models.Model):
    """One step in the incident's log: a decision, a notification, a measure taken."""

    incident = models.ForeignKey(SecurityIncident, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=IncidentEntryKind.choices)
    text = models.TextField(max_length=4000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
