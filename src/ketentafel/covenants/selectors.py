# SPDX-License-Identifier: EUPL-1.2
"""Scoped reads of the covenant configuration."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ketentafel.accounts.models import User, in_force_q
from ketentafel.accounts.policies import may_administer, roles_in_force
from ketentafel.covenants.models import (
    Body,
    BodyKind,
    Covenant,
    DecisionType,
    ExcludedSubject,
    House,
    Membership,
    Party,
    Theme,
    Track,
)


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
                queryset=Body.objects.filter(is_active=True).prefetch_related(
                    "houses", "members", "tracks"
                ),
            ),
            Prefetch("tracks", queryset=Track.objects.prefetch_related("houses")),
            "themes",
            "decision_types",
            "excluded_subjects",
        )
        .first()
    )
    if covenant is None:
        raise Http404
    return covenant


# Choices for the screens' forms: only what the user's houses and covenants offer.


def houses_of(user: User) -> QuerySet[House]:
    """The houses where the user holds a role in force."""
    return House.objects.filter(pk__in=roles_in_force(user).values("house_id")).order_by("name")


def tracks_for(user: User) -> QuerySet[Track]:
    """The active tracks the user's houses offer (a track may be limited to some houses of
    its covenant: Midden-Nederland art. 2.3 b)."""
    return (
        Track.objects.filter(houses__in=houses_of(user), is_active=True).distinct().order_by("name")
    )


def excluded_subjects_for(user: User) -> QuerySet[ExcludedSubject]:
    """The subjects the covenants of the user's houses put outside their process (IJsselland
    art. 2.3 slotzin), for the referral form to say so before anyone refers one."""
    return (
        ExcludedSubject.objects.filter(covenant__houses__in=houses_of(user), is_active=True)
        .select_related("covenant")
        .distinct()
        .order_by("name")
    )


def themes_for(user: User) -> QuerySet[Theme]:
    return (
        Theme.objects.filter(covenant__houses__in=houses_of(user), is_active=True)
        .distinct()
        .order_by("name")
    )


def member_parties_for(
    user: User, *, kind: str | None = None, houses: Collection[int] | None = None
) -> QuerySet[Party]:
    """Current member parties of the covenants of the user's houses; `houses`: the ids of
    those houses (`houses_of(user)`), when the caller has read them in this request."""
    parties = Party.objects.members_of_houses(houses_of(user) if houses is None else houses)
    if kind is not None:
        parties = parties.filter(kind=kind)
    return parties.order_by("name")


def case_meeting_bodies_for(user: User) -> QuerySet[Body]:
    """The case meetings (MDO, Casusoverleg, ...) of the user's houses, by the region's label,
    with the tracks each serves."""
    return (
        Body.objects.filter(kind=BodyKind.CASE_MEETING, houses__in=houses_of(user), is_active=True)
        .distinct()
        .order_by("label")
        .prefetch_related("tracks")
    )


def _bodies_of(house_id: int, track_id: int | None) -> QuerySet[Body]:
    bodies = Body.objects.filter(houses=house_id, is_active=True)
    return bodies if track_id is None else bodies.filter(tracks=track_id)


def body_label(house_id: int, kind: str, default: str, *, track_id: int | None = None) -> str:
    """The region's own name for a body of a house (MDO, Casusoverleg, Triage-overleg, ...);
    with `track_id`, of a body serving that track (the Weegploeg radicalisering for a
    radicalisation case in Gelderland-Midden)."""
    label = _bodies_of(house_id, track_id).filter(kind=kind).values_list("label", flat=True).first()
    return label or default


def body_labels(
    house_id: int, defaults: Mapping[str, str], *, track_id: int | None = None
) -> dict[str, str]:
    """`body_label` for several kinds of body at once (kind -> default), in one query."""
    labels: dict[str, str] = {}
    for kind, label in (
        _bodies_of(house_id, track_id)
        .filter(kind__in=list(defaults))
        .order_by("kind", "label")  # Body's own order, which `body_label` takes the first of
        .values_list("kind", "label")
    ):
        labels.setdefault(kind, label or defaults[kind])
    return {kind: labels.get(kind, default) for kind, default in defaults.items()}


def colleagues_with_role(house_id: int, role: str) -> QuerySet[User]:
    """Active users holding `role` in a house (for naming an information coordinator)."""
    return User.objects.filter(
        in_force_q("house_roles__"),
        is_active=True,
        house_roles__house_id=house_id,
        house_roles__role=role,
    ).order_by("last_name", "first_name")


def decision_types_for(house_id: int) -> QuerySet[DecisionType]:
    return DecisionType.objects.filter(covenant__houses=house_id, is_active=True).order_by("label")
