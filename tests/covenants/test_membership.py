# SPDX-License-Identifier: EUPL-1.2
"""What "a current member of this covenant" means, said once in `covenants.models`: a party
that left or was excluded is no member, whichever house it is asked of."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from ketentafel.covenants.models import Covenant, House, Membership, Party
from ketentafel.covenants.services import region_load
from tests.covenants.test_region_load import variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def covenant(tmp_path: Path) -> Covenant:
    """The mini region with its care party excluded."""
    region_load(
        path=variant(
            tmp_path,
            'houses = ["zuid"]\nsource = "test"',
            'houses = ["zuid"]\nsource = "test"\nmembership = "excluded"\nended_on = "2024-05-01"',
        )
    )
    return Covenant.objects.get(slug="mini-region")


def _slugs(parties: Iterable[Party]) -> set[str]:
    return {party.slug for party in parties}


def test_current_memberships_leave_out_an_excluded_party(covenant: Covenant) -> None:
    current = Membership.objects.current().filter(covenant=covenant)
    assert {m.party.slug for m in current} == {"gemeente-noordstad", "politie-test"}


def test_members_of_a_covenant_are_its_current_parties(covenant: Covenant) -> None:
    assert _slugs(Party.objects.members_of(covenant.pk)) == {"gemeente-noordstad", "politie-test"}
    assert not Party.objects.members_of(covenant.pk + 1).exists()


def test_members_of_a_house_are_the_current_parties_of_its_covenant(covenant: Covenant) -> None:
    """Membership of the covenant counts, not the houses the party serves: the municipality
    of Noord is a member for Zuid too."""
    zuid = House.objects.get(slug="zuid")
    members = Party.objects.members_of_houses([zuid.pk])
    assert _slugs(members) == {"gemeente-noordstad", "politie-test"}
    assert members.count() == 2
    everywhere = Party.objects.members_of_houses(House.objects.all())
    assert _slugs(everywhere) == {"gemeente-noordstad", "politie-test"}
    assert everywhere.count() == 2
