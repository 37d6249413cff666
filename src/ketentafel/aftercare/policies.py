# SPDX-License-Identifier: EUPL-1.2
"""Who registers a detention notification, and which houses take one.

Gelderland-Midden Bijlage 3, Proces nazorg ex-gedetineerden (Aanmeldingsfase): the notification
comes from DJI's system to the process coordinator for nazorg. A user of a DJI party registers
it for its own institution; a process coordinator of the house registers it on DJI's behalf
(the notification arrived by the system, by mail or by phone).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from ketentafel.accounts.models import CASE_ROLES, Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.covenants.models import House, Membership, Party, PartyKind, Track, TrackKind


def aftercare_tracks() -> QuerySet[Track]:
    return Track.objects.filter(kind=TrackKind.AFTERCARE, is_active=True)


def aftercare_houses() -> QuerySet[House]:
    """The active houses whose covenant has an active aftercare track."""
    return House.objects.filter(
        Exists(aftercare_tracks().filter(covenant_id=OuterRef("covenant_id"))), is_active=True
    )


def houses_of_municipality(municipality: Party) -> QuerySet[House]:
    """The aftercare houses of which `municipality` is a current member party
    (`Membership.houses`): the houses its returning detainees belong to."""
    return aftercare_houses().filter(
        Exists(Membership.objects.current().filter(party=municipality, houses=OuterRef("pk")))
    )


def is_dji_user(user: User) -> bool:
    return user.party is not None and user.party.kind == PartyKind.DJI


def notifying_houses(user: User) -> QuerySet[House]:
    """The aftercare houses in which `user` may register a detention notification: any case
    role for a user of a DJI party, the process coordinator's role for anyone else."""
    roles = roles_in_force(user).filter(
        role__in=CASE_ROLES if is_dji_user(user) else (Role.PROCESS_COORDINATOR,)
    )
    return aftercare_houses().filter(pk__in=roles.values("house_id")).order_by("name")


def may_notify_detention(user: User) -> bool:
    return notifying_houses(user).exists()


def dji_parties_of(house: House) -> QuerySet[Party]:
    """The DJI parties that are current members of the house (on whose behalf a process
    coordinator registers)."""
    return Party.objects.filter(
        Exists(Membership.objects.current().filter(party=OuterRef("pk"), houses=house)),
        kind=PartyKind.DJI,
    ).order_by("name")
