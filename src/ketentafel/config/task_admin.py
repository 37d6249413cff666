# SPDX-License-Identifier: EUPL-1.2
"""The admin's list of failed background tasks (ketentafel.core.tasks), for functional
administrators; registered from `ConfigConfig.ready`, once the admin site exists."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ketentafel.accounts.models import User
from ketentafel.accounts.policies import may_administer
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.core import http
from ketentafel.core.models import TaskFailure, TaskState
from ketentafel.core.tasks import failure_retry


class TaskFailureAdmin(admin.ModelAdmin[TaskFailure]):
    """Background tasks that failed: waiting for their next attempt, or given up (dead).

    Read-only: the rows hold ids and an error's class and message, never personal data. A dead
    task can be offered again (a fresh round of attempts), which is audited."""

    list_display = (
        "task_name",
        "state",
        "attempts",
        "error_class",
        "error_message",
        "first_failed_at",
        "last_failed_at",
        "next_attempt_at",
    )
    list_filter = ("state",)
    readonly_fields = (
        "chain",
        "task_path",
        "arguments",
        "attempts",
        "state",
        "error_class",
        "error_message",
        "first_failed_at",
        "last_failed_at",
        "next_attempt_at",
    )
    actions = ["retry_dead"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return isinstance(request.user, User) and may_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The rows are read-only; the list needs "change" to offer the action below.
        return obj is None and self.has_module_permission(request)

    @admin.display(description=_("taak"))
    def task_name(self, obj: TaskFailure) -> str:
        return obj.task_path.rsplit(".", 1)[-1]

    @admin.action(description=_("Opgegeven taken opnieuw aanbieden"))
    def retry_dead(self, request: HttpRequest, queryset: QuerySet[TaskFailure]) -> None:
        actor = http.actor(request)
        offered = 0
        for failure in queryset.filter(state=TaskState.DEAD):
            task_failure_retry(actor=actor, failure=failure)
            offered += 1
        self.message_user(
            request,
            _("%(n)d opgegeven taak/taken opnieuw aangeboden.") % {"n": offered},
            messages.SUCCESS,
        )


def task_failure_retry(*, actor: User, failure: TaskFailure) -> None:
    """Offer a dead task again, audited in the same transaction."""
    with transaction.atomic():
        failure_retry(failure)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="task",
            object_id=failure.chain,
            purpose="retry_dead_task",
        )


admin.site.register(TaskFailure, TaskFailureAdmin)
