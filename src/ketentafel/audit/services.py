# SPDX-License-Identifier: EUPL-1.2
"""The one call every service makes when it touches personal data.

`audit_record` must run inside the caller's transaction, so the event and the change it
describes are stored together or not at all. It takes the actor duck-typed (anything with `pk`
and `party_id`) so this app imports no domain app.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db import connection
from django.utils import timezone

from ketentafel.audit.models import Action, AuditEvent, Result
from ketentafel.core.context import current_origin


class Actor(Protocol):
    pk: Any
    party_id: int | None


class AuditOutsideTransactionError(RuntimeError):
    """Raised when an event would be written outside the transaction of its change."""


def audit_record(
    *,
    actor: Actor | None,
    action: Action,
    object_type: str,
    object_id: object = "",
    object_ids: Iterable[object] = (),
    person_ids: Iterable[object] = (),
    case_id: object = "",
    role: str = "",
    purpose: str = "",
    result: Result = Result.ALLOWED,
    reason: str = "",
    on_behalf_of_party_id: int | None = None,
) -> AuditEvent:
    """Append one audit event describing an access to personal data."""
    if result == Result.ALLOWED and not connection.in_atomic_block:
        raise AuditOutsideTransactionError(
            "audit_record must be called inside the transaction of the change it records"
        )
    origin = current_origin()
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_party_id=getattr(actor, "party_id", None),
        role=role,
        on_behalf_of_party_id=on_behalf_of_party_id or getattr(actor, "party_id", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id else "",
        object_ids=[str(i) for i in object_ids],
        person_ids=sorted({str(p) for p in person_ids}),
        case_id=str(case_id) if case_id else "",
        purpose=purpose,
        result=result,
        reason=reason,
        request_id=origin.request_id,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
    )
