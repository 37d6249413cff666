# SPDX-License-Identifier: EUPL-1.2
"""Audit events: one row per access to personal data, appended and never changed.

Events hold ids only: the person is the pseudonymous id of a Person row, never a name, so an
event says nothing about anyone once the case is purged.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("aanmaken")
    READ = "read", _("inzien")
    SEARCH = "search", _("zoeken")
    UPDATE = "update", _("wijzigen")
    DELETE = "delete", _("verwijderen")
    EXPORT = "export", _("exporteren")
    PRINT = "print", _("afdrukken")
    TRANSITION = "transition", _("fase wijzigen")
    DISCLOSE = "disclose", _("verstrekken aan derde")
    PERMISSION_DENIED = "permission_denied", _("geweigerd")


class Result(models.TextChoices):
    ALLOWED = "allowed", _("toegestaan")
    DENIED = "denied", _("geweigerd")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_party_id = models.BigIntegerField(null=True)
    role = models.CharField(max_length=40, blank=True)
    on_behalf_of_party_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    object_ids = models.JSONField(default=list, blank=True)
    person_ids = models.JSONField(default=list, blank=True)
    case_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=60, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, default=Result.ALLOWED)
    reason = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}"
