# SPDX-License-Identifier: EUPL-1.2
"""The case: its subjects and persons, the parties taking part, triage and closure.

Public ids are UUIDs, so an id in a URL or API answer reveals nothing about how many cases a
house has. Phase changes happen only through `cases.workflow` (the one state machine)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketentafel.covenants.criteria import CRITERION_FIELDS, NATIONAL_RULE, rule_meets


class Phase(models.TextChoices):
    REFERRED = "referred", _("Aangemeld")
    ENRICHMENT = "enrichment", _("Intake en verrijking")
    TRIAGE = "triage", _("Triage")
    DECLINED = "declined", _("Geen casus voor het huis")
    ACCEPTED = "accepted", _("Geaccepteerd, wacht op casusoverleg")
    ACTIVE = "active", _("Plan van aanpak in uitvoering")
    CLOSED = "closed", _("Afgeschaald")


OPEN_PHASES = (Phase.REFERRED, Phase.ENRICHMENT, Phase.TRIAGE, Phase.ACCEPTED, Phase.ACTIVE)


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Persoon")
    FAMILY = "family", _("Gezinssysteem")
    AREA = "area", _("Gebied")


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="cases")
    track = models.ForeignKey("covenants.Track", on_delete=models.PROTECT, related_name="cases")
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.REFERRED)
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    area_description = models.TextField(max_length=2000, blank=True)
    municipality = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, related_name="cases_in_municipality"
    )
    referring_party = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, related_name="referred_cases"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    problem_statement = models.TextField(max_length=4000)
    goal = models.TextField(max_length=2000)
    themes = models.ManyToManyField("covenants.Theme", related_name="cases", blank=True)
    process_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
    )
    information_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="informed_cases",
    )
    case_coordinator_party = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)
    first_discussed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a held case meeting first discussed the case.")
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_at"]
        indexes = [
            models.Index(fields=["house", "phase", "-referred_at"], name="case_house_phase"),
            models.Index(fields=["referring_party", "-referred_at"], name="case_referrer"),
            models.Index(fields=["-referred_at", "id"], name="case_recent"),
            # A coordinator's open cases, newest first (the work queue, docs/performance.md):
            # without them the list walks `case_recent` past other coordinators' cases.
            models.Index(
                fields=["process_coordinator", "-referred_at"],
                condition=Q(phase__in=OPEN_PHASES),
                name="case_open_process_coord",
            ),
            models.Index(
                fields=["information_coordinator", "-referred_at"],
                condition=Q(phase__in=OPEN_PHASES),
                name="case_open_info_coord",
            ),
            # The active cases of a coordinator as ids only, for the overdue actions of the
            # work queue (an index-only scan instead of reading every open case's row).
            models.Index(
                fields=["process_coordinator", "id"],
                condition=Q(phase=Phase.ACTIVE),
                name="case_active_process_coord",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject_kind=SubjectKind.AREA) | ~Q(area_description=""),
                name="area_case_has_description",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(phase=Phase.CLOSED),
                name="closed_at_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Casus {str(self.id)[:8]}"

    @property
    def is_open(self) -> bool:
        return self.phase in OPEN_PHASES

    @property
    def phase_name(self) -> str:
        """The phase in the words of the case's track, where its region names it (ADR 0018)."""
        return self.track.phase_label(self.phase) or str(Phase(self.phase).label)


class Person(models.Model):
    """A person a case is about. Kept per case, so purging a case removes its persons."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    given_names = models.CharField(max_length=120)
    surname = models.CharField(max_length=120)
    surname_key = models.CharField(max_length=120, editable=False)
    birth_date = models.DateField()
    bsn = models.CharField(max_length=9, blank=True)
    address = models.CharField(max_length=200, blank=True)
    municipality = models.CharField(max_length=100, blank=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        ordering = ["-is_primary", "surname"]
        indexes = [
            models.Index(fields=["bsn"], name="person_bsn", condition=~Q(bsn="")),
            models.Index(fields=["surname_key", "birth_date"], name="person_name_dob"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn="") | Q(bsn__regex=r"^[0-9]{9}$"), name="person_bsn_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"Persoon {str(self.id)[:8]}"

    @staticmethod
    def key_for(surname: str) -> str:
        """The form of a surname used to match persons across cases."""
        return " ".join(surname.casefold().split())


class CaseParty(models.Model):
    """A party taking part in a case, with its role and information need (art. 9.4c, 13.2c)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_parties")
    party = models.ForeignKey("covenants.Party", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200)
    information_need = models.TextField(max_length=2000)
    justification = models.TextField(
        max_length=2000,
        blank=True,
        db_default="",
        help_text=_("Why a party that is not a core partner of the track takes part."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="case_party_unique"),
        ]
        indexes = [models.Index(fields=["party", "case"], name="caseparty_party")]


class TriageOutcome(models.TextChoices):
    NOT_FOR_HOUSE = "not_for_house", _("Geen casus voor het huis")
    MORE_INFORMATION = "more_information", _("Nog onduidelijk: aanvullende informatie nodig")
    ACCEPTED = "accepted", _("Casus voor het huis")


class TriageDecision(models.Model):
    """The triage body's decision with the Bijlage 2 criteria as checks (art. 8.3).

    The four checks are the national criteria A-D (`covenants.criteria.CRITERION_FIELDS`); the
    rule that combines them is the region's, kept as it stood when the decision was taken. The
    municipality's view (Gelderland-Midden art. 1.8) and the consultation with the referring
    party (art. 8.1a; Midden-Nederland art. 12.2a) are recorded beside them; decisions taken
    before these were recorded hold None for `referrer_consulted`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triage_decisions")
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The session that decided, where a body triages (ADR 0018)."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    serious_area_problem = models.BooleanField(
        help_text=_("Ernstige lokale of gebiedsgebonden veiligheidsproblematiek")
    )
    system_impact = models.BooleanField(help_text=_("Invloed op en van het (gezins)systeem"))
    multiple_chains_needed = models.BooleanField(
        help_text=_("Samenwerking tussen meerdere ketens nodig")
    )
    multiple_problems = models.BooleanField(help_text=_("Meerdere problemen op meer leefgebieden"))
    criteria_rule = models.CharField(
        max_length=200,
        default=NATIONAL_RULE,
        db_default=NATIONAL_RULE,
        help_text=_("The region's rule over the criteria A-D when the decision was taken."),
    )
    outcome = models.CharField(max_length=20, choices=TriageOutcome.choices)
    explanation = models.TextField(max_length=4000)
    # Rows written in bulk (the benchmark's generator) leave these to the database's defaults.
    municipality_view = models.TextField(max_length=4000, blank=True, default="", db_default="")
    referrer_consulted = models.BooleanField(null=True, blank=True)
    referrer_consulted_on = models.DateField(null=True, blank=True)
    referrer_consultation = models.TextField(max_length=4000, blank=True, default="", db_default="")

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(referrer_consulted_on__isnull=True) | Q(referrer_consulted=True),
                name="triage_consulted_on_only_when_consulted",
            ),
        ]

    @property
    def criteria_values(self) -> dict[str, bool]:
        """The checks by the national keys A-D."""
        return {key: getattr(self, name) for key, name in CRITERION_FIELDS.items()}

    @property
    def meets_criteria(self) -> bool:
        """Whether the checks satisfy the region's rule (Bijlage 2), e.g. (A or B) and C and D."""
        return rule_meets(self.criteria_rule, self.criteria_values)


class ClosureReason(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("Doel bereikt")
    HANDED_OVER = "handed_over", _("Overgedragen aan een partij")
    NO_LONGER_NEEDED = "no_longer_needed", _("Niet langer nodig")
    OTHER = "other", _("Anders")


class Closure(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure")
    agenda_item = models.OneToOneField(
        "meetings.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The held session that decided; empty where the track closes without one."),
    )
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    handed_over_to = models.ForeignKey(
        "covenants.Party", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    explanation = models.TextField(max_length=2000, blank=True)
    referrer_notice = models.TextField(max_length=2000)
    referrer_informed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=ClosureReason.HANDED_OVER) | Q(handed_over_to__isnull=False),
                name="handover_names_a_party",
            ),
        ]
