# SPDX-License-Identifier: EUPL-1.2
"""Users, the party they belong to, and the roles they hold in houses.

The party and house are referred to by model label, not imported: accounts sits below
covenants in the dependency order (docs/adr/0002-accounts-refer-to-covenants-by-label.md).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


#: The roles that work on cases (`cases.policies` builds the access rule on them). A user
#: holding FUNCTIONAL_ADMINISTRATOR holds none of these (separation of duties, BIO 5.3): the
#: rule is enforced by `accounts.services` and by database triggers (`accounts.separation`),
#: which take this set when their migration runs, so changing it needs a migration that
#: installs them again.
CASE_ROLES: tuple[Role, ...] = (
    Role.MANAGER,
    Role.LOCATION_MANAGER,
    Role.PROCESS_COORDINATOR,
    Role.INFORMATION_COORDINATOR,
    Role.MEETING_SECRETARY,
    Role.PARTNER_PROFESSIONAL,
)
#: The roles whose holders confirm a role granted in their house (four-eyes, BIO 5.18).
CONFIRMING_ROLES: tuple[Role, ...] = (Role.LOCATION_MANAGER, Role.MANAGER)


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


class RoleStatus(models.TextChoices):
    PENDING = "pending", _("wacht op bevestiging")
    CONFIRMED = "confirmed", _("bevestigd")
    EXPIRED = "expired", _("verlopen")
    REJECTED = "rejected", _("afgewezen")
    REVOKED = "revoked", _("ingetrokken")


def in_force_q(prefix: str = "", *, at: datetime.datetime | None = None) -> Q:
    """A filter on HouseRole (or, with `prefix` such as "house_roles__", across a relation)
    that keeps the roles in force at `at` (now): confirmed, not revoked, not expired."""
    moment = at or timezone.now()
    return (
        Q(**{f"{prefix}confirmed_at__isnull": False})
        & Q(**{f"{prefix}revoked_at__isnull": True})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": moment}))
    )


class HouseRole(models.Model):
    """That a user works for a house in a role (a user may hold several).

    A role counts only once confirmed (`confirmed_at`), until it is revoked or `valid_until`
    passes. A role granted by someone (`granted_by`) waits for a second person of the house to
    confirm it; a role provisioned by the operator (no `granted_by`) is confirmed when created.
    Rows are never deleted by the application: a revoked or rejected role stays as history.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="house_roles")
    house = models.ForeignKey("covenants.House", on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who granted the role; empty when the operator provisioned it."),
    )
    granted_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The second person who confirmed the grant; empty when provisioned."),
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty while the grant awaits confirmation.")
    )
    valid_until = models.DateTimeField(
        null=True, blank=True, help_text=_("The role ends at this moment; empty: no end.")
    )
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who revoked the role or rejected the grant; empty for the operator."),
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the role was revoked or its grant rejected.")
    )

    class Meta:
        ordering = ["house", "role", "granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "house", "role"],
                condition=Q(revoked_at__isnull=True),
                name="house_role_unique_unrevoked",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True, confirmed_by__isnull=True)
                | Q(confirmed_at__isnull=False),
                name="house_role_confirmed_by_has_moment",
            ),
            models.CheckConstraint(
                condition=~Q(confirmed_by=models.F("granted_by"))
                & ~Q(confirmed_by=models.F("user"))
                & ~Q(granted_by=models.F("user")),
                name="house_role_four_eyes",
            ),
        ]
        verbose_name = _("rol in huis")
        verbose_name_plural = _("rollen in huizen")

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.house_id}"

    def status(self, at: datetime.datetime | None = None) -> RoleStatus:
        if self.revoked_at is not None:
            return RoleStatus.REVOKED if self.confirmed_at is not None else RoleStatus.REJECTED
        if self.confirmed_at is None:
            return RoleStatus.PENDING
        if self.valid_until is not None and self.valid_until <= (at or timezone.now()):
            return RoleStatus.EXPIRED
        return RoleStatus.CONFIRMED
