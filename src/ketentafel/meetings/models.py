# SPDX-License-Identifier: EUPL-1.2
"""Meetings of a house's bodies, their agenda items and decisions (Bijlage 3, casusoverleg).

Public ids are UUIDs, so an id in a URL or API answer reveals nothing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketentafel.cases.models import Case
from ketentafel.core.versions import version_field


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gehouden")
    CANCELLED = "cancelled", _("Geannuleerd")


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey("covenants.Body", on_delete=models.PROTECT, related_name="meetings")
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]


class AgendaPurpose(models.TextChoices):
    FIRST_DISCUSSION = "first_discussion", _("Eerste bespreking")
    REVIEW = "review", _("Voortgang")
    CLOSURE = "closure", _("Afschaling")
    # A body that weighs cases in session (the weegploeg, IJsselland's Regionale Casustafel).
    TRIAGE = "triage", _("Weging")


#: The phase a case is in when it is put on an agenda for each purpose.
PURPOSE_PHASE = {
    AgendaPurpose.TRIAGE: "triage",
    AgendaPurpose.FIRST_DISCUSSION: "accepted",
    AgendaPurpose.REVIEW: "active",
    AgendaPurpose.CLOSURE: "active",
}
#: The purpose a case is put on an agenda for in each phase, where it can be.
PHASE_PURPOSE = {
    "triage": AgendaPurpose.TRIAGE,
    "accepted": AgendaPurpose.FIRST_DISCUSSION,
    "active": AgendaPurpose.REVIEW,
}


class AgendaItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    purpose = models.CharField(max_length=20, choices=AgendaPurpose.choices)
    minutes = models.TextField(max_length=20000, blank=True)
    informs_client = models.CharField(max_length=300, blank=True)
    on_arrest = models.TextField(max_length=2000, blank=True)
    closure_criteria = models.TextField(max_length=2000, blank=True)
    progress = models.TextField(max_length=4000, blank=True)
    version = version_field()

    class Meta:
        ordering = ["meeting__starts_at", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once"),
        ]


class Decision(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    decision_type = models.ForeignKey(
        "covenants.DecisionType", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at"]
