# SPDX-License-Identifier: EUPL-1.2
"""The steps of a security incident, declared with `core.workflow`.

A security incident (AVG art. 33, 34) stays open while it is decided, notified and logged, and
is closed once decided, and notified when the decision says so.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ketentafel.core.workflow import Guard, Machine, Step
from ketentafel.incidents.models import IncidentStatus, SecurityIncident

_INCIDENT_CLOSED = _("Dit incident is afgesloten.")
_OPEN = (IncidentStatus.OPEN,)


def _authority_not_notified(incident: SecurityIncident) -> bool:
    return incident.authority_notified_at is None


def _decided(incident: SecurityIncident) -> bool:
    return incident.must_notify_authority is not None


def _notified_if_due(incident: SecurityIncident) -> bool:
    return not incident.must_notify_authority or incident.authority_notified_at is not None


SECURITY_INCIDENT = Machine[SecurityIncident](
    states=IncidentStatus,
    noun=_("status"),
    field="status",
    steps=[
        Step("decide", _("Besluit vastleggen"), _OPEN, reason=_INCIDENT_CLOSED),
        Step(
            "notify_authority",
            _("Melding bij de AP vastleggen"),
            _OPEN,
            reason=_INCIDENT_CLOSED,
            guards=(Guard(_authority_not_notified, _("De melding bij de AP is al vastgelegd.")),),
        ),
        Step(
            "notify_subjects",
            _("Informeren van de betrokkenen vastleggen"),
            _OPEN,
            reason=_INCIDENT_CLOSED,
        ),
        Step("add_entry", _("Maatregel of aantekening toevoegen"), _OPEN, reason=_INCIDENT_CLOSED),
        Step(
            "close",
            _("Incident afsluiten"),
            _OPEN,
            IncidentStatus.CLOSED,
            reason=_INCIDENT_CLOSED,
            guards=(
                Guard(_decided, _("Besluit eerst of de AP gemeld moet worden.")),
                Guard(_notified_if_due, _("Leg eerst de melding bij de AP vast.")),
            ),
        ),
    ],
)
