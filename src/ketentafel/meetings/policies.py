# SPDX-License-Identifier: EUPL-1.2
"""Who organises a session of a body: schedules it, sets its agenda, records and holds it.

The region file names them (`organisers` on a body): holders of house roles, by default the
process coordinator and the meeting secretary (IJsselland art. 15.1-15.2); and where the body
names `case_coordinator`, a case's casusregisseur, for the cases he coordinates only
(IJsselland art. 13.2: he "organiseert (in samenspraak met de procesregisseur) multi
disciplinaire overleggen"). What a casusregisseur organises is bounded by his cases, so a
session he organises never shows or moves a case he does not coordinate."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.cases.models import Case
from ketentafel.cases.policies import CLOSED_PHASES
from ketentafel.core.errors import NotAllowed
from ketentafel.covenants.models import Body


def organises_by_role(held: Collection[str], body: Body) -> bool:
    """Whether one of the house roles `held` organises every session of the body."""
    return any(role in held for role in body.organiser_roles)


def sits_in(held: Collection[str], body: Body) -> bool:
    """Whether one of the house roles `held` chairs or sits in the body's sessions
    (`Body.chair`, `Body.member_roles`): they hold a session and record what it decided."""
    return any(role in held for role in (body.chair, *body.member_roles) if role)


def coordinated_cases(user: User, body: Body, house_id: int) -> QuerySet[Case]:
    """The open cases of the house, on a track the body serves, whose casusregisseur is the
    user, where the body lets the casusregisseur organise its sessions; none otherwise. The
    caller has checked that the user holds a case role in the house."""
    if not body.is_organised_by_case_coordinator:
        return Case.objects.none()
    return Case.objects.filter(
        house_id=house_id, case_coordinator=user, track__in=body.tracks.all()
    ).exclude(phase__in=CLOSED_PHASES)


def organises_for_cases(user: User, body: Body, house_id: int, case_ids: Iterable[UUID]) -> bool:
    """Whether the user, as their casusregisseur, organises a session for these cases."""
    wanted = set(case_ids)
    return len(wanted) == coordinated_cases(user, body, house_id).filter(pk__in=wanted).count()


def organisers_label(body: Body) -> str:
    """Who organises a session of the body, for a refusal."""
    names = [str(Role(role).label) for role in body.organiser_roles]
    if body.is_organised_by_case_coordinator:
        names.append(str(_("de casusregisseur, voor de casussen die hij regisseert")))
    return ", ".join(names)


def refuse_organising(body: Body) -> NotAllowed:
    return NotAllowed(
        _("Een %(body)s organiseren mag alleen: %(who)s.")
        % {"body": body.label, "who": organisers_label(body)}
    )
