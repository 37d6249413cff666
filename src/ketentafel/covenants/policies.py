# SPDX-License-Identifier: EUPL-1.2
"""Who may act in a house, and which parties a house's covenant counts as its own.

Shared by every room of the case process (advice, cases, meetings, plans): the roles come from
accounts, the houses and memberships from the covenant (Bijlage 1 toetreding, art. 24).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ketentafel.accounts.models import CASE_ROLES, Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.core.errors import InvalidInput, NotAllowed
from ketentafel.covenants.models import House, Party


def house_roles(actor: User, house_id: int) -> set[str]:
    """The actor's case roles in force in the house (`CASE_ROLES`)."""
    return set(
        roles_in_force(actor)
        .filter(house_id=house_id, role__in=CASE_ROLES)
        .values_list("role", flat=True)
    )


def require_house_role(actor: User, house_id: int, *roles: Role) -> set[str]:
    """The actor's case roles in the house, refused when it holds none (or none of `roles`).

    Houses are public configuration, so an unknown house is bad input, not a secret.
    """
    held = house_roles(actor, house_id)
    if not held:
        if not House.objects.filter(pk=house_id).exists():
            raise InvalidInput(_("Dit veiligheidshuis bestaat niet."), field="house")
        raise NotAllowed(_("U heeft in dit veiligheidshuis geen rol in het casuswerk."))
    if roles and not held.intersection(roles):
        names = ", ".join(str(r.label) for r in roles)
        raise NotAllowed(
            _("Hiervoor is een van deze rollen in het huis nodig: %(names)s.") % {"names": names}
        )
    return held


def member_party(house: House, party_id: int, *, field: str) -> Party:
    """The party `party_id` if it is a current member of the house's covenant; refused at
    `field` otherwise (a party that left or was excluded takes no new part)."""
    party = Party.objects.members_of(house.covenant_id).filter(pk=party_id).first()
    if party is None:
        raise InvalidInput(
            _("Deze partij is geen (huidige) partij van het convenant van dit huis."), field=field
        )
    return party
