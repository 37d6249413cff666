# SPDX-License-Identifier: EUPL-1.2
"""Reads of plans and actions, scoped to the actor: fetching and authorising in one call."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import (
    Case,
    Phase,
)
from ketentafel.cases.policies import CaseAccess, coordinated_by_q
from ketentafel.cases.selectors import (
    _roles_read,
    access_for_read,
    cases_visible_to,
    listing_record,
)
from ketentafel.core.errors import NotAllowed, NotFound
from ketentafel.core.links import link_for_each
from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion, ActionStatus


def overdue_actions_for(user: User, *, today: datetime.date | None = None) -> QuerySet[Action]:
    """Open actions past their due date that the user's party owns, in cases the user sees."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(
            owner_party_id=user.party_id,
            status=ActionStatus.OPEN,
            due_on__lt=today,
            plan__case__in=cases_visible_to(user),
            plan__case__phase=Phase.ACTIVE,
        )
        .select_related("plan", "owner_party")
        .order_by("due_on")
    )


def overdue_actions_by_party(
    user: User,
    *,
    today: datetime.date | None = None,
    roles_read: Sequence[tuple[int, str]] | None = None,
) -> QuerySet[Action]:
    """For a process coordinator: overdue actions in the cases it coordinates and sees (a
    coordinator whose role ended sees none), per party."""
    today = today or timezone.localdate()
    if roles_read is None:
        roles_read = _roles_read(user)
    coordinated = Case.objects.filter(
        coordinated_by_q(user, roles_read=roles_read, roles=[Role.PROCESS_COORDINATOR])
    )
    return (
        Action.objects.filter(
            plan__case__in=coordinated,
            status=ActionStatus.OPEN,
            due_on__lt=today,
            plan__case__phase=Phase.ACTIVE,
        )
        .select_related("owner_party", "plan")
        .order_by("owner_party__name", "due_on")
    )


@dataclass(frozen=True)
class PlanSheet:
    access: CaseAccess
    plan: ActionPlan | None
    actions: list[Action]
    versions: list[ActionPlanVersion]


def plan_for(
    user: User, case_id: UUID | str, *, action: AuditAction = AuditAction.READ, reason: str = ""
) -> PlanSheet:
    """The action plan of a case with its actions and earlier versions, audited; exports pass
    `AuditAction.EXPORT`."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        plan = ActionPlan.objects.filter(case=access.case).first()
        actions = (
            list(plan.actions.select_related("owner_party", "owner").order_by("due_on", "pk"))
            if plan
            else []
        )
        versions = (
            list(plan.versions.select_related("changed_by").order_by("-number")) if plan else []
        )
        case_audit(
            access,
            action,
            object_type="actionplan",
            object_id=plan.pk if plan else "",
            object_ids=[str(a.pk) for a in actions],
            reason=reason,
        )
    return PlanSheet(access, plan, actions, versions)


@dataclass(frozen=True)
class ActionChange:
    """One action of a plan, read by the case's process coordinator to change it."""

    access: CaseAccess
    action: Action


def action_for(user: User, action_id: UUID | str) -> Action:
    """An action of a case the user may see, with its owner party; the read is recorded.
    404 when the action or its case is not visible."""
    with transaction.atomic():
        found = Action.objects.filter(pk=action_id).values_list("plan__case_id", flat=True).first()
        if found is None:
            raise NotFound(_("Deze actie bestaat niet."))
        access = access_for_read(user, found)
        action = Action.objects.select_related("owner_party", "plan").get(pk=action_id)
        case_audit(access, AuditAction.READ, object_type="action", object_id=action.pk)
    return action


def action_for_change(user: User, action_id: UUID | str) -> ActionChange:
    """An action with its case, for the process coordinator of the case (who alone changes
    what and when, `services.action_update`); the read is recorded. 404 when the action or its
    case is not visible, 403 for anyone else who sees the case."""
    with transaction.atomic():
        case_id = Action.objects.filter(pk=action_id).values_list("plan__case_id", flat=True)
        found = case_id.first()
        if found is None:
            raise NotFound(_("Deze actie bestaat niet."))
        access = access_for_read(user, found)
        if not access.keeps_plan:
            raise NotAllowed(
                _(
                    "Alleen wie het plan van aanpak bijhoudt (de procesregisseur, of de "
                    "casusregisseur waar het werkproces dat zegt) wijzigt acties; de "
                    "eigenaar-partij meldt de status."
                )
            )
        action = Action.objects.select_related("owner_party").get(pk=action_id)
        case_audit(access, AuditAction.READ, object_type="action", object_id=action.pk)
    return ActionChange(access, action)


@dataclass(frozen=True)
class ActionRow:
    """An action as the party's action list shows it, its texts and links ready (a list of
    100 rows, each with its own status form)."""

    pk: UUID
    what: str
    due_on: str  # dd-mm-yyyy
    is_overdue: bool
    status: str
    status_url: str
    plan_url: str
    version: int


def actions_of_party_for(user: User, *, limit: int = 100) -> list[ActionRow]:
    """Open actions the user's party owns in running cases it may see, oldest due first.

    Only the fields the list shows are read (what, due date, status, the case of the plan),
    with `is_overdue` against today in the user's time zone; the id breaks ties of the due
    date, so the same hundred are shown, and named in the audit event, on every visit."""
    actions = list(
        Action.objects.filter(
            owner_party_id=user.party_id or 0,
            status=ActionStatus.OPEN,
            plan__case__in=cases_visible_to(user),
            plan__case__phase=Phase.ACTIVE,
        )
        .annotate(
            is_overdue=ExpressionWrapper(
                Q(due_on__lt=timezone.localdate()), output_field=BooleanField()
            )
        )
        .order_by("due_on", "pk")
        .values_list("pk", "what", "due_on", "is_overdue", "status", "version", "plan__case_id")[
            :limit
        ]
    )
    listing_record(
        user,
        object_type="action",
        object_ids=[action[0] for action in actions],
        case_ids=[action[-1] for action in actions],
        purpose="own_actions",
    )
    status_url = link_for_each("plans:action-status")
    plan_url = link_for_each("plans:plan")
    return [
        ActionRow(
            pk=pk,
            what=what,
            due_on=due_on.strftime("%d-%m-%Y"),
            is_overdue=is_overdue,
            status=status,
            status_url=status_url(pk),
            plan_url=plan_url(case_id),
            version=version,
        )
        for pk, what, due_on, is_overdue, status, version, case_id in actions
    ]
