# SPDX-License-Identifier: EUPL-1.2
"""Periods in months, as the AVG counts them.

A period of months ends on the same day of the month as the day it runs from; when the last
month has no such day (31 January plus one month), it ends on that month's last day
(Regulation 1182/71 art. 3(2)(c), which governs periods in EU law such as AVG art. 12(3)).
The regulation's shift past weekends and holidays is not applied: the earlier date is the
safe one to work towards.
"""

from __future__ import annotations

import calendar
import datetime


def add_months(start: datetime.date, months: int) -> datetime.date:
    """`start` plus `months` calendar months, clamped to the last day of the target month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)
