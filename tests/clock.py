# SPDX-License-Identifier: EUPL-1.2
"""Running the tests at a chosen hour of today, local time.

`.ci/run` runs the tests marked `clock` with `KETENTAFEL_TEST_CLOCK=00:30` and `=23:30`: the
hours when "today", "yesterday", "three hours ago" and "in two minutes" fall on different
dates, so a test that assumes they share one fails there rather than at night in production.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings


@contextmanager
def clock_at(at: str) -> Iterator[None]:
    """Today at `at` ("HH:MM") in the project's time zone, the clock running on from there."""
    hour, minute = (int(part) for part in at.split(":"))
    zone = ZoneInfo(settings.TIME_ZONE)
    today = datetime.datetime.now(zone).date()
    moment = datetime.datetime.combine(today, datetime.time(hour, minute), zone)
    with time_machine.travel(moment, tick=True):
        yield
