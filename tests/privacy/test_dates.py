# SPDX-License-Identifier: EUPL-1.2
"""Deadlines of data-subject requests (AVG art. 12(3))."""

from __future__ import annotations

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketentafel.privacy.dates import add_months
from ketentafel.privacy.models import DataSubjectRequest


@pytest.mark.parametrize(
    ("received", "one_month", "three_months"),
    [
        (datetime.date(2025, 1, 31), datetime.date(2025, 2, 28), datetime.date(2025, 4, 30)),
        (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29), datetime.date(2024, 4, 30)),
        (datetime.date(2024, 1, 29), datetime.date(2024, 2, 29), datetime.date(2024, 4, 29)),
        (datetime.date(2023, 1, 29), datetime.date(2023, 2, 28), datetime.date(2023, 4, 29)),
        (datetime.date(2024, 2, 29), datetime.date(2024, 3, 29), datetime.date(2024, 5, 29)),
        (datetime.date(2024, 3, 31), datetime.date(2024, 4, 30), datetime.date(2024, 6, 30)),
        (datetime.date(2024, 11, 30), datetime.date(2024, 12, 30), datetime.date(2025, 2, 28)),
        (datetime.date(2023, 11, 30), datetime.date(2023, 12, 30), datetime.date(2024, 2, 29)),
        (datetime.date(2024, 12, 31), datetime.date(2025, 1, 31), datetime.date(2025, 3, 31)),
        (datetime.date(2025, 6, 15), datetime.date(2025, 7, 15), datetime.date(2025, 9, 15)),
    ],
)
def test_explicit_month_ends_and_leap_years(
    received: datetime.date, one_month: datetime.date, three_months: datetime.date
) -> None:
    assert add_months(received, 1) == one_month
    assert add_months(received, 3) == three_months
    request = DataSubjectRequest(received_on=received)
    assert request.due_on == one_month
    request.extended_to = add_months(received, 3)
    assert request.due_on == three_months


@given(
    st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2200, 12, 31)),
    st.integers(min_value=0, max_value=36),
)
def test_a_month_later_is_the_same_day_or_the_last_day_of_that_month(
    start: datetime.date, months: int
) -> None:
    due = add_months(start, months)
    assert (due.year * 12 + due.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(due.year, due.month)[1]
    if start.day <= last:
        assert due.day == start.day
    else:
        assert due.day == last
    assert due >= start


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2200, 12, 31)))
def test_one_month_is_28_to_31_days_and_never_skips_a_month(start: datetime.date) -> None:
    due = add_months(start, 1)
    assert 28 <= (due - start).days <= 31
    assert add_months(start, 3) >= due
