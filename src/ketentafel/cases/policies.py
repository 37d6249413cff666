# SPDX-License-Identifier: EUPL-1.2
"""Who takes part in a case, computed in the database.

A user sees a case only through a role in it (PRODUCT.md section 3):
- the case's process or information coordinator, while holding that role in the case's house
  (a coordinator whose role was removed or expired no longer coordinates the case);
- a process coordinator of the house while the referral awaits intake;
- the house's triage staff while the case is in triage (Gelderland-Midden art. 8.1);
- the house's meeting secretaries once the case is on a meeting's agenda (agenda, minutes), and
  while it is in triage on a track whose triage a body decides in session (they prepare it);
- a user of the referring party, of an invited party, of the case coordinator's party, of a
  party with an open information request, or of a party that supplied an item (it stays the
  item's controller).
Every one of these also needs a case role (`CASE_ROLES`) in force in the case's house, so a
party that left or was excluded loses access at once.

The rule is written once, here, and reads the tables of the rooms above `cases` (information
items and requests, agenda items) through the app registry, so that every list of every room
derives from it without `cases` importing those rooms (ADR 0016).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from ketentafel.accounts.models import CASE_ROLES, Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.cases.models import Case, CaseParty, Phase

TRIAGE_ROLES = (Role.PROCESS_COORDINATOR, Role.LOCATION_MANAGER, Role.MANAGER)
SCHEDULING_ROLES = (Role.PROCESS_COORDINATOR, Role.MEETING_SECRETARY)
CLOSED_PHASES = (Phase.CLOSED, Phase.DECLINED)


def _case_roles_of(
    user: User, roles_read: Sequence[tuple[int, str]] | None
) -> list[tuple[int, str]]:
    """The user's case roles in force as (house id, role), from `roles_read` when given."""
    if not user.is_active or user.party_id is None:
        return []
    if roles_read is None:
        roles_read = list(
            roles_in_force(user).filter(role__in=CASE_ROLES).values_list("house_id", "role")
        )
    return [(house, role) for house, role in roles_read if role in CASE_ROLES]


def coordinated_by_q(
    user: User,
    *,
    roles_read: Sequence[tuple[int, str]] | None = None,
    roles: Sequence[Role] = (Role.PROCESS_COORDINATOR, Role.INFORMATION_COORDINATOR),
) -> Q:
    """A filter on Case that keeps the cases `user` coordinates: its assigned process or
    information coordinator (`roles` picks which), while holding that role in the case's
    house. Every list of "own cases" uses it, and `case_access_q` contains it, so a
    coordinator whose role was removed or expired coordinates nothing any more."""
    held = _case_roles_of(user, roles_read)
    field = {
        Role.PROCESS_COORDINATOR: "process_coordinator",
        Role.INFORMATION_COORDINATOR: "information_coordinator",
    }
    coordinated = Q(pk__in=[])
    for role in roles:
        houses = sorted({house for house, held_role in held if held_role == role})
        if houses:
            coordinated |= Q(**{field[role]: user, "house_id__in": houses})
    return coordinated


def case_access_q(user: User, *, roles_read: Sequence[tuple[int, str]] | None = None) -> Q:
    """A filter on Case that keeps exactly the cases `user` may see.

    The user's roles in force are read first (one small query) and the branches that need a
    role the user lacks are left out: PostgreSQL evaluates each EXISTS inside this OR as a
    hashed subplan over every matching row, which a list's first page pays for in full, so
    a branch that can never match must not be in the query (docs/performance.md). A caller
    that has read them already passes them as `roles_read`: the (house id, role) pairs of
    `roles_in_force(user)`, all of them, in the same request.
    """
    roles = _case_roles_of(user, roles_read)
    if not roles or user.party_id is None:
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
    on_agenda = apps.get_model("meetings", "AgendaItem").objects.filter(case=OuterRef("pk"))
    visible = (
        coordinated_by_q(user, roles_read=roles)
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
        visible |= Q(house_id__in=secretary) & Q(Exists(on_agenda))
        # Where a body weighs the cases in session, its secretary prepares the agenda from the
        # cases in triage (IJsselland art. 15.2; Bijlage 3, fase 2).
        visible |= Q(phase=Phase.TRIAGE, house_id__in=secretary, track__triage_in_session=True)
    return Q(house_id__in=houses(*{role for _, role in roles})) & visible


@dataclass(frozen=True)
class Session:
    """The held session of a body in which a step is being taken (ADR 0018): a step that the
    track's process has decided by a body is refused outside one."""

    body_id: int
    slug: str
    kind: str
    # The tracks the body serves (`Body.tracks`).
    track_ids: frozenset[int]
    agenda_item_id: UUID


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
    # Set by the meetings room while it takes a step decided in a held session.
    session: Session | None = None

    @property
    def is_process_coordinator(self) -> bool:
        """The case's process coordinator, while a process coordinator of its house."""
        return (
            self.user.pk == self.case.process_coordinator_id
            and Role.PROCESS_COORDINATOR in self.house_roles
        )

    @property
    def is_information_coordinator(self) -> bool:
        """The case's information coordinator, while an information coordinator of its house."""
        return (
            self.user.pk == self.case.information_coordinator_id
            and Role.INFORMATION_COORDINATOR in self.house_roles
        )

    @property
    def is_case_coordinator(self) -> bool:
        """The case's casusregisseur, while holding a case role in its house (art. 13.2)."""
        return self.user.pk == self.case.case_coordinator_id and bool(self.house_roles)

    @property
    def keeps_plan(self) -> bool:
        """Keeps the case's plan of action: who the track's process names (`plan_keepers`;
        the case's process coordinator by default, also the casusregisseur where the covenant
        gives it the plan: IJsselland art. 13.2, Midden-Nederland art. 13.2)."""
        positions = {
            "case_process_coordinator": self.is_process_coordinator,
            "case_information_coordinator": self.is_information_coordinator,
            "case_coordinator": self.is_case_coordinator,
        }
        return any(
            positions.get(keeper, keeper in self.house_roles)
            for keeper in self.case.track.process_spec.plan_keepers
        )

    @property
    def is_assigned_coordinator(self) -> bool:
        return self.is_process_coordinator or self.is_information_coordinator

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
        if self.is_process_coordinator:
            return Role.PROCESS_COORDINATOR
        if self.is_information_coordinator:
            return Role.INFORMATION_COORDINATOR
        for role in (Role.PROCESS_COORDINATOR, *TRIAGE_ROLES, Role.MEETING_SECRETARY):
            if role in self.house_roles:
                return role
        return Role.PARTNER_PROFESSIONAL
