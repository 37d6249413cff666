# SPDX-License-Identifier: EUPL-1.2
"""Writes of advice questions. Each runs in one transaction with its audit event."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import acting_party_id
from ketentafel.advice.models import AdviceRequest
from ketentafel.advice.selectors import advice_requests_visible_to
from ketentafel.advice.workflow import ADVICE_REQUEST
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.core.errors import InvalidInput, NotAllowed, NotFound
from ketentafel.covenants.models import (
    House,
)
from ketentafel.covenants.policies import member_party, require_house_role

# Advice -----------------------------------------------------------------------------------


def advice_record(
    *, actor: User, house_id: int, question: str, requesting_party_id: int | None = None
) -> AdviceRequest:
    """Record a consultation with minimal data (Gelderland-Midden Bijlage 3, adviesfase).

    The requesting party is the actor's own. A process coordinator of the house who takes a
    partner's call records it for that party (`requesting_party_id`, a current party of the
    house's covenant), so the partner can read the advice given; anyone else is refused.
    """
    held = require_house_role(actor, house_id)
    own = acting_party_id(actor)
    party_id = own if requesting_party_id is None else requesting_party_id
    if party_id != own:
        if Role.PROCESS_COORDINATOR not in held:
            raise NotAllowed(
                _(
                    "Alleen een procesregisseur van dit huis legt een adviesvraag vast namens een "
                    "andere partij."
                ),
                field="requesting_party",
            )
        member_party(House.objects.get(pk=house_id), party_id, field="requesting_party")
    if not question.strip():
        raise InvalidInput(_("Beschrijf de adviesvraag."), field="question")
    with transaction.atomic():
        advice = AdviceRequest.objects.create(
            house_id=house_id,
            requesting_party_id=party_id,
            recorded_by=actor,
            question=question,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="advicerequest",
            object_id=advice.pk,
            house_id=house_id,
            role=Role.PROCESS_COORDINATOR if party_id != own else "",
            purpose="advice",
        )
    return advice


def advice_conclude(*, actor: User, advice_id: UUID, advice: str) -> AdviceRequest:
    """Conclude an advice request as handled locally, with the advice given. One the actor
    may not read is missing to it; the asking party reads but does not conclude."""
    with transaction.atomic():
        request = advice_requests_visible_to(actor).select_for_update().filter(pk=advice_id).first()
        if request is None:
            raise NotFound(_("Deze adviesvraag bestaat niet."))
        require_house_role(actor, request.house_id, Role.PROCESS_COORDINATOR)
        ADVICE_REQUEST.check(request, "conclude")
        if not advice.strip():
            raise InvalidInput(_("Vermeld het gegeven advies."), field="advice")
        ADVICE_REQUEST.take(request, "conclude")
        request.advice = advice
        request.concluded_at = timezone.now()
        request.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="advicerequest",
            object_id=request.pk,
            house_id=request.house_id,
            role=Role.PROCESS_COORDINATOR,
            purpose="advice",
        )
    return request
