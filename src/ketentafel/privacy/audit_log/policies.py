# SPDX-License-Identifier: EUPL-1.2
"""Who may read the audit log: privacy officers only (NEN 7513; issue 4).

The house's privacy officer, a privacy officer employed by the municipality that manages the
house (its `managing_municipality`), sees every event of that house and of the people working
in it. Any other party's privacy officer sees the events of its own party's users and the
events that returned data its party supplied, since each party stays controller of what it
supplied (Gelderland-Midden art. 16.1; Midden-Nederland art. 15).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from ketentafel.accounts.models import HouseRole, Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.audit.models import EventDataParty
from ketentafel.core.errors import NotAllowed


@dataclass(frozen=True)
class AuditScope:
    """What one privacy officer may read: whole houses, and their own party's share."""

    house_ids: frozenset[int]
    party_id: int

    def q(self) -> Q:
        own_party = Q(actor_party_id=self.party_id) | Q(
            Exists(EventDataParty.objects.filter(event=OuterRef("pk"), party_id=self.party_id))
        )
        if not self.house_ids:
            return own_party
        house_staff = HouseRole.objects.filter(house_id__in=self.house_ids).values("user_id")
        return own_party | Q(house_id__in=self.house_ids) | Q(actor_id__in=house_staff)


def audit_scope_for(user: User) -> AuditScope:
    """The reading scope of a privacy officer; refused for everyone else."""
    roles = list(roles_in_force(user).filter(role=Role.PRIVACY_OFFICER))
    if not roles or user.party_id is None:
        raise NotAllowed(_("Alleen een privacy officer leest het auditlog."))
    houses = frozenset(
        r.house_id for r in roles if r.house.managing_municipality_id == user.party_id
    )
    return AuditScope(house_ids=houses, party_id=user.party_id)
