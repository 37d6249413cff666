# SPDX-License-Identifier: EUPL-1.2
"""Reads of nazorg ex-gedetineerden, scoped to the actor through the case's access rule."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.aftercare.models import (
    BasicCondition,
    BasicConditionStatus,
    DetentionNotification,
    Light,
)
from ketentafel.audit.models import Action as AuditAction
from ketentafel.cases.audit import case_audit
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.selectors import access_for_read
from ketentafel.core.errors import NotFound
from ketentafel.covenants.models import TrackKind


@dataclass(frozen=True)
class ConditionLight:
    """The current light of one basic condition: its latest row, or unknown without one."""

    condition: BasicCondition
    status: Light
    note: str
    set_by: User | None
    set_at: datetime.datetime | None


@dataclass(frozen=True)
class Aftercare:
    """What a nazorg case holds beside the case: the notification, the five current lights
    in the order of `BasicCondition`, and every setting, newest first."""

    access: CaseAccess
    notification: DetentionNotification | None
    lights: list[ConditionLight]
    history: list[BasicConditionStatus]

    @property
    def may_set(self) -> bool:
        """Whether the reader may set a light now (`services.basic_condition_set`)."""
        return self.access.is_assigned_coordinator and self.access.case.is_open


def aftercare_of(access: CaseAccess) -> Aftercare | None:
    """The nazorg facts of a case the caller has read through an authorising selector (and
    recorded); None for a case of another track. Two queries."""
    case = access.case
    if case.track.kind != TrackKind.AFTERCARE:
        return None
    notification = (
        DetentionNotification.objects.filter(case=case)
        .select_related("municipality", "registered_by")
        .first()
    )
    history = list(
        BasicConditionStatus.objects.filter(case=case)
        .select_related("set_by")
        .order_by("-set_at", "-id")
    )
    latest: dict[str, BasicConditionStatus] = {}
    for row in history:
        latest.setdefault(row.condition, row)
    lights = []
    for condition in BasicCondition:
        current = latest.get(condition)
        lights.append(
            ConditionLight(
                condition=condition,
                status=Light(current.status) if current else Light.UNKNOWN,
                note=current.note if current else "",
                set_by=current.set_by if current else None,
                set_at=current.set_at if current else None,
            )
        )
    return Aftercare(access, notification, lights, history)


def aftercare_for(user: User, case_id: UUID | str) -> Aftercare:
    """The nazorg facts of a case `user` may see, recording the read; 404 when the case is
    missing, not visible, or not a nazorg case."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        found = aftercare_of(access)
        if found is None:
            raise NotFound(_("Deze casus is geen casus van nazorg ex-gedetineerden."))
        case_audit(
            access,
            AuditAction.READ,
            object_type="basiccondition",
            object_id=access.case.pk,
            object_ids=[str(row.pk) for row in found.history],
        )
    return found
