# SPDX-License-Identifier: EUPL-1.2
"""Information items and requests, and how each item may be shared.

Each item belongs to the party that supplied it; that party is its controller and alone decides
how others may use it (Gelderland-Midden art. 16.1, 17.4; Midden-Nederland art. 15, 16).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketentafel.core.versions import version_field


class LifeDomain(models.TextChoices):
    CRIMINAL_HISTORY = "criminal_history", _("Delictgeschiedenis")
    HOUSING = "housing", _("Huisvesting en wonen")
    EDUCATION_WORK = "education_work", _("Leren en werk")
    FINANCES = "finances", _("Financiën")
    FAMILY = "family", _("Gezinssysteem")
    BEHAVIOUR = "behaviour", _("Gedrag")
    NETWORK = "network", _("Netwerk")
    MENTAL_HEALTH = "mental_health", _("Psychische gezondheid")
    SUBSTANCE_USE = "substance_use", _("Middelengebruik")


class DataCategory(models.TextChoices):
    ORDINARY = "ordinary", _("Gewone persoonsgegevens")
    SPECIAL = "special", _("Bijzondere persoonsgegevens")
    JUSTICE = "justice", _("Justitiële en strafvorderlijke gegevens")
    POLICE = "police", _("Politiegegevens")


class Sharing(models.TextChoices):
    """Who besides the supplier and the case's coordinators may read an item."""

    COORDINATION = "coordination", _("Alleen procesregie en informatiecoördinatie")
    PRE_MEETING = "pre_meeting", _("Genodigde partijen, ook vóór het overleg (art. 13.2d)")
    AFTER_MEETING = "after_meeting", _("Alle deelnemende partijen na het casusoverleg")
    NAMED = "named", _("Alleen de genoemde partijen")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Beantwoord")
    NOTHING_TO_SHARE = "nothing_to_share", _("Geen informatie")


class InformationRequest(models.Model):
    """A question of the house to a party: what, why and by when (Bijlage 3, intake)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="information_requests"
    )
    party = models.ForeignKey("covenants.Party", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(max_length=2000)
    reason = models.TextField(max_length=2000)
    deadline = models.DateField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.TextField(max_length=2000, blank=True)
    version = version_field()

    class Meta:
        ordering = ["deadline"]
        indexes = [models.Index(fields=["party", "status", "deadline"], name="request_party")]


class InformationItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="items")
    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    supplier_party = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, related_name="supplied_items"
    )
    supplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    life_domain = models.CharField(max_length=20, choices=LifeDomain.choices)
    text = models.TextField(max_length=10000)
    legal_basis = models.CharField(max_length=300)
    data_category = models.CharField(max_length=10, choices=DataCategory.choices)
    track = models.ForeignKey("covenants.Track", on_delete=models.PROTECT, related_name="+")
    sharing = models.CharField(max_length=20, choices=Sharing.choices)
    shared_with = models.ManyToManyField(
        "covenants.Party", through="ItemShare", related_name="+", blank=True
    )
    supplied_at = models.DateTimeField(auto_now_add=True)
    sharing_changed_at = models.DateTimeField(null=True, blank=True)
    version = version_field()

    class Meta:
        ordering = ["life_domain", "supplied_at"]
        indexes = [
            models.Index(fields=["case", "sharing"], name="item_case_sharing"),
            # The access filter asks "which cases did this party supply to" (cases.policies);
            # with the case in the index that is an index-only scan (docs/performance.md).
            models.Index(fields=["supplier_party", "case"], name="item_supplier_case"),
        ]


class ItemShare(models.Model):
    """A party named by the supplier of an item with `Sharing.NAMED`."""

    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="shares")
    party = models.ForeignKey("covenants.Party", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "party"], name="item_share_unique")]
        indexes = [models.Index(fields=["party", "item"], name="itemshare_party")]


class PreMeetingAssessment(models.Model):
    """The process coordinator's assessment of whether an item may be read before the case
    meeting, made in consultation with the party that referred the case or holds its casusregie
    (Gelderland-Midden art. 13.2d; Midden-Nederland art. 12.2f; IJsselland art. 12.2f;
    Midden-Limburg art. 9.2f). It stands beside the supplier's approval (`Sharing.PRE_MEETING`,
    "uitsluitend als de Partij die de gegevens heeft verstrekt dat accordeert"): only both
    together open an item to the participating parties before the meeting."""

    item = models.OneToOneField(
        InformationItem, on_delete=models.CASCADE, related_name="pre_meeting_assessment"
    )
    may_read_before_meeting = models.BooleanField()
    consulted_party = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, related_name="+"
    )
    consulted_on = models.DateField()
    assessment = models.TextField(max_length=2000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)


class DisclosureConsent(models.Model):
    """The supplier's prior written consent to disclose an item to a third party (art. 10.2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(InformationItem, on_delete=models.CASCADE, related_name="consents")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.CharField(max_length=200, help_text=_("The third party, by name."))
    purpose = models.TextField(max_length=2000)
    written_reference = models.CharField(
        max_length=200, help_text=_("Where the written consent is kept (letter, e-mail, ...).")
    )
    granted_at = models.DateTimeField(auto_now_add=True)


class Disclosure(models.Model):
    """That an item was given to a third party under a consent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consent = models.ForeignKey(
        DisclosureConsent, on_delete=models.PROTECT, related_name="disclosures"
    )
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    disclosed_at = models.DateTimeField(auto_now_add=True)
