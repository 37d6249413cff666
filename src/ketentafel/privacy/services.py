# SPDX-License-Identifier: EUPL-1.2
"""Writes of privacy operations: data-subject requests and security incidents.

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
    DataCategory,
    DataSubjectRequest,
    IncidentEntry,
    IncidentEntryKind,
    RecipientNotice,
    RequestKind,
    RequestStatus,
    SecurityIncident,
)
from ketentafel.privacy.policies import PrivacyScope, privacy_scope_for
from ketentafel.privacy.workflow import DATA_SUBJECT_REQUEST, SECURITY_INCIDENT

#: AVG art. 12(3): one month, extendable by two further months.
EXTENDED_MONTHS = 3


def _officer_of(actor: User, house_id: int) -> PrivacyScope:
    scope = privacy_scope_for(actor)
    if house_id not in scope.officer_house_ids:
        raise NotFound(_("Dit veiligheidshuis bestaat niet of u bent er geen privacy officer."))
    return scope


def _audit(actor: User, action: AuditAction, obj: Any, house_id: int, reason: str = "") -> None:
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
    _officer_of(actor, house_id)
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
        _audit(actor, AuditAction.CREATE, request, house_id)
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
    _officer_of(actor, request.house_id)
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
        _audit(actor, AuditAction.UPDATE, request, request.house_id, reason="extend")
    return request


def request_start(
    *, actor: User, request_id: UUID, expected_version: int | None = None
) -> DataSubjectRequest:
    with transaction.atomic():
        request = _request_for_update(actor, request_id, "start", expected_version=expected_version)
        DATA_SUBJECT_REQUEST.take(request, "start")
        request.save(update_fields=["status"])
        _audit(actor, AuditAction.UPDATE, request, request.house_id, reason="in_progress")
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
        _audit(actor, AuditAction.UPDATE, request, request.house_id, reason=str(status))
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
        _audit(actor, AuditAction.CREATE, notice, request.house_id)
    return notice


# Security incidents -------------------------------------------------------------------------


def _check_categories(categories: Sequence[str]) -> list[str]:
    allowed = set(DataCategory.values)
    for index, value in enumerate(categories):
        if value not in allowed:
            raise InvalidInput(
                _("Onbekende categorie %(value)r.") % {"value": value},
                field=f"data_categories[{index}]",
            )
    return sorted(set(categories))


def incident_register(
    *,
    actor: User,
    house_id: int,
    discovered_at: datetime.datetime,
    description: str,
    people_affected: int,
    data_categories: Sequence[str],
) -> SecurityIncident:
    """Register a security incident; the 72 hours of art. 33 run from `discovered_at`."""
    _officer_of(actor, house_id)
    if discovered_at > timezone.now():
        raise InvalidInput(
            _("Het moment van ontdekken ligt in de toekomst."), field="discovered_at"
        )
    if not description.strip():
        raise InvalidInput(_("Beschrijf wat er is gebeurd."), field="description")
    if people_affected < 0:
        raise InvalidInput(_("Het aantal betrokkenen is niet negatief."), field="people_affected")
    categories = _check_categories(data_categories)
    with transaction.atomic():
        incident = SecurityIncident.objects.create(
            house_id=house_id,
            discovered_at=discovered_at,
            description=description,
            people_affected=people_affected,
            data_categories=categories,
            registered_by=actor,
        )
        _audit(actor, AuditAction.CREATE, incident, house_id)
    return incident


def _incident_for_update(
    actor: User,
    incident_id: UUID,
    step: str,
    *,
    expected_version: int | None = None,
    changes: bool = True,
) -> SecurityIncident:
    """The incident locked for `step`; one that changes its state (`changes`; not an entry in
    its log) is refused when made from another version than the stored one, and counts the
    version up. The step is checked against the incident's state (`privacy.workflow`)."""
    incident = SecurityIncident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(_("Dit incident bestaat niet."))
    _officer_of(actor, incident.house_id)
    if changes:
        version_advance(incident, expected=expected_version)
    SECURITY_INCIDENT.check(incident, step)
    return incident


def _entry(actor: User, incident: SecurityIncident, kind: IncidentEntryKind, text: str) -> None:
    IncidentEntry.objects.create(incident=incident, kind=kind, text=text, recorded_by=actor)


def incident_decide(
    *,
    actor: User,
    incident_id: UUID,
    must_notify_authority: bool,
    reason: str,
    expected_version: int | None = None,
) -> SecurityIncident:
    """Decide whether the Autoriteit Persoonsgegevens must be notified, and why."""
    if not reason.strip():
        raise InvalidInput(_("Motiveer het besluit."), field="reason")
    with transaction.atomic():
        incident = _incident_for_update(
            actor, incident_id, "decide", expected_version=expected_version
        )
        if incident.authority_notified_at is not None and not must_notify_authority:
            raise SECURITY_INCIDENT.refuse(incident, "decide", _("De AP is al gemeld."))
        incident.must_notify_authority = must_notify_authority
        incident.decision_reason = reason
        incident.save(update_fields=["must_notify_authority", "decision_reason"])
        verdict = "melden bij de AP" if must_notify_authority else "niet melden bij de AP"
        _entry(actor, incident, IncidentEntryKind.DECISION, f"{verdict}: {reason}")
        _audit(actor, AuditAction.UPDATE, incident, incident.house_id, reason="decide")
    return incident


def incident_notify(
    *,
    actor: User,
    incident_id: UUID,
    recipient: str,
    notified_at: datetime.datetime,
    reference: str = "",
    expected_version: int | None = None,
) -> SecurityIncident:
    """Record a notification to the authority (art. 33) or to the data subjects (art. 34)."""
    if recipient not in ("authority", "subjects"):
        raise InvalidInput(_("Kies 'authority' of 'subjects'."), field="recipient")
    if notified_at > timezone.now():
        raise InvalidInput(_("Dit moment ligt in de toekomst."), field="notified_at")
    step = "notify_authority" if recipient == "authority" else "notify_subjects"
    with transaction.atomic():
        incident = _incident_for_update(actor, incident_id, step, expected_version=expected_version)
        if notified_at < incident.discovered_at:
            raise InvalidInput(_("Melden kan niet vóór het ontdekken."), field="notified_at")
        if recipient == "authority":
            incident.must_notify_authority = True
            if not incident.decision_reason:
                incident.decision_reason = "Gemeld bij de AP."
            incident.authority_notified_at = notified_at
            incident.authority_reference = reference
            text = f"Gemeld bij de Autoriteit Persoonsgegevens {reference}".strip()
        else:
            incident.subjects_notified_at = notified_at
            text = "Betrokkenen geïnformeerd (art. 34)."
        incident.save()
        _entry(actor, incident, IncidentEntryKind.NOTIFICATION, text)
        _audit(actor, AuditAction.UPDATE, incident, incident.house_id, reason=f"notify {recipient}")
    return incident


def incident_entry_add(
    *, actor: User, incident_id: UUID, kind: IncidentEntryKind, text: str
) -> IncidentEntry:
    """Add a measure taken or a note to the incident's log."""
    if kind not in (IncidentEntryKind.MEASURE, IncidentEntryKind.NOTE):
        raise InvalidInput(_("Kies maatregel of aantekening."), field="kind")
    if not text.strip():
        raise InvalidInput(_("De tekst is leeg."), field="text")
    with transaction.atomic():
        incident = _incident_for_update(actor, incident_id, "add_entry", changes=False)
        entry = IncidentEntry.objects.create(
            incident=incident, kind=kind, text=text, recorded_by=actor
        )
        _audit(actor, AuditAction.UPDATE, incident, incident.house_id, reason=str(kind))
    return entry


def incident_close(
    *, actor: User, incident_id: UUID, expected_version: int | None = None
) -> SecurityIncident:
    """Close an incident once decided, and notified when the decision says so."""
    with transaction.atomic():
        incident = _incident_for_update(
            actor, incident_id, "close", expected_version=expected_version
        )
        SECURITY_INCIDENT.take(incident, "close")
        incident.closed_at = timezone.now()
        incident.save(update_fields=["status", "closed_at"])
        _audit(actor, AuditAction.UPDATE, incident, incident.house_id, reason="close")
    return incident
