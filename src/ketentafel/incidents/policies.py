# SPDX-License-Identifier: EUPL-1.2
"""Who may handle security incidents (privacy officers, `privacy.policies.privacy_scope_for`)
and read the steering group's incident report; what an incident's page offers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.core.errors import NotAllowed
from ketentafel.incidents.models import SecurityIncident
from ketentafel.incidents.workflow import SECURITY_INCIDENT
from ketentafel.privacy.policies import step_sections


def steering_report_houses(user: User) -> frozenset[int]:
    """Houses whose incident report the user may read: privacy officers, managers, steering
    group members (Midden-Nederland Bijlage 4: periodic reports to the Stuurgroep)."""
    roles = roles_in_force(user).filter(
        role__in=[Role.PRIVACY_OFFICER, Role.MANAGER, Role.LOCATION_MANAGER, Role.STEERING_MEMBER]
    )
    houses = frozenset(roles.values_list("house_id", flat=True))
    if not houses:
        raise NotAllowed(
            _("Alleen privacy officers, managers en leden van de stuurgroep lezen dit rapport.")
        )
    return houses


#: The step sections of an incident's page and the steps each offers; "notify" is the
#: notification form, whose authority choice shows while "notify_authority" is allowed.
INCIDENT_SECTIONS = {
    "decide": ("decide",),
    "notify": ("notify_authority", "notify_subjects"),
    "notify_authority": ("notify_authority",),
    "entry": ("add_entry",),
    "close": ("close",),
}


def incident_actions(incident: SecurityIncident) -> frozenset[str]:
    """What an incident's page offers now: the sections of the steps its machine allows (AVG
    art. 33, 34): decide, notify, add to the log and close while open; close once decided, and
    notified when the decision says so."""
    return frozenset(step_sections(INCIDENT_SECTIONS, SECURITY_INCIDENT.allowed_steps(incident)))
