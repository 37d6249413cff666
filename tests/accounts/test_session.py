# SPDX-License-Identifier: EUPL-1.2
"""Where signing in leads, the session key after the second factor, and the session lifetime."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from ketentafel.accounts import middleware
from ketentafel.accounts.models import User
from ketentafel.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD, current_code

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

MakeUser = Callable[..., User]
Login = Callable[[Client, User], None]

OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "https:evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_second_factor_never_leads_off_the_site(
    client: Client, make_user: MakeUser, target: str
) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    response = client.post(f"/login/tweede-factor/?next={target}", {"token": current_code(user)})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_second_factor_follows_a_path_of_this_site(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    response = client.post(
        "/login/tweede-factor/?next=/convenant/mini-region/", {"token": current_code(user)}
    )
    assert response["Location"] == "/convenant/mini-region/"


def test_under_https_the_second_factor_refuses_a_plain_http_address(
    client: Client, make_user: MakeUser
) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD}, secure=True)
    response = client.post(
        "/login/tweede-factor/?next=http://testserver/convenant/mini-region/",
        {"token": current_code(user)},
        secure=True,
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_password_step_and_logout_never_lead_off_the_site(
    client: Client, make_user: MakeUser, target: str
) -> None:
    user = make_user()
    response = client.post(
        "/login/", {"username": user.username, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    response = client.post("/logout/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/login/"


def test_the_second_factor_gives_the_session_a_new_key(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    before = client.session.session_key
    client.post("/login/tweede-factor/", {"token": current_code(user)})
    after = client.session.session_key
    assert after != before
    assert client.get("/").status_code == 200
    client.cookies["sessionid"] = before  # the key from before the second factor is dead
    assert client.get("/").status_code == 302


SIGNED_IN = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def _clock(monkeypatch: pytest.MonkeyPatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(middleware, "now", lambda: moment)


def test_a_session_ends_at_its_lifetime_however_active(
    client: Client, make_user: MakeUser, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user()
    _clock(monkeypatch, SIGNED_IN)
    login(client, user)
    _clock(monkeypatch, SIGNED_IN + datetime.timedelta(hours=11, minutes=59))
    assert client.get("/").status_code == 200

    _clock(monkeypatch, SIGNED_IN + datetime.timedelta(hours=12))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302  # the session is gone, not only this request
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None
    assert (last.action, last.actor_id, last.reason) == (
        Action.LOGOUT,
        user.pk,
        "logout: session_lifetime",
    )


def test_the_lifetime_is_configurable(
    client: Client,
    make_user: MakeUser,
    login: Login,
    monkeypatch: pytest.MonkeyPatch,
    settings: object,
) -> None:
    settings.SESSION_LIFETIME_HOURS = 2  # type: ignore[attr-defined]
    user = make_user()
    _clock(monkeypatch, SIGNED_IN)
    login(client, user)
    _clock(monkeypatch, SIGNED_IN + datetime.timedelta(hours=2))
    assert client.get("/").status_code == 302


def test_the_api_answers_an_expired_session_as_anonymous(
    client: Client, make_user: MakeUser, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user()
    _clock(monkeypatch, SIGNED_IN)
    login(client, user)
    _clock(monkeypatch, SIGNED_IN + datetime.timedelta(hours=13))
    response = client.get("/api/v1/cases/")
    assert response.status_code in {401, 403}
    assert response["Content-Type"].startswith("application/problem+json")
