# SPDX-License-Identifier: EUPL-1.2
"""A house of a shipped region with its cast, for the scenario tests that run each region's own
process (issue 14): the region is loaded in the test's transaction and rolled back after it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.cases.models import Case
from ketentafel.covenants.models import Body, DecisionType, House, Party, Theme, Track
from ketentafel.covenants.services import region_load, region_path
from ketentafel.privacy.purge import purge_run
from tests.cases.conftest import staff
from tests.privacy.conftest import days_later


@dataclass
class Region:
    house: House
    party: dict[str, Party]
    users: dict[str, User] = field(default_factory=dict)

    def track(self, slug: str) -> Track:
        return Track.objects.get(covenant=self.house.covenant, slug=slug)

    def body(self, slug: str) -> Body:
        return Body.objects.get(covenant=self.house.covenant, slug=slug)

    def decision(self, slug: str) -> DecisionType:
        return DecisionType.objects.get(covenant=self.house.covenant, slug=slug)

    def themes(self) -> list[Theme]:
        return list(Theme.objects.filter(covenant=self.house.covenant, is_active=True))

    def user(self, name: str, party: str, *roles: Role) -> User:
        if name not in self.users:
            # Prefixed by the house, so a region's cast never meets another test world's.
            username = f"{self.house.slug}-{name}"
            self.users[name] = staff(username, self.party[party], self.house, *roles)
        return self.users[name]


def region(name: str, house: str) -> Region:
    region_load(path=region_path(name))
    house_row = House.objects.get(covenant__slug=name, slug=house)
    parties = {p.slug: p for p in Party.objects.filter(memberships__covenant__slug=name)}
    return Region(house=house_row, party=parties)


def purged_after_monitoring(track: Track, case_id: object) -> None:
    """The closed case is kept for the track's monitoring period and purged when it ends
    (docs/privacy.md; the region file's retention of the track)."""
    monitoring = track.retention_monitoring_days
    assert monitoring is not None, track
    purge_run(today=days_later(monitoring - 1))
    assert Case.objects.filter(pk=case_id).exists()
    purge_run(today=days_later(monitoring))
    assert not Case.objects.filter(pk=case_id).exists()


def soon() -> datetime.datetime:
    """A meeting that can be held today (its day has come) and is still in the future."""
    return timezone.now() + datetime.timedelta(minutes=1)
