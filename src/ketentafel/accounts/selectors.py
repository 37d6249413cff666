# SPDX-License-Identifier: EUPL-1.2
"""Reads of accounts for a screen, scoped to what the reader may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ketentafel.accounts.models import HouseRole, User
from ketentafel.accounts.policies import confirming_house_ids
from ketentafel.core.errors import NotAllowed


def pending_roles_for(user: User) -> QuerySet[HouseRole]:
    """The grants awaiting confirmation in the houses where `user` confirms them, excluding
    those `user` granted or would receive (a second person confirms those)."""
    houses = confirming_house_ids(user)
    if not houses:
        raise NotAllowed(_("Alleen een locatiemanager of ketenmanager bevestigt rollen."))
    return (
        HouseRole.objects.filter(
            house_id__in=houses, confirmed_at__isnull=True, revoked_at__isnull=True
        )
        .exclude(user=user)
        .exclude(granted_by=user)
        .select_related("user", "user__party", "house", "granted_by")
        .order_by("granted_at", "pk")
    )
