# SPDX-License-Identifier: EUPL-1.2
"""Writes of security incidents: register, decide, notify, log and close.

Each runs in one transaction with its audit event, as the privacy officer's other writes
(`privacy.services`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.core.errors import InvalidInput, NotFound
from ketentafel.core.versions import version_advance
from ketentafel.incidents.models import (
    DataCategory,
    IncidentEntry,
    IncidentEntryKind,
    SecurityIncident,
)
from ketentafel.incidents.workflow import SECURITY_INCIDENT
from ketentafel.privacy.services import officer_of, privacy_audit

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
    officer_of(actor, house_id)
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
        privacy_audit(actor, AuditAction.CREATE, incident, house_id)
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
    version up. The step is checked against the incident's state (`incidents.workflow`)."""
    incident = SecurityIncident.objects.select_for_update().filter(pk=incident_id).first()
    if incident is None:
        raise NotFound(_("Dit incident bestaat niet."))
    officer_of(actor, incident.house_id)
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
        privacy_audit(actor, AuditAction.UPDATE, incident, incident.house_id, reason="decide")
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
        privacy_audit(
            actor, AuditAction.UPDATE, incident, incident.house_id, reason=f"notify {recipient}"
        )
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
        privacy_audit(actor, AuditAction.UPDATE, incident, incident.house_id, reason=str(kind))
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
        privacy_audit(actor, AuditAction.UPDATE, incident, incident.house_id, reason="close")
    return incident
