# SPDX-License-Identifier: EUPL-1.2
"""What core keeps for every app: the task queue's failed tasks and daily jobs, and what makes a
repeated write harmless.

`TaskFailure` is one row per background job that failed at least once, across all its
attempts (its `chain`): how often it was tried, the last error's class and a message without
personal data, and whether it waits for its next attempt or was given up ("dead"). The
functional administrator sees these rows in /beheer/ and can offer a dead one again.
`ScheduledRun` is one row per daily job and date: the unique pair makes the scheduler enqueue
each job once per day however many workers run it (ketentafel.config.schedule).

The API's idempotency keys (`IdempotencyKey`) and the screens' form tokens (`FormSubmission`):
each row is written in the transaction of the write it stands for, so a crash leaves both or
neither: a key never points at a write that was rolled back, and no write committed without its
key. Rows expire after `RETENTION` and are removed by `core.idempotency.idempotency_keys_purge`.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

RETENTION = datetime.timedelta(hours=24)


class IdempotencyKey(models.Model):
    """The first answer to an API write sent with an `Idempotency-Key` header.

    `fingerprint` is the SHA-256 of method, path and body: the same key with another request is
    refused, not replayed. A row exists only once the write committed; a request still in
    progress holds the row's unique index, which is how a concurrent second one learns of it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"idempotency key of user {self.user_id}"


class FormSubmission(models.Model):
    """A screen form's one-time token, consumed by the submit that saved something.

    `result_url` is where that submit sent the person; a second submit of the same form goes
    there too, with a message, instead of saving again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    result_url = models.CharField(max_length=2000)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_token_once_per_user")
        ]

    def __str__(self) -> str:
        return f"form submission of user {self.user_id}"


class TaskState(models.TextChoices):
    RETRYING = "retrying", _("wacht op een nieuwe poging")
    DEAD = "dead", _("opgegeven")
    RETRIED = "retried", _("opnieuw aangeboden")
    DONE = "done", _("alsnog gelukt")


class TaskFailure(models.Model):
    chain = models.UUIDField(_("taak"), primary_key=True, default=uuid.uuid4, editable=False)
    task_path = models.CharField(_("soort taak"), max_length=200)
    arguments = models.JSONField(
        _("argumenten"),
        default=dict,
        help_text=_("Alleen kenmerken en teksten, geen persoonsgegevens."),
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    state = models.CharField(_("toestand"), max_length=16, choices=TaskState.choices)
    error_class = models.CharField(_("laatste fout"), max_length=200)
    error_message = models.CharField(_("melding"), max_length=300, blank=True)
    first_failed_at = models.DateTimeField(_("eerste fout"))
    last_failed_at = models.DateTimeField(_("laatste fout op"))
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)

    class Meta:
        verbose_name = _("mislukte achtergrondtaak")
        verbose_name_plural = _("mislukte achtergrondtaken")
        ordering = ["-last_failed_at"]
        indexes = [models.Index(fields=["state"], name="core_taskfailure_state")]

    def __str__(self) -> str:
        return f"{self.task_path.rsplit('.', 1)[-1]} ({self.attempts})"


class ScheduledRun(models.Model):
    job = models.CharField(max_length=64)
    day = models.DateField()
    enqueued_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="core_scheduledrun_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
