# SPDX-License-Identifier: EUPL-1.2
"""Who takes part in a case, computed in the database.

A user sees a case only through a role in it (PRODUCT.md section 3):
- the case's process or information coordinator;
- a process coordinator of the house while the referral awaits intake;
- the house's triage staff while the case is in triage (Gelderland-Midden art. 8.1);
- the house's meeting secretaries once the case is on a meeting's agenda (agenda, minutes);
- a user of the referring party, of an invited party, of the case coordinator's party, of a
  party with an open information request, or of a party that supplied an item (it stays the
  item's controller).
Every one of these also needs a case role (`CASE_ROLES`) in force in the case's house, so a
party that left or was excluded loses access at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from ketentafel.accounts.models import CASE_ROLES as ACCOUNT_CASE_ROLES
from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.cases.models import AgendaItem, Case, CaseParty, Phase

#: The roles that work on cases. Privacy officers answer for their party's data through the
#: audit log and the privacy operations, steering-group members receive management
#: information and functional administrators manage users and configuration: none of them
#: sees case content through its party (PRODUCT.md 3, need-to-know; covenant Gelderland-Midden
#: art. 13.2c: only who takes part in the case).
#: The set is defined in accounts, which keeps a functional administrator from holding any of
#: them (separation of duties).
CASE_ROLES = ACCOUNT_CASE_ROLES
TRIAGE_ROLES = (Role.PROCESS_COORDINATOR, Role.LOCATION_MANAGER, Role.MANAGER)
SCHEDULING_ROLES = (Role.PROCESS_COORDINATOR, Role.MEETING_SECRETARY)
CLOSED_PHASES = (Phase.CLOSED, Phase.DECLINED)


def case_access_q(user: User, *, roles_read: Sequence[tuple[int, str]] | None = None) -> Q:
    """A filter on Case that keeps exactly the cases `user` may see.

    The user's roles in force are read first (one small query) and the branches that need a
    role the user lacks are left out: PostgreSQL evaluates each EXISTS inside this OR as a
    hashed subplan over every matching row, which a list's first page pays for in full, so
    a branch that can never match must not be in the query (docs/performance.md). A caller
    that has read them already passes them as `roles_read`: the (house id, role) pairs of
    `roles_in_force(user)`, all of them, in the same request.
    """
    if not user.is_active or user.party_id is None:
        return Q(pk__in=[])
    if roles_read is None:
        roles_read = list(
            roles_in_force(user).filter(role__in=CASE_ROLES).values_list("house_id", "role")
        )
    roles = [(house, role) for house, role in roles_read if role in CASE_ROLES]
    if not roles:
        return Q(pk__in=[])

    def houses(*wanted: str) -> list[int]:
        return sorted({house for house, role in roles if role in wanted})

    party = user.party_id
    open_request = apps.get_model("information", "InformationRequest").objects.filter(
        case=OuterRef("pk"), party_id=party, status="open"
    )
    supplied = apps.get_model("information", "InformationItem").objects.filter(
        case=OuterRef("pk"), supplier_party_id=party
    )
    visible = (
        Q(process_coordinator=user)
        | Q(information_coordinator=user)
        | Q(referring_party_id=party)
        | Q(case_coordinator_party_id=party)
        | Q(Exists(CaseParty.objects.filter(case=OuterRef("pk"), party_id=party)))
        | Q(Exists(open_request))
        | Q(Exists(supplied))
    )
    if intake := houses(Role.PROCESS_COORDINATOR):
        visible |= Q(phase=Phase.REFERRED, house_id__in=intake)
    if triage := houses(*TRIAGE_ROLES):
        visible |= Q(phase=Phase.TRIAGE, house_id__in=triage)
    if secretary := houses(Role.MEETING_SECRETARY):
        visible |= Q(house_id__in=secretary) & Q(
            Exists(AgendaItem.objects.filter(case=OuterRef("pk")))
        )
    return Q(house_id__in=houses(*{role for _, role in roles})) & visible


@dataclass(frozen=True)
class CaseAccess:
    """What the actor is to one case, for decisions within it."""

    case: Case
    user: User
    house_roles: frozenset[str]
    is_case_party: bool
    # The houses where the user holds any role in force, when they were read with the access
    # (`access_for_read`), for the case page's choices; None when not read.
    houses: frozenset[int] | None = None

    @property
    def is_assigned_coordinator(self) -> bool:
        return self.user.pk in (
            self.case.process_coordinator_id,
            self.case.information_coordinator_id,
        )

    @property
    def is_coordinating(self) -> bool:
        """Sees every item of the case: its coordinators, and the triage staff during triage."""
        if self.is_assigned_coordinator:
            return True
        return self.case.phase == Phase.TRIAGE and bool(self.house_roles.intersection(TRIAGE_ROLES))

    def has_role(self, *roles: Role) -> bool:
        return bool(self.house_roles.intersection(roles))

    @property
    def role_label(self) -> str:
        """The role the actor acts in, for the audit event."""
        if self.user.pk == self.case.process_coordinator_id:
            return Role.PROCESS_COORDINATOR
        if self.user.pk == self.case.information_coordinator_id:
            return Role.INFORMATION_COORDINATOR
        for role in (Role.PROCESS_COORDINATOR, *TRIAGE_ROLES, Role.MEETING_SECRETARY):
            if role in self.house_roles:
                return role
        return Role.PARTNER_PROFESSIONAL
