# SPDX-License-Identifier: EUPL-1.2
"""Writes of action plans: every change stores the earlier version. Each runs in one
transaction with its audit event."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import (
    CaseParty,
    Phase,
)
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.selectors import access_for_update
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from ketentafel.core.versions import StaleVersion, version_advance
from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion, ActionStatus

# Action plan ------------------------------------------------------------------------------


def _plan_snapshot(plan: ActionPlan) -> list[dict[str, Any]]:
    return [
        {
            "id": str(a.pk),
            "owner_party_id": a.owner_party_id,
            "owner_id": a.owner_id,
            "what": a.what,
            "due_on": a.due_on.isoformat(),
            "status": a.status,
        }
        for a in plan.actions.order_by("due_on", "pk")
    ]


def _plan_access(actor: User, case_id: UUID) -> tuple[CaseAccess, ActionPlan | None]:
    access = access_for_update(actor, case_id)
    if not access.case.track.process_spec.plan_keepers:
        # A track whose process keeps no plan (Gelderland-Midden Bijlage 3, Proces nazorg: "er
        # worden geen plannen van aanpak opgesteld").
        raise InvalidTransition(
            _("Het werkproces '%(track)s' kent geen plan van aanpak.")
            % {"track": access.case.track.name}
        )
    if not access.keeps_plan:
        raise NotAllowed(
            _(
                "Alleen wie het plan van aanpak bijhoudt (de procesregisseur, of de "
                "casusregisseur waar het werkproces dat zegt) legt het vast."
            )
        )
    if access.case.phase not in (Phase.ACCEPTED, Phase.ACTIVE):
        raise InvalidTransition(
            _("Een plan van aanpak hoort bij een geaccepteerde of lopende casus.")
        )
    plan = ActionPlan.objects.select_for_update().filter(case=access.case).first()
    return access, plan


def _new_version(
    plan: ActionPlan, actor: User, change: str, *, expected: int | None = None
) -> None:
    """Refuse a change made from another version than the stored one, keep the plan as it was
    before this change, then count up (`core.versions`)."""
    number = plan.version
    version_advance(plan, expected=expected)
    ActionPlanVersion.objects.create(
        plan=plan,
        number=number,
        goal=plan.goal,
        actions=_plan_snapshot(plan),
        changed_by=actor,
        change=change,
    )


def action_plan_set_goal(
    *, actor: User, case_id: UUID, goal: str, expected_version: int | None = None
) -> ActionPlan:
    """Set the plan's goal, making the plan when there is none. `expected_version` is the
    plan's version the change was made from, 0 when it was made while there was no plan:
    a plan made meanwhile by someone else is not overwritten."""
    if not goal.strip():
        raise InvalidInput(_("Beschrijf het doel van het plan van aanpak."), field="goal")
    with transaction.atomic():
        access, plan = _plan_access(actor, case_id)
        if plan is None:
            if expected_version not in (None, 0):
                raise StaleVersion(0)
            plan = ActionPlan.objects.create(case=access.case, goal=goal)
        else:
            _new_version(plan, actor, gettext_noop("doel gewijzigd"), expected=expected_version)
            plan.goal = goal
            plan.save(update_fields=["goal"])
        case_audit(access, AuditAction.UPDATE, object_type="actionplan", object_id=plan.pk)
    return plan


def _check_owner(access: CaseAccess, owner_party_id: int, owner_id: int | None) -> None:
    if not CaseParty.objects.filter(case=access.case, party_id=owner_party_id).exists():
        raise InvalidInput(
            _("De eigenaar is een partij die deelneemt aan de casus."), field="owner_party"
        )
    if (
        owner_id is not None
        and not User.objects.filter(pk=owner_id, party_id=owner_party_id, is_active=True).exists()
    ):
        raise InvalidInput(_("Deze persoon werkt niet bij de eigenaar-partij."), field="owner")


def action_add(
    *,
    actor: User,
    case_id: UUID,
    owner_party_id: int,
    owner_id: int | None,
    what: str,
    due_on: datetime.date,
) -> Action:
    """Add an action (who, what, when) to the plan; the previous plan is kept as a version."""
    if not what.strip():
        raise InvalidInput(_("Beschrijf de actie."), field="what")
    if due_on < timezone.localdate():
        raise InvalidInput(_("De einddatum ligt in het verleden."), field="due_on")
    with transaction.atomic():
        access, plan = _plan_access(actor, case_id)
        if plan is None:
            raise InvalidTransition(_("Leg eerst het doel van het plan van aanpak vast."))
        _check_owner(access, owner_party_id, owner_id)
        _new_version(plan, actor, gettext_noop("actie toegevoegd"))
        action = Action.objects.create(
            plan=plan, owner_party_id=owner_party_id, owner_id=owner_id, what=what, due_on=due_on
        )
        case_audit(access, AuditAction.CREATE, object_type="action", object_id=action.pk)
    return action


def action_update(
    *,
    actor: User,
    action_id: UUID,
    status: ActionStatus | None = None,
    due_on: datetime.date | None = None,
    what: str | None = None,
    expected_version: int | None = None,
) -> Action:
    """Change an action; the owner party may report its status, the process coordinator may
    change anything. The plan before the change is kept as a version; a change that changes
    nothing leaves the plan as it is.

    What and when can be corrected while the plan is drafted (accepted case) and while it runs;
    a status is reported only once the case is active, after the meeting agreed the plan.

    A change made from another version of the action than the stored one is refused
    (`expected_version`, `core.versions`), also one that would change nothing."""
    with transaction.atomic():
        action = Action.objects.select_related("plan").filter(pk=action_id).first()
        if action is None:
            raise NotFound(_("Deze actie bestaat niet."))
        access = access_for_update(actor, action.plan.case_id)
        if expected_version is not None and expected_version != action.version:
            raise StaleVersion(action.version)
        is_coordinator = access.keeps_plan
        if not is_coordinator and not (
            actor.party_id == action.owner_party_id and due_on is None and what is None
        ):
            raise NotAllowed(
                _(
                    "Alleen wie het plan van aanpak bijhoudt (de procesregisseur, of de "
                    "casusregisseur waar het werkproces dat zegt) wijzigt acties; de "
                    "eigenaar-partij meldt de status."
                )
            )
        status_changes = status is not None and status != action.status
        if access.case.phase != Phase.ACTIVE and (
            status_changes or access.case.phase != Phase.ACCEPTED
        ):
            raise InvalidTransition(
                _(
                    "De status van een actie wordt gemeld bij een lopende casus; wat en wanneer "
                    "wijzigen kan ook zolang het plan wordt opgesteld."
                )
            )
        if what is not None and not what.strip():
            raise InvalidInput(_("Beschrijf de actie."), field="what")
        if due_on is not None and due_on != action.due_on and due_on < timezone.localdate():
            raise InvalidInput(_("De einddatum ligt in het verleden."), field="due_on")
        changes = {
            name: value
            for name, value in (("status", status), ("due_on", due_on), ("what", what))
            if value is not None and value != getattr(action, name)
        }
        if not changes:
            return action
        version_advance(action, expected=expected_version)
        plan = ActionPlan.objects.select_for_update().get(pk=action.plan_id)
        _new_version(plan, actor, gettext_noop("actie gewijzigd"))
        for name, value in changes.items():
            setattr(action, name, value)
        action.save(update_fields=list(changes))
        case_audit(access, AuditAction.UPDATE, object_type="action", object_id=action.pk)
    return action
