# SPDX-License-Identifier: EUPL-1.2
"""How long a (username, address) pair waits after repeated failed logins (django-axes).

A lock always expires, and it lasts longer the more an attacker keeps trying: the cool-off
doubles with every failure past the limit, up to a ceiling (ASVS 6.3.1). Locks are kept per
combination of account name and client address, so guessing at one account from one address
locks neither the account for its owner elsewhere nor the colleagues behind the same address.
"""

from __future__ import annotations

import datetime

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from ketentafel.core.client import client_address


def cool_off_after(failures: int) -> datetime.timedelta:
    """The cool-off once `failures` consecutive failures are on record for a pair."""
    base = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    ceiling = datetime.timedelta(hours=settings.LOGIN_LOCKOUT_MAX_HOURS)
    beyond = max(0, failures - settings.AXES_FAILURE_LIMIT)
    # Past ~20 doublings any base exceeds every sensible ceiling; cap the exponent.
    grown: datetime.timedelta = base * 2 ** min(beyond, 20)
    return min(grown, ceiling)


def cool_off(request: HttpRequest | None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: the cool-off for the pair this request speaks for."""
    if request is None:
        return cool_off_after(0)
    username = get_client_username(request)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    failures = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return cool_off_after(failures or 0)
