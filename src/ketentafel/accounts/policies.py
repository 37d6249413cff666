# SPDX-License-Identifier: EUPL-1.2
"""Who may do what, by role.

A role counts only while the user's party is a current member of the covenant the house
belongs to: a party that left or was excluded loses access at once. Staff of a house work on
behalf of one of the parties (Gelderland-Midden art. 1.11), which need not be the party that
serves that house's municipalities, so membership of the covenant is what counts.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from ketentafel.accounts.models import CONFIRMING_ROLES, HouseRole, Role, User, in_force_q
from ketentafel.core.errors import NotAllowed


def roles_in_force(user: User) -> QuerySet[HouseRole]:
    """The user's house roles that count now: confirmed, not revoked, not expired, of an
    active user whose party is still a member."""
    if not user.is_active or user.party_id is None:
        return HouseRole.objects.none()
    from django.apps import apps

    membership = apps.get_model("covenants", "Membership")
    current = membership.objects.current().filter(
        party_id=user.party_id, covenant_id=OuterRef("house__covenant_id")
    )
    return (
        HouseRole.objects.filter(in_force_q(), user=user, house__is_active=True)
        .filter(Exists(current))
        .select_related("house")
    )


def has_role(user: User, role: Role) -> bool:
    return roles_in_force(user).filter(role=role).exists()


def may_administer(user: User) -> bool:
    """Functional administrators manage users and configuration (and see no case content)."""
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or has_role(user, Role.FUNCTIONAL_ADMINISTRATOR)


def acting_party_id(user: User) -> int:
    """The party the user acts for; accounts without one (superusers) do no case work."""
    if user.party_id is None:
        raise NotAllowed(_("Dit account hoort bij geen partij en werkt niet aan casussen."))
    return user.party_id


def confirming_house_ids(user: User) -> list[int]:
    """The houses where `user` confirms the roles others grant (four-eyes, BIO 5.18)."""
    return sorted(
        set(
            roles_in_force(user)
            .filter(role__in=CONFIRMING_ROLES)
            .values_list("house_id", flat=True)
        )
    )
