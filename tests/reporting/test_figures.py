# SPDX-License-Identifier: EUPL-1.2
"""Management information through the selector: what is counted, from live and purged cases,
in which period, and what is suppressed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Case, TriageDecision
from ketentafel.core.errors import InvalidInput, NotAllowed
from ketentafel.privacy.models import CaseStatistic
from ketentafel.privacy.purge import purge_run
from ketentafel.reporting.selectors import (
    SMALL_NUMBER_THRESHOLD,
    Shown,
    WorkFigures,
    raw_figures,
    work_figures_for,
)
from tests.cases.conftest import World, make_staff
from tests.cases.flows import referred
from tests.privacy.conftest import active, closed, days_later, declined, someone

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def today() -> datetime.date:
    return timezone.localdate()


def tomorrow() -> datetime.date:
    return today() + datetime.timedelta(days=1)


def totals(figures: WorkFigures) -> dict[str, str]:
    return {row.label: row.count.text for row in figures.totals}


def breakdown(figures: WorkFigures, key: str) -> dict[str, str]:
    [found] = [b for b in figures.breakdowns if b.key == key]
    return {row.label: row.count.text for row in found.rows}


def test_live_and_purged_cases_are_counted_once_each(world: World) -> None:
    gone_closed = closed(world, someone(1))
    gone_declined = declined(world, someone(2))
    purge_run(today=days_later(400))
    assert not Case.objects.filter(pk__in=[gone_closed.pk, gone_declined.pk]).exists()
    assert CaseStatistic.objects.get(case_id=gone_closed.pk).accepted_on == today()
    active(world, someone(3))
    referred(world)
    referred(world)
    declined(world, someone(4))

    raw = raw_figures([world.house.pk], since=today(), until=tomorrow())

    assert raw.counts == {
        "referred": 6,
        "declined": 2,
        "accepted": 2,
        "discussed": 2,
        "closed": 1,
    }
    assert raw.closed["goal_reached"] == 1
    assert raw.closed["handed_over"] == 0
    assert sorted(raw.lead_days["triage"]) == [0, 0, 0, 0]
    assert raw.lead_days["discussion"] == [0, 0]
    assert raw.lead_days["closure"] == [0]
    assert raw.breakdowns["theme"] == {world.themes[0].name: 6}
    assert raw.breakdowns["municipality"] == {world.municipality.name: 6}
    assert raw.breakdowns["referring_party"] == {world.party["politie-oost-nederland"].name: 6}
    assert raw.breakdowns["track"] == {world.track.name: 6}
    # Another house's figures do not include them.
    other = raw_figures([world.other_house.pk], since=today(), until=tomorrow())
    assert other.counts["referred"] == 0


def test_a_case_kept_for_monitoring_is_not_counted_twice(world: World) -> None:
    case = closed(world, someone(5))
    purge_run(today=days_later(0))  # the closure stage: statistic stored, case kept
    assert CaseStatistic.objects.filter(case_id=case.pk).exists()
    assert Case.objects.filter(pk=case.pk).exists()

    raw = raw_figures([world.house.pk], since=today(), until=tomorrow())

    assert raw.counts["referred"] == 1
    assert raw.counts["closed"] == 1
    assert raw.lead_days["closure"] == [0]


def test_counts_of_one_to_four_are_shown_as_less_than_five_and_zero_as_zero() -> None:
    assert SMALL_NUMBER_THRESHOLD == 5
    assert Shown.of(0) == Shown("0", 0)
    assert [Shown.of(n) for n in (1, 2, 3, 4)] == [Shown("<5", None)] * 4
    assert Shown.of(5) == Shown("5", 5)
    assert Shown.of(123) == Shown("123", 123)


def test_small_numbers_and_medians_in_the_figures(world: World) -> None:
    for n in range(5):
        declined(world, someone(10 + n))
    ids = list(Case.objects.order_by("referred_at").values_list("pk", flat=True))
    for pk, days in zip(ids, (1, 2, 3, 4, 10), strict=True):
        Case.objects.filter(pk=pk).update(
            referred_at=timezone.now() - datetime.timedelta(days=days)
        )
    referred(world)
    since = today() - datetime.timedelta(days=30)

    figures = work_figures_for(world.manager, since=since, until=tomorrow())

    shown = totals(figures)
    assert shown["Aangemeld"] == "6"
    assert shown["Bij triage afgewezen (geen casus voor het huis)"] == "5"
    assert shown["Geaccepteerd"] == "0"
    [triage, discussion, _closure] = figures.lead_times
    assert (triage.cases.text, triage.median_days) == ("5", 3.0)
    assert (discussion.cases.text, discussion.median_days) == ("0", None)
    assert breakdown(figures, "theme") == {world.themes[0].name: "6"}

    # Four of them in a shorter period: "<5", and no median.
    since = today() - datetime.timedelta(days=3)
    figures = work_figures_for(world.manager, since=since, until=tomorrow())
    assert totals(figures)["Aangemeld"] == "<5"
    # A lead time counts the cases whose step (here the triage decision) fell in the period.
    assert (figures.lead_times[0].cases.text, figures.lead_times[0].median_days) == ("5", 3.0)
    TriageDecision.objects.filter(case_id=ids[-1]).update(
        decided_at=timezone.now() - datetime.timedelta(days=5)
    )
    figures = work_figures_for(world.manager, since=since, until=tomorrow())
    assert figures.lead_times[0].cases.text == "<5"
    assert figures.lead_times[0].median_days is None
    assert breakdown(figures, "theme") == {world.themes[0].name: "<5"}
    assert all(row.count.value is None for b in figures.breakdowns for row in b.rows)


def test_the_period_includes_its_first_day_and_excludes_its_end(world: World) -> None:
    case = referred(world)
    day = today() - datetime.timedelta(days=10)
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    Case.objects.filter(pk=case.pk).update(referred_at=midnight)

    def count(since: datetime.date, until: datetime.date) -> int:
        return raw_figures([world.house.pk], since=since, until=until).counts["referred"]

    one = datetime.timedelta(days=1)
    assert count(day, day + one) == 1
    assert count(day - one, day) == 0
    assert count(day + one, tomorrow()) == 0
    Case.objects.filter(pk=case.pk).update(referred_at=midnight - datetime.timedelta(seconds=1))
    assert count(day, day + one) == 0
    assert count(day - one, day) == 1


def test_only_managers_and_the_steering_group_read_the_figures(world: World) -> None:
    steering = make_staff("stuur", world.municipality, world.house, Role.STEERING_MEMBER)
    assert work_figures_for(steering, since=today(), until=tomorrow()).houses == [world.house.name]
    assert work_figures_for(world.manager, since=today(), until=tomorrow()).houses
    for user in (world.police, world.pc, world.ic, world.secretary, world.admin):
        with pytest.raises(NotAllowed):
            work_figures_for(user, since=today(), until=tomorrow())
    with pytest.raises(NotAllowed):
        work_figures_for(
            world.manager, since=today(), until=tomorrow(), house_id=world.other_house.pk
        )


def test_a_period_that_ends_before_it_starts_is_refused_at_the_end_date(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        work_figures_for(world.manager, since=today(), until=today())
    assert refused.value.field == "tot"


AssertNum = Callable[..., Any]


def test_the_number_of_queries_does_not_grow_with_the_cases(
    world: World, django_assert_num_queries: AssertNum
) -> None:
    def call() -> WorkFigures:
        return work_figures_for(world.manager, since=today(), until=tomorrow())

    referred(world)
    call()
    with django_assert_num_queries(15) as captured:
        call()
    few = len(captured.captured_queries)
    closed(world, someone(30))
    declined(world, someone(31))
    purge_run(today=days_later(400))
    active(world, someone(32))
    closed(world, someone(33))
    for _ in range(5):
        referred(world)
    with django_assert_num_queries(few):
        figures = call()
    assert totals(figures)["Aangemeld"] == "10"
