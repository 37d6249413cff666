# SPDX-License-Identifier: EUPL-1.2
"""What the task queue keeps beside django-tasks' own table: failed tasks and the daily jobs.

`TaskFailure` is one row per background job that failed at least once, across all its
attempts (its `chain`): how often it was tried, the last error's class and a message without
personal data, and whether it waits for its next attempt or was given up ("dead"). The
functional administrator sees these rows in /beheer/ and can offer a dead one again.
`ScheduledRun` is one row per daily job and date: the unique pair makes the scheduler enqueue
each job once per day however many workers run it (ketentafel.config.schedule).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


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
