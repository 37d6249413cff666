# SPDX-License-Identifier: EUPL-1.2
"""Users, the party they belong to, and the roles they hold in houses.

The party and house are referred to by model label, not imported: accounts sits below
covenants in the dependency order (docs/adr/0002-accounts-refer-to-covenants-by-label.md).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "manager", _("Ketenmanager")
    LOCATION_MANAGER = "location_manager", _("Locatiemanager")
    PROCESS_COORDINATOR = "process_coordinator", _("Procesregisseur")
    INFORMATION_COORDINATOR = "information_coordinator", _("Informatiecoördinator")
    MEETING_SECRETARY = "meeting_secretary", _("Administratief medewerker")
    PARTNER_PROFESSIONAL = "partner_professional", _("Professional ketenpartner")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    STEERING_MEMBER = "steering_member", _("Lid stuurgroep")
    FUNCTIONAL_ADMINISTRATOR = "functional_administrator", _("Functioneel beheerder")


class User(AbstractUser):
    """A person who logs in. Belongs to exactly one party (superusers excepted)."""

    party = models.ForeignKey(
        "covenants.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The organisation this user works for; required for everyone but superusers."),
    )
    is_demo = models.BooleanField(
        default=False,
        help_text=_("Created by the demo command; only meaningful in development settings."),
    )

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party__isnull=False) | models.Q(is_superuser=True),
                name="user_has_party_unless_superuser",
            ),
        ]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")


class HouseRole(models.Model):
    """That a user works for a house in a role (a user may hold several)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="house_roles")
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["house", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "house", "role"], name="house_role_unique"),
        ]
        verbose_name = _("rol in huis")
        verbose_name_plural = _("rollen in huizen")

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.house_id}"
