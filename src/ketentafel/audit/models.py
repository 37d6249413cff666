# SPDX-License-Identifier: EUPL-1.2
"""Audit events: one row per access to personal data, appended and never changed.

Events hold ids only: the person is the pseudonymous id of a Person row, never a name, so an
event says nothing about anyone once the case is purged (NEN 7513; PRODUCT.md section 4).

Each event carries its place in one hash chain (`seq`, `prev_hash`, `hash`); `AuditHead` is
the chain's current end, locked by every writer so concurrent transactions cannot fork it, and
`AuditCheckpoint` rows are signed statements "the chain up to seq N ends in hash H". The
tables are append-only in the database too (migration 0002, `audit.protection`).
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
    PURGE = "purge", _("vernietigen")
    LOGIN = "login", _("inloggen")
    LOGIN_FAILED = "login_failed", _("inloggen mislukt")
    LOGOUT = "logout", _("uitloggen")
    PERMISSION_DENIED = "permission_denied", _("geweigerd")


class Result(models.TextChoices):
    ALLOWED = "allowed", _("toegestaan")
    DENIED = "denied", _("geweigerd")


class AuditEvent(models.Model):
    """Who did what to whose data, when, where from and why; part of the hash chain."""

    seq = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    occurred_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_party_id = models.BigIntegerField(null=True, db_index=True)
    role = models.CharField(max_length=40, blank=True)
    on_behalf_of_party_id = models.BigIntegerField(null=True)
    house_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    object_ids = models.JSONField(default=list, blank=True)
    person_ids = models.JSONField(default=list, blank=True)
    data_party_ids = models.JSONField(default=list, blank=True)
    case_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=60, blank=True)
    result = models.CharField(max_length=10, choices=Result.choices, default=Result.ALLOWED)
    reason = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")

    def __str__(self) -> str:
        return f"#{self.seq} {self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}"


class EventPerson(models.Model):
    """Index: the persons an event is about, so "who saw this person" is one indexed query.

    Derived from `AuditEvent.person_ids` (which the hash covers); `verify` checks they agree.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.DO_NOTHING, related_name="+")
    person_id = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person_id"], name="event_person_unique")
        ]


class EventDataParty(models.Model):
    """Index: the parties whose supplied data an event returned (their privacy officer's view).

    Derived from `AuditEvent.data_party_ids`; `verify` checks they agree.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.DO_NOTHING, related_name="+")
    party_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "party_id"], name="event_party_unique")
        ]


class AuditHead(models.Model):
    """The end of the chain: one row, locked and moved forward by every append.

    Locking it serialises writers (no fork); comparing it with the last event shows a
    truncated tail even before the next checkpoint.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]


class AuditCheckpoint(models.Model):
    """A signed statement that the chain up to `seq` ends in `head_hash` (Ed25519)."""

    seq = models.BigIntegerField(unique=True)
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("auditcontrolepunt")
        verbose_name_plural = _("auditcontrolepunten")

    def __str__(self) -> str:
        return f"checkpoint #{self.seq}"


class AuditRestore(models.Model):
    """A signed statement that the database was restored to an earlier point (ADR 0013).

    After a restore the log ends at `restored_seq` (a checkpoint is signed there), events up
    to `resumes_after_seq` had been written and exported but are lost with the restore, and
    new events continue at `resumes_after_seq + 1` in restore epoch `epoch`, so no sequence
    number that left the system is used twice. `verify` reports the gap as a restore, not as
    tampering, while the signature holds.
    """

    epoch = models.PositiveIntegerField(unique=True)
    restored_seq = models.BigIntegerField()
    restored_hash = models.CharField(max_length=64)
    resumes_after_seq = models.BigIntegerField()
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)

    class Meta:
        ordering = ["epoch"]
        verbose_name = _("auditherstelpunt")
        verbose_name_plural = _("auditherstelpunten")

    def __str__(self) -> str:
        return f"restore epoch {self.epoch} at seq {self.restored_seq}"
