# SPDX-License-Identifier: EUPL-1.2
"""Who may run privacy operations: privacy officers, scoped as for the audit log.

A privacy officer works for the houses where it holds the role. The house's own privacy
officer (employed by the municipality that manages the house) answers for the whole house;
another party's privacy officer answers for what its party supplied, since each party stays
controller of its own information (Gelderland-Midden art. 16.1, 17.4). This mirrors
`audit.policies.audit_scope_for`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.core.errors import NotAllowed
from ketentafel.privacy.models import (
    NOTIFY_RECIPIENTS,
    DataSubjectRequest,
    IncidentStatus,
    RequestStatus,
    SecurityIncident,
)


@dataclass(frozen=True)
class PrivacyScope:
    user: User
    party_id: int
    officer_house_ids: frozenset[int]
    whole_house_ids: frozenset[int]

    def answers_for_house(self, house_id: int) -> bool:
        """Whether the officer answers for everything of this house, not just its party's."""
        return house_id in self.whole_house_ids

    def may_see_controller(self, house_id: int, controller_party_id: int) -> bool:
        return self.answers_for_house(house_id) or controller_party_id == self.party_id


def privacy_scope_for(user: User) -> PrivacyScope:
    """The privacy officer's houses; refused for everyone else."""
    roles = list(roles_in_force(user).filter(role=Role.PRIVACY_OFFICER))
    if not roles or user.party_id is None:
        raise NotAllowed(_("Alleen een privacy officer behandelt privacyzaken."))
    return PrivacyScope(
        user=user,
        party_id=user.party_id,
        officer_house_ids=frozenset(r.house_id for r in roles),
        whole_house_ids=frozenset(
            r.house_id for r in roles if r.house.managing_municipality_id == user.party_id
        ),
    )


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


def request_actions(request: DataSubjectRequest, today: datetime.date) -> frozenset[str]:
    """What the services allow on a request now, so a screen offers only those steps.

    `privacy.services` checks each again and refuses an illegal one (AVG art. 12(3): extend
    once, within the first month; art. 19: notify recipients of a rectification, erasure or
    restriction before completing it).
    """
    actions: set[str] = set()
    if request.is_open:
        actions.add("close")
        if request.extended_to is None and today <= request.due_on:
            actions.add("extend")
        if request.status == RequestStatus.RECEIVED:
            actions.add("start")
        if request.kind in NOTIFY_RECIPIENTS:
            actions.add("notice")
    if request.subject_cleared_at is None:
        actions.add("export")
    return frozenset(actions)


def incident_actions(incident: SecurityIncident) -> frozenset[str]:
    """What the services allow on an incident now (AVG art. 33, 34): decide, notify, add to
    the log and close while open; close once decided, and notified when the decision says so."""
    if incident.status != IncidentStatus.OPEN:
        return frozenset()
    actions = {"decide", "notify", "entry"}
    if incident.authority_notified_at is None:
        actions.add("notify_authority")
    if incident.must_notify_authority is False or (
        incident.must_notify_authority and incident.authority_notified_at is not None
    ):
        actions.add("close")
    return frozenset(actions)
