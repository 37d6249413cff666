# SPDX-License-Identifier: EUPL-1.2
"""The login lockout holds a (username, address) pair, trusts proxies only when told, and grows."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from ketentafel.accounts.lockout import cool_off_after
from ketentafel.accounts.models import User
from ketentafel.core.client import client_address
from tests.conftest import PASSWORD

MakeUser = Callable[..., User]

HOUSE = "192.0.2.10"  # everyone in the office, as the application sees them
ELSEWHERE = "198.51.100.20"
PROXY = "10.0.0.2"


def _fail(client: Client, username: str, times: int = 5, **meta: str) -> int:
    status = 0
    for _ in range(times):
        status = client.post("/login/", {"username": username, "password": "wrong"}, **meta)
        status = status.status_code
    return status


def _sign_in(username: str, **meta: str) -> int:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD}, **meta)
    return response.status_code


@pytest.mark.django_db
def test_a_locked_pair_locks_neither_the_account_elsewhere_nor_the_address_for_others(
    client: Client, make_user: MakeUser
) -> None:
    pieter = make_user("pieter")
    make_user("anna")
    assert _fail(client, pieter.username, REMOTE_ADDR=HOUSE) == 429
    assert _sign_in("pieter", REMOTE_ADDR=HOUSE) == 429
    assert _sign_in("pieter", REMOTE_ADDR=ELSEWHERE) == 302
    assert _sign_in("anna", REMOTE_ADDR=HOUSE) == 302


@pytest.mark.django_db
def test_the_forwarded_header_is_ignored_without_trusted_proxies(
    client: Client, make_user: MakeUser
) -> None:
    user = make_user()
    for n in range(5):
        client.post(
            "/login/",
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR=HOUSE,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOUSE}
    assert _sign_in(user.username, REMOTE_ADDR=HOUSE, HTTP_X_FORWARDED_FOR="203.0.113.99") == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_address_it_forwards_counts(
    client: Client, make_user: MakeUser, settings: object
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    user = make_user()
    assert _fail(client, user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=HOUSE) == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOUSE}
    assert _sign_in(user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE) == 302
    # A client cannot hide behind an address it writes itself, left of the proxy's entry.
    spoofed = f"{ELSEWHERE}, {HOUSE}"
    assert _sign_in(user.username, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=spoofed) == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (2, "203.0.113.7", PROXY),
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_address_follows_the_configured_proxy_count(
    settings: object, count: int, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = count  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_cool_off_doubles_past_the_limit_up_to_a_ceiling(settings: object) -> None:
    settings.AXES_FAILURE_LIMIT = 5  # type: ignore[attr-defined]
    settings.LOGIN_LOCKOUT_MINUTES = 15  # type: ignore[attr-defined]
    settings.LOGIN_LOCKOUT_MAX_HOURS = 24  # type: ignore[attr-defined]
    minutes = [cool_off_after(n) / datetime.timedelta(minutes=1) for n in range(4, 12)]
    assert minutes == [15, 15, 30, 60, 120, 240, 480, 960]
    assert cool_off_after(12) == datetime.timedelta(hours=24)
    assert cool_off_after(10_000) == datetime.timedelta(hours=24)


def _lock_lasts(username: str) -> datetime.timedelta:
    attempt = AccessAttempt.objects.select_related("expiration").get(username=username)
    return attempt.expiration.expires_at - attempt.attempt_time


@pytest.mark.django_db
def test_each_failure_during_a_lock_makes_it_last_longer(
    client: Client, make_user: MakeUser
) -> None:
    user = make_user()
    _fail(client, user.username, REMOTE_ADDR=HOUSE)
    assert _lock_lasts(user.username) == datetime.timedelta(minutes=15)
    _fail(client, user.username, times=1, REMOTE_ADDR=HOUSE)
    assert _lock_lasts(user.username) == datetime.timedelta(minutes=30)
    _fail(client, user.username, times=1, REMOTE_ADDR=HOUSE)
    assert _lock_lasts(user.username) == datetime.timedelta(minutes=60)


@pytest.mark.django_db
def test_the_right_password_during_a_lock_counts_as_a_failure(
    client: Client, make_user: MakeUser
) -> None:
    user = make_user()
    _fail(client, user.username, REMOTE_ADDR=HOUSE)
    assert _sign_in(user.username, REMOTE_ADDR=HOUSE) == 429
    assert _lock_lasts(user.username) == datetime.timedelta(minutes=30)


@pytest.mark.django_db
def test_a_lock_expires_after_its_cool_off(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    assert _fail(client, user.username, times=6, REMOTE_ADDR=HOUSE) == 429
    attempt = AccessAttempt.objects.select_related("expiration").get(username=user.username)
    # Move the record back by its own cool-off (30 minutes after six failures), plus a second.
    earlier = datetime.timedelta(minutes=30, seconds=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - earlier)
    attempt.expiration.expires_at -= earlier
    attempt.expiration.save()
    assert _sign_in(user.username, REMOTE_ADDR=HOUSE) == 302


@pytest.mark.django_db
def test_the_audit_log_records_the_address_the_lockout_uses(
    client: Client, make_user: MakeUser, settings: object
) -> None:
    from ketentafel.audit.models import Action as AuditAction
    from ketentafel.audit.models import AuditEvent

    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    user = make_user()
    client.post(
        "/login/",
        {"username": user.username, "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{ELSEWHERE}, {HOUSE}",
    )
    # The failed login's event; creating the user was recorded before it, from no address.
    failed = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED)
    assert list(failed.values_list("ip_address", flat=True)) == [HOUSE]
