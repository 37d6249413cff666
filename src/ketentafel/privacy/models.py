# SPDX-License-Identifier: EUPL-1.2
"""Privacy operations: what the purge leaves behind, data-subject requests.

`DeletionRecord` and `CaseStatistic` hold no personal data: a case is named only by its
pseudonymous UUID (the id audit events already carry), everything else is counts, dates of
phases and configuration ids. Requests are the privacy officer's own register (incidents:
`incidents.models`).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketentafel.core.versions import version_field
from ketentafel.privacy.dates import add_months


class Stage(models.TextChoices):
    """The steps in which a case's personal data disappear (Gelderland-Midden art. 1.10), and
    the one step of an advice request that never became a case (Bijlage 3, adviesfase)."""

    ADVICE = "advice", _("Adviesvraag lokaal afgehandeld: verwijderd")
    DECLINED = "declined", _("Aanmelding niet opgepakt: verwijderd")
    CLOSURE = "closure", _("Bij afschaling: niet langer noodzakelijke gegevens verwijderd")
    FINAL = "final", _("Na de monitoringstermijn: dossier verwijderd")


class DeletionRecord(models.Model):
    """Proof that one stage of a case's purge ran: which rule, when, how much of each kind."""

    case_id = models.UUIDField(
        help_text=_("The pseudonymous id of the purged case (stage advice: advice request).")
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="+")
    track = models.ForeignKey("covenants.Track", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(
        max_length=120, help_text=_("The rule applied, e.g. monitoring_days=365.")
    )
    rule_source = models.CharField(max_length=300, blank=True)
    rule_is_example = models.BooleanField(default=False)
    due_on = models.DateField()
    purged_at = models.DateTimeField()
    counts = models.JSONField(default=dict, help_text=_("Rows removed per kind."))

    class Meta:
        ordering = ["-purged_at"]
        constraints = [
            models.UniqueConstraint(fields=["case_id", "stage"], name="deletion_once_per_stage"),
        ]
        indexes = [models.Index(fields=["house", "-purged_at"], name="deletion_house")]
        verbose_name = _("vernietigingsverklaring")
        verbose_name_plural = _("vernietigingsverklaringen")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {str(self.case_id)[:8]}"


class CaseStatistic(models.Model):
    """Anonymous facts of a purged case, so management information survives the purge."""

    case_id = models.UUIDField(unique=True)
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="+")
    track = models.ForeignKey("covenants.Track", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey("covenants.Party", on_delete=models.PROTECT, related_name="+")
    referring_party = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, related_name="+"
    )
    themes = models.ManyToManyField("covenants.Theme", related_name="+", blank=True)
    subject_kind = models.CharField(max_length=10)
    person_count = models.PositiveIntegerField(default=0)
    referred_on = models.DateField()
    accepted_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When triage accepted the case (management information, reporting)."),
    )
    first_discussed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=30, help_text=_("Closure reason, or 'declined' for a referral not taken up.")
    )

    class Meta:
        ordering = ["referred_on"]
        verbose_name = _("geanonimiseerde casusstatistiek")
        verbose_name_plural = _("geanonimiseerde casusstatistieken")


class RequestKind(models.TextChoices):
    """The rights of AVG art. 15-21 a data subject can invoke."""

    ACCESS = "access", _("Inzage (art. 15)")
    RECTIFICATION = "rectification", _("Rectificatie (art. 16)")
    ERASURE = "erasure", _("Wissing (art. 17)")
    RESTRICTION = "restriction", _("Beperking (art. 18)")
    OBJECTION = "objection", _("Bezwaar (art. 21)")


#: Requests whose outcome every recipient must hear of (AVG art. 19).
NOTIFY_RECIPIENTS = (RequestKind.RECTIFICATION, RequestKind.ERASURE, RequestKind.RESTRICTION)


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    IN_PROGRESS = "in_progress", _("In behandeling")
    COMPLETED = "completed", _("Afgehandeld")
    REFUSED = "refused", _("Afgewezen")


OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class DataSubjectRequest(models.Model):
    """A request of a data subject, with the deadline of AVG art. 12(3).

    The subject's identifying data are kept only to find their data; they are cleared when the
    request has been closed for `PRIVACY_REQUEST_RETENTION_DAYS` (the purge does it).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    received_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(max_length=2000, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    subject_bsn = models.CharField(max_length=9, blank=True)
    subject_surname = models.CharField(max_length=120, blank=True)
    subject_birth_date = models.DateField(null=True, blank=True)
    description = models.TextField(max_length=4000, blank=True)
    outcome = models.TextField(max_length=4000, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    subject_cleared_at = models.DateTimeField(null=True, blank=True)
    version = version_field()

    class Meta:
        ordering = ["received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | ~Q(extension_reason=""),
                name="request_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(subject_bsn="") | Q(subject_bsn__regex=r"^[0-9]{9}$"),
                name="request_bsn_digits",
            ),
        ]
        indexes = [models.Index(fields=["house", "status", "received_on"], name="request_open")]
        verbose_name = _("verzoek van betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")

    def __str__(self) -> str:
        return f"Verzoek {str(self.id)[:8]}"

    @property
    def due_on(self) -> datetime.date:
        """One month after receipt (art. 12(3)), or the extended date."""
        return self.extended_to or add_months(self.received_on, 1)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RecipientNotice(models.Model):
    """That a recipient was told of a rectification, erasure or restriction (art. 19)."""

    request = models.ForeignKey(
        DataSubjectRequest, on_delete=models.CASCADE, related_name="notices"
    )
    party = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    third_party = models.CharField(max_length=200, blank=True)
    informed_on = models.DateField()
    note = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["informed_on"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(party__isnull=False) & Q(third_party=""))
                | (Q(party__isnull=True) & ~Q(third_party="")),
                name="notice_names_one_recipient",
            ),
        ]
