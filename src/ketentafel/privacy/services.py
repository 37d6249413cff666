# SPDX-License-Identifier: EUPL-1.2
"""Writes of privacy operations: data-subject requests (security incidents: `incidents.services`).

Each runs in one transaction with its audit event. The purge lives in `privacy.purge`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.core.bsn import is_valid_bsn
from ketentafel.core.errors import InvalidInput, NotFound
from ketentafel.core.versions import version_advance
from ketentafel.covenants.models import Party
from ketentafel.privacy.dates import add_months
from ketentafel.privacy.models import (
    NOTIFY_RECIPIENTS,
    DataSubjectRequest,
    RecipientNotice,
    RequestKind,
    RequestStatus,
)
from ketentafel.privacy.policies import PrivacyScope, privacy_scope_for
from ketentafel.privacy.workflow import DATA_SUBJECT_REQUEST

#: AVG art. 12(3): one month, extendable by two further months.
EXTENDED_MONTHS = 3


def officer_of(actor: User, house_id: int) -> PrivacyScope:
    scope = privacy_scope_for(actor)
    if house_id not in scope.officer_house_ids:
        raise NotFound(_("Dit veiligheidshuis bestaat niet of u bent er geen privacy officer."))
    return scope


def privacy_audit(
    actor: User, action: AuditAction, obj: Any, house_id: int, reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        house_id=house_id,
        role="privacy_officer",
        purpose="privacy",
        reason=reason,
    )


# Data-subject requests ----------------------------------------------------------------------


def request_register(
    *,
    actor: User,
    house_id: int,
    kind: RequestKind,
    received_on: datetime.date,
    subject_bsn: str = "",
    subject_surname: str = "",
    subject_birth_date: datetime.date | None = None,
    description: str = "",
) -> DataSubjectRequest:
    """Register a request of a data subject (AVG art. 15-21); the month runs from receipt."""
    officer_of(actor, house_id)
    today = timezone.localdate()
    if received_on > today:
        raise InvalidInput(_("De ontvangstdatum ligt in de toekomst."), field="received_on")
    if subject_bsn and not is_valid_bsn(subject_bsn):
        raise InvalidInput(_("Dit is geen geldig BSN (elfproef)."), field="subject_bsn")
    if not subject_bsn:
        if not subject_surname.strip():
            raise InvalidInput(
                _("Vul het BSN in, of de achternaam met de geboortedatum."), field="subject_bsn"
            )
        if subject_birth_date is None:
            raise InvalidInput(
                _("Bij zoeken op naam is de geboortedatum nodig."), field="subject_birth_date"
            )
    if subject_birth_date is not None and subject_birth_date > today:
        raise InvalidInput(_("De geboortedatum ligt in de toekomst."), field="subject_birth_date")
    with transaction.atomic():
        request = DataSubjectRequest.objects.create(
            house_id=house_id,
            kind=kind,
            received_on=received_on,
            subject_bsn=subject_bsn,
            subject_surname=subject_surname.strip(),
            subject_birth_date=subject_birth_date,
            description=description,
            registered_by=actor,
        )
        privacy_audit(actor, AuditAction.CREATE, request, house_id)
    return request


def _request_for_update(
    actor: User,
    request_id: UUID,
    step: str,
    *,
    expected_version: int | None = None,
    changes: bool = True,
) -> DataSubjectRequest:
    """The request locked for `step`; one that changes it (`changes`) is refused when made
    from another version than the stored one, and counts the version up. The step is checked
    against the request's state (`privacy.workflow`), not yet taken."""
    request = DataSubjectRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("Dit verzoek bestaat niet."))
    officer_of(actor, request.house_id)
    if changes:
        version_advance(request, expected=expected_version)
    DATA_SUBJECT_REQUEST.check(request, step)
    return request


def request_extend(
    *,
    actor: User,
    request_id: UUID,
    reason: str,
    expected_version: int | None = None,
) -> DataSubjectRequest:
    """Extend the deadline to three months from receipt, with the reason the subject is told
    within the first month (art. 12(3)); once, and only while the request is open."""
    if not reason.strip():
        raise InvalidInput(_("Vermeld waarom de termijn wordt verlengd."), field="reason")
    with transaction.atomic():
        request = _request_for_update(
            actor, request_id, "extend", expected_version=expected_version
        )
        request.extended_to = add_months(request.received_on, EXTENDED_MONTHS)
        request.extension_reason = reason
        request.save(update_fields=["extended_to", "extension_reason"])
        privacy_audit(actor, AuditAction.UPDATE, request, request.house_id, reason="extend")
    return request


def request_start(
    *, actor: User, request_id: UUID, expected_version: int | None = None
) -> DataSubjectRequest:
    with transaction.atomic():
        request = _request_for_update(actor, request_id, "start", expected_version=expected_version)
        DATA_SUBJECT_REQUEST.take(request, "start")
        request.save(update_fields=["status"])
        privacy_audit(actor, AuditAction.UPDATE, request, request.house_id, reason="in_progress")
    return request


def request_close(
    *,
    actor: User,
    request_id: UUID,
    status: RequestStatus,
    outcome: str,
    recipients_to_inform: Sequence[int] = (),
    expected_version: int | None = None,
) -> DataSubjectRequest:
    """Complete or refuse a request, with what the subject was told.

    A completed rectification, erasure or restriction needs a notice to every recipient the
    caller passes in `recipients_to_inform` (art. 19); the API passes the parties that the
    access log shows received the data.
    """
    if status not in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise InvalidInput(_("Kies afgehandeld of afgewezen."), field="status")
    if not outcome.strip():
        raise InvalidInput(_("Leg vast wat de betrokkene is meegedeeld."), field="outcome")
    step = "complete" if status == RequestStatus.COMPLETED else "refuse"
    with transaction.atomic():
        request = _request_for_update(actor, request_id, step, expected_version=expected_version)
        if step == "complete" and request.kind in NOTIFY_RECIPIENTS:
            told = set(
                request.notices.filter(party__isnull=False).values_list("party_id", flat=True)
            )
            missing = sorted(set(recipients_to_inform) - told)
            if missing:
                names = ", ".join(
                    Party.objects.filter(pk__in=missing)
                    .order_by("name")
                    .values_list("name", flat=True)
                )
                raise DATA_SUBJECT_REQUEST.refuse(
                    request,
                    step,
                    _("Informeer eerst iedere ontvanger (art. 19 AVG); nog niet: %(names)s.")
                    % {"names": names},
                )
        DATA_SUBJECT_REQUEST.take(request, step)
        request.outcome = outcome
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "outcome", "closed_at"])
        privacy_audit(actor, AuditAction.UPDATE, request, request.house_id, reason=str(status))
    return request


def notice_record(
    *,
    actor: User,
    request_id: UUID,
    informed_on: datetime.date,
    party_id: int | None = None,
    third_party: str = "",
    note: str = "",
) -> RecipientNotice:
    """Record that a recipient was told of a rectification, erasure or restriction (art. 19)."""
    if (party_id is None) == (not third_party.strip()):
        raise InvalidInput(_("Noem één ontvanger: een partij of een derde."), field="party")
    if informed_on > timezone.localdate():
        raise InvalidInput(_("Deze datum ligt in de toekomst."), field="informed_on")
    with transaction.atomic():
        request = _request_for_update(actor, request_id, "inform_recipient", changes=False)
        if (
            party_id is not None
            and not Party.objects.members_of_houses([request.house_id]).filter(pk=party_id).exists()
        ):
            raise InvalidInput(_("Onbekende partij voor dit convenant."), field="party")
        notice = RecipientNotice.objects.create(
            request=request,
            party_id=party_id,
            third_party=third_party.strip(),
            informed_on=informed_on,
            note=note,
            recorded_by=actor,
        )
        privacy_audit(actor, AuditAction.CREATE, notice, request.house_id)
    return notice
