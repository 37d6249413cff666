# SPDX-License-Identifier: EUPL-1.2
"""The clock `.ci/run` sets for the tests marked `clock` stands where it is asked to."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.clock import clock_at


@pytest.mark.clock
@pytest.mark.parametrize(("at", "hour", "minute"), [("00:30", 0, 30), ("23:30", 23, 30)])
def test_the_clock_starts_today_at_the_local_hour_asked(at: str, hour: int, minute: int) -> None:
    today = timezone.localdate()
    with clock_at(at):
        now = timezone.localtime()
        later = timezone.localtime()
    assert (now.hour, now.minute) == (hour, minute)
    assert later >= now  # it runs on
    # Today's date, except when the real clock passed midnight during the test.
    assert now.date() in (today, timezone.localdate())
