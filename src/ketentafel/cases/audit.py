# SPDX-License-Identifier: EUPL-1.2
"""The audit event of a step on one case, written the same way by every room.

Whoever reads or changes something of a case is recorded with the case, its house, its
persons, the role through which the actor takes part (`CaseAccess.role_label`) and the case's
track as purpose (PRODUCT.md section 4: every access audited; NEN 7513).
"""

from __future__ import annotations

from collections.abc import Iterable

from ketentafel.audit.models import Action
from ketentafel.audit.services import audit_record
from ketentafel.cases.policies import CaseAccess


def case_audit(
    access: CaseAccess,
    action: Action,
    *,
    object_type: str,
    object_id: object = "",
    object_ids: Iterable[object] = (),
    data_party_ids: Iterable[int] = (),
    reason: str = "",
) -> None:
    """Record `access.user`'s step on `access.case`, inside the caller's transaction."""
    case = access.case
    audit_record(
        actor=access.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_ids=object_ids,
        data_party_ids=data_party_ids,
        case_id=case.pk,
        house_id=case.house_id,
        person_ids=[person.pk for person in case.persons.all()],
        role=access.role_label,
        purpose=case.track.slug,
        reason=reason,
    )
