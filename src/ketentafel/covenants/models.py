# SPDX-License-Identifier: EUPL-1.2
"""A region's covenant as data: houses, parties, bodies, tracks, themes, decision types.

Rows are written only by the region loader (`services.region_load`), from the region files in
`regions/`. Each row keeps the `source` it was loaded from: the covenant article it rests on.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from ketentafel.accounts.models import Role
from ketentafel.covenants.criteria import Criteria
from ketentafel.covenants.process import CASE_POSITIONS, GENERAL, SESSION_PERFORMERS, ProcessSpec


class PartyKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Gemeente")
    POLITIE = "politie", _("Politie")
    OM = "om", _("Openbaar Ministerie")
    DJI = "dji", _("Dienst Justitiële Inrichtingen")
    RVDK = "rvdk", _("Raad voor de Kinderbescherming")
    JEUGDBESCHERMING = "jeugdbescherming", _("Jeugdbescherming")
    RECLASSERING = "reclassering", _("Reclassering")
    ZORG = "zorg", _("Zorg / GGZ")
    VERSLAVINGSZORG = "verslavingszorg", _("Verslavingszorg")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    HALT = "halt", _("Halt")
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
    WELZIJN = "welzijn", _("Welzijn")
    SLACHTOFFERHULP = "slachtofferhulp", _("Slachtofferhulp")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    OTHER = "other", _("Overig")


class Chain(models.TextChoices):
    ZORG = "zorg", _("Zorg")
    STRAF = "straf", _("Straf")
    GEMEENTELIJK = "gemeentelijk", _("Gemeentelijk")


class BodyKind(models.TextChoices):
    STEERING = "steering", _("Stuurgroep")
    TACTICAL = "tactical", _("Tactisch overleg")
    TRIAGE = "triage", _("Triage")
    CASE_MEETING = "case_meeting", _("Casusoverleg")


class EscalationTarget(models.TextChoices):
    CHAIR = "chair", _("Voorzitter van de stuurgroep")
    REGIONAL_SAFETY_COUNCIL = "regional_safety_council", _("Regionaal Veiligheidscollege")
    DISTRICT_SAFETY_COUNCIL = "district_safety_council", _("Districtelijk Veiligheidscollege")
    DISTRICT_SAFETY_MEETING = "district_safety_meeting", _("Districtelijk Veiligheidsoverleg")
    OTHER = "other", _("Anders")


class TrackKind(models.TextChoices):
    COMPLEX_CASES = "complex_cases", _("Complexe casuïstiek")
    AFTERCARE = "aftercare", _("Nazorg ex-gedetineerden")
    RADICALISATION = "radicalisation", _("Radicalisering")
    MDA_PLUS_PLUS = "mda_plus_plus", _("MDA++")
    PGA_UNDERMINING = "pga_undermining", _("PGA ondermijning")
    PROTECTED_CASE_MEETING = "protected_case_meeting", _("Casus Overleg Beschermd")
    OTHER = "other", _("Overig")


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("Deelnemer")
    LEFT = "left", _("Uitgetreden")
    EXCLUDED = "excluded", _("Uitgesloten")


#: The words a region file may rename (`[roles.labels]`): the house roles, and the case
#: coordinator a case meeting designates from a partner (Casusregisseur; Gelderland-Midden's
#: "Uitvoerend coördinator", art. 1.12), with their national names.
CASE_COORDINATOR = "case_coordinator"
ROLE_WORDS: dict[str, StrOrPromise] = {
    **{role.value: role.label for role in Role},
    CASE_COORDINATOR: _("Casusregisseur"),
}


class Covenant(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=300)
    region = models.CharField(max_length=120)
    effective_from = models.DateField()
    version = models.CharField(max_length=40, help_text=_("Version of the region file loaded."))
    source_file = models.CharField(max_length=300)
    source = models.CharField(max_length=300)
    loaded_at = models.DateTimeField()
    themes_required = models.BooleanField(
        default=False, help_text=_("Triage names at least one theme when it accepts a case.")
    )
    themes_source = models.CharField(max_length=300, blank=True)
    has_information_coordinator = models.BooleanField(
        default=True,
        help_text=_(
            "False where the covenant has no information coordinator: the process coordinator "
            "does intake and enrichment alone."
        ),
    )
    role_labels = models.JSONField(
        default=dict, blank=True, help_text=_("The region's own names of house roles.")
    )
    roles_source = models.CharField(max_length=300, blank=True)
    # The region file's `[criteria]` (Bijlage 2 in the region's words and their rule); empty
    # for a region file without one, which means the national criteria (`criteria.Criteria`).
    triage_criteria = models.JSONField(default=dict, blank=True)
    municipality_view_required = models.BooleanField(
        default=False, help_text=_("Triage records the municipality's view (region file).")
    )
    municipality_view_source = models.CharField(max_length=300, blank=True)
    referrer_consultation_source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["region"]
        verbose_name = _("convenant")
        verbose_name_plural = _("convenanten")

    def __str__(self) -> str:
        return self.region

    def role_label(self, word: str) -> str:
        """The region's name for a house role or the case coordinator (`ROLE_WORDS`), as the
        region file writes it; else the national name, in the reader's language."""
        return self.role_labels.get(word) or str(ROLE_WORDS[word])

    @property
    def criteria(self) -> Criteria:
        return Criteria.from_data(self.triage_criteria)


class ConfigItem(models.Model):
    """Fields every configuration row of a covenant shares."""

    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=80)
    source = models.CharField(max_length=300)
    is_active = models.BooleanField(
        default=True, help_text=_("False once the row disappeared from the region file.")
    )

    class Meta:
        abstract = True


class House(ConfigItem):
    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="houses")
    name = models.CharField(max_length=200)
    location = models.CharField(max_length=120)
    managing_municipality = models.ForeignKey(
        "Party", on_delete=models.PROTECT, null=True, blank=True, related_name="managed_houses"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "slug"], name="house_slug_unique"),
        ]
        verbose_name = _("veiligheidshuis")
        verbose_name_plural = _("veiligheidshuizen")

    def __str__(self) -> str:
        return self.name


class PartyQuerySet(models.QuerySet["Party"]):
    def members_of(self, covenant_id: int) -> PartyQuerySet:
        """The parties that are current members of the covenant (`Membership.objects.current`)."""
        return self.filter(Exists(_current_memberships().filter(covenant_id=covenant_id)))

    def members_of_houses(self, houses: QuerySet[House] | Collection[int]) -> PartyQuerySet:
        """The parties that are current members of the covenant of any of these houses (rows
        or ids)."""
        return self.filter(Exists(_current_memberships().filter(covenant__houses__in=houses)))


def _current_memberships() -> MembershipQuerySet:
    """The current memberships of the party an outer `Party` query is at."""
    return Membership.objects.current().filter(party=OuterRef("pk"))


class Party(models.Model):
    """An organisation that signed one or more covenants, matched across region files by slug.

    Kind and chain are the organisation's own and must agree between the covenants it signed;
    each covenant's wording of its name is kept on the membership.
    """

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PartyKind.choices)
    chain = models.CharField(max_length=20, choices=Chain.choices)

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        """The memberships in force: the party has neither left nor been excluded. The one
        place that says what "a current member" is; a party's users have roles only while
        it holds (`accounts.policies.roles_in_force`)."""
        return self.filter(status=MembershipStatus.MEMBER)


class Membership(models.Model):
    """A party's membership of one covenant (Bijlage 1 toetreding; art. 24 opzegging)."""

    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="memberships")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="memberships")
    name = models.CharField(
        max_length=200, help_text=_("The party's name as this covenant writes it.")
    )
    houses = models.ManyToManyField(House, related_name="memberships")
    is_primary = models.BooleanField(help_text=_("Sleutelpartner (primary) or flexibele schil."))
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.MEMBER
    )
    joined_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["party__name"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "party"], name="membership_unique"),
            models.CheckConstraint(
                condition=(Q(status=MembershipStatus.MEMBER) & Q(ended_on__isnull=True))
                | (~Q(status=MembershipStatus.MEMBER) & Q(ended_on__isnull=False)),
                name="membership_ended_iff_not_member",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("joined_on")),
                name="membership_ends_after_joining",
            ),
        ]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self) -> str:
        return f"{self.party} in {self.covenant}"

    @property
    def is_current(self) -> bool:
        return self.status == MembershipStatus.MEMBER

    def end(self, *, status: MembershipStatus, on: datetime.date) -> None:
        """Mark the membership as ended; the party's users lose access from then on."""
        self.status = status
        self.ended_on = max(on, self.joined_on)


class Body(ConfigItem):
    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField(max_length=20, choices=BodyKind.choices)
    label = models.CharField(max_length=120, help_text=_("The region's own name for the body."))
    houses = models.ManyToManyField(House, related_name="bodies")
    cadence = models.CharField(max_length=200, blank=True)
    cadence_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    members = models.ManyToManyField(Party, related_name="bodies", blank=True)
    tracks: models.ManyToManyField[Track, models.Model] = models.ManyToManyField(
        "Track",
        related_name="bodies",
        blank=True,
        help_text=_(
            "The tracks whose cases a triage or case meeting weighs or discusses; empty for "
            "steering and tactical bodies."
        ),
    )
    escalation = models.CharField(max_length=30, choices=EscalationTarget.choices, blank=True)
    escalation_label = models.CharField(max_length=200, blank=True)
    escalation_source = models.CharField(max_length=300, blank=True)
    chair = models.CharField(
        max_length=40, blank=True, help_text=_("The role that chairs a session of the body.")
    )
    member_roles = models.JSONField(
        default=list, blank=True, help_text=_("Roles that sit in it besides the member parties.")
    )
    seats = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "The seats as the covenant gives them: label, count, parties (slugs), "
            "is_advisory, source."
        ),
    )
    organisers = models.JSONField(
        default=list,
        blank=True,
        help_text=_(
            "Who organises a session: house roles, and case_coordinator for the cases one "
            "coordinates; empty: the process coordinator and the meeting secretary."
        ),
    )

    class Meta:
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "slug"], name="body_slug_unique"),
            models.CheckConstraint(
                condition=~Q(kind=BodyKind.STEERING) | ~Q(escalation=""),
                name="steering_body_has_escalation",
            ),
        ]
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")

    def __str__(self) -> str:
        return self.label

    def sitting(self) -> list[str]:
        """Who chairs its sessions and which roles sit in them, in the region's words
        (Gelderland-Midden art. 8.1: the ketenmanager chairs the weegploeg)."""
        words = []
        if self.chair:
            words.append(str(_("%(role)s (voorzitter)") % {"role": self._word(self.chair)}))
        words.extend(self._word(role) for role in self.member_roles if role != self.chair)
        return words

    def _word(self, role: str) -> str:
        if role in ROLE_WORDS:
            return self.covenant.role_label(role)
        return str(role)

    @property
    def organiser_roles(self) -> tuple[str, ...]:
        """The house roles that organise a session of the body (`organisers`, by default the
        process coordinator and the meeting secretary: IJsselland art. 15.1-15.2)."""
        named = self.organisers or SESSION_PERFORMERS
        return tuple(p for p in named if p not in CASE_POSITIONS)

    @property
    def is_organised_by_case_coordinator(self) -> bool:
        """Whether a case's casusregisseur organises sessions of the body for the cases he
        coordinates (IJsselland art. 13.2)."""
        return "case_coordinator" in (self.organisers or ())


class Track(ConfigItem):
    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="tracks")
    kind = models.CharField(max_length=30, choices=TrackKind.choices)
    name = models.CharField(max_length=200)
    protocol = models.CharField(
        max_length=300, help_text=_("The privacy protocol that governs this track.")
    )
    # Retention (PRODUCT.md section 4; docs/privacy.md): the privacy protocol's periods, in days.
    # Empty when the region file sets none: then nothing of the track is purged.
    retention_declined_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Days after triage declined a referral until it goes.")
    )
    retention_closure_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Days after closure until the first clean-up.")
    )
    retention_monitoring_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Days after closure until the dossier goes.")
    )
    retention_open_max_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Maximum age of an open case, from its referral.")
    )
    retention_open_warn_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("Days before the maximum age that the process coordinator is warned."),
    )
    retention_is_example = models.BooleanField(
        default=False, help_text=_("The periods are shipped examples, not the region's own.")
    )
    retention_source = models.CharField(max_length=300, blank=True)
    process = models.JSONField(
        default=dict,
        blank=True,
        help_text=_(
            "The work process from the region file (covenants.process.ProcessSpec); empty: "
            "the national general route."
        ),
    )

    triage_in_session = models.BooleanField(
        default=False,
        help_text=_(
            "A body weighs the track's cases in its sessions, so the house's meeting "
            "secretaries prepare them (IJsselland art. 15.2); derived from `process`."
        ),
    )

    houses = models.ManyToManyField(
        House,
        related_name="tracks",
        blank=True,
        help_text=_("The houses that offer the track (Midden-Nederland art. 2.3b)."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "slug"], name="track_slug_unique"),
            models.CheckConstraint(
                condition=Q(
                    retention_declined_days__isnull=True,
                    retention_closure_days__isnull=True,
                    retention_monitoring_days__isnull=True,
                    retention_open_max_days__isnull=True,
                    retention_open_warn_days__isnull=True,
                )
                | Q(
                    retention_declined_days__isnull=False,
                    retention_closure_days__isnull=False,
                    retention_monitoring_days__isnull=False,
                    retention_open_max_days__isnull=False,
                    retention_open_warn_days__isnull=False,
                    retention_monitoring_days__gte=models.F("retention_closure_days"),
                    retention_open_warn_days__lt=models.F("retention_open_max_days"),
                ),
                name="track_retention_complete",
            ),
        ]
        verbose_name = _("werkproces")
        verbose_name_plural = _("werkprocessen")

    def __str__(self) -> str:
        return self.name

    @property
    def has_retention(self) -> bool:
        return self.retention_monitoring_days is not None

    @property
    def process_spec(self) -> ProcessSpec:
        """The track's work process (ADR 0018), parsed once per row."""
        cached: ProcessSpec | None = self.__dict__.get("_process_spec")
        if cached is None:
            cached = ProcessSpec.model_validate(self.process) if self.process else GENERAL
            self.__dict__["_process_spec"] = cached
        return cached

    def phase_label(self, phase: str) -> str | None:
        """The region's word for a phase on this track, or None where it names none."""
        phases = {str(name): label for name, label in self.process_spec.phases.items()}
        return phases.get(phase)


class Theme(ConfigItem):
    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "slug"], name="theme_slug_unique"),
        ]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self) -> str:
        return self.name


class DecisionEffect(models.TextChoices):
    """What a decision of a session does to the case (covenants.process.EFFECT_STEPS)."""

    NONE = "none", _("Geen stap")
    DECLINE = "decline", _("Geen casus voor het huis")
    MORE_INFORMATION = "more_information", _("Aanvullende informatie nodig")
    TO_CASE_MEETING = "to_case_meeting", _("Naar het casusoverleg")
    CLOSE = "close", _("Afsluiten")
    HANDOVER = "handover", _("Regie naar een partij")


class ExcludedSubject(ConfigItem):
    """A subject the covenant puts outside the house's process (IJsselland art. 2.3 slotzin);
    a referral on a track or theme of that slug is refused with `message`."""

    covenant = models.ForeignKey(
        Covenant, on_delete=models.PROTECT, related_name="excluded_subjects"
    )
    name = models.CharField(max_length=300)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "slug"], name="excludedsubject_slug_unique"
            ),
        ]
        verbose_name = _("uitgesloten onderwerp")
        verbose_name_plural = _("uitgesloten onderwerpen")

    def __str__(self) -> str:
        return self.name


class DecisionType(ConfigItem):
    covenant = models.ForeignKey(Covenant, on_delete=models.PROTECT, related_name="decision_types")
    label = models.CharField(max_length=120)
    effect = models.CharField(
        max_length=20, choices=DecisionEffect.choices, default=DecisionEffect.NONE
    )
    reason = models.CharField(
        max_length=20, blank=True, help_text=_("The closure reason a closing decision records.")
    )
    bodies = models.ManyToManyField(
        Body,
        related_name="decision_types",
        blank=True,
        help_text=_("The bodies whose sessions take this decision; empty: every case body."),
    )

    class Meta:
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "slug"], name="decisiontype_slug_unique"),
        ]
        verbose_name = _("besluittype")
        verbose_name_plural = _("besluittypen")

    def __str__(self) -> str:
        return self.label
