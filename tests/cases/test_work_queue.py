# SPDX-License-Identifier: EUPL-1.2
"""The work queue puts the longest-waiting referral first, so none drops off the list."""

from __future__ import annotations

import datetime

import pytest

from ketentafel.cases import services
from ketentafel.cases.models import Case
from ketentafel.cases.selectors import work_queue_for
from tests.cases.conftest import World
from tests.cases.flows import referred

pytestmark = pytest.mark.django_db


def _person(n: int) -> services.PersonInput:
    return services.PersonInput(
        given_names=f"Persoon{n}", surname="Voorbeeld", birth_date=datetime.date(1980, 1, n + 1)
    )


def test_waiting_referrals_come_longest_waiting_first_and_the_limit_keeps_the_oldest(
    world: World,
) -> None:
    cases = [referred(world, person=_person(n)) for n in range(4)]
    base = Case.objects.get(pk=cases[0].pk).referred_at
    for age, case in zip((3, 1, 4, 2), cases, strict=True):
        Case.objects.filter(pk=case.pk).update(referred_at=base - datetime.timedelta(days=age))
    by_age = [cases[2].pk, cases[0].pk, cases[3].pk, cases[1].pk]

    full = work_queue_for(world.pc)
    assert [c.pk for c in full.new_referrals] == by_age
    short = work_queue_for(world.pc, limit=2)
    assert [c.pk for c in short.new_referrals] == by_age[:2]
