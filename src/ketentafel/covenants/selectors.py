# SPDX-License-Identifier: EUPL-1.2
"""Scoped reads of the covenant configuration."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ketentafel.accounts.models import User
from ketentafel.accounts.policies import may_administer, roles_in_force
from ketentafel.covenants.models import Body, Covenant, House, Membership


def covenants_visible_to(user: User) -> QuerySet[Covenant]:
    """Covenants in which the user holds a role in force; all of them for administrators."""
    if may_administer(user):
        return Covenant.objects.all()
    house_ids = roles_in_force(user).values("house_id")
    return Covenant.objects.filter(houses__in=house_ids).distinct()


def get_covenant_for(user: User, slug: str) -> Covenant:
    """One covenant with everything its overview shows, or 404 when missing or not visible."""
    covenant = (
        covenants_visible_to(user)
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "houses",
                queryset=House.objects.filter(is_active=True).select_related(
                    "managing_municipality"
                ),
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("party").prefetch_related("houses"),
            ),
            Prefetch(
                "bodies",
                queryset=Body.objects.filter(is_active=True).prefetch_related("houses", "members"),
            ),
            "tracks",
            "themes",
            "decision_types",
        )
        .first()
    )
    if covenant is None:
        raise Http404
    return covenant
