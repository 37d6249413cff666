# SPDX-License-Identifier: EUPL-1.2
"""The plan of action of a case (art. 9.4b), its actions and its earlier versions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketentafel.cases.models import Case
from ketentafel.core.versions import version_field


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Afgerond")
    CANCELLED = "cancelled", _("Vervallen")


class ActionPlan(models.Model):
    """The plan of action of a case (art. 9.4b); every change stores a new version."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="action_plan")
    goal = models.TextField(max_length=4000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        # Case to plan id without reading the table: lets PostgreSQL join a coordinator's few
        # hundred cases to their actions by index instead of scanning every plan. The reverse
        # (plan id to case) does the same for a party's own actions, which otherwise hash-join
        # all 80 000 plans at full scale (docs/performance.md, pages).
        indexes = [
            models.Index(fields=["case"], include=["id"], name="actionplan_case_plan"),
            models.Index(fields=["id"], include=["case"], name="actionplan_plan_case"),
        ]


class Action(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    owner_party = models.ForeignKey("covenants.Party", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.TextField(max_length=2000)
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    version = version_field()

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["owner_party", "status", "due_on"], name="action_overdue"),
            # A plan's open actions by due date: the overdue actions of a coordinator's cases
            # are found per plan without visiting its done and cancelled actions.
            models.Index(
                fields=["plan", "due_on"],
                condition=Q(status=ActionStatus.OPEN),
                name="action_open_plan_due",
            ),
        ]


class ActionPlanVersion(models.Model):
    """A frozen copy of the plan as it was before a change."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    goal = models.TextField(max_length=4000)
    actions = models.JSONField(default=list)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    change = models.CharField(max_length=200)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]
