# SPDX-License-Identifier: EUPL-1.2
"""Login, the second factor, lockout, idle timeout and deactivation, as a browser sees them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketentafel.accounts.models import User
from ketentafel.accounts.services import user_deactivate
from tests.conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]
Login = Callable[[Client, User], None]


def test_anonymous_visitors_are_sent_to_login(client: Client, mini_region: object) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_health_is_open_and_reports_the_database(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_password_alone_reaches_no_page(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    for path in ["/", "/beheer/", "/convenant/mini-region/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login/tweede-factor/"), path


def test_a_valid_code_opens_the_application(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    response = client.post("/login/tweede-factor/", {"token": current_code(user)})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert "Procesregisseur" in response.text
    assert "Veiligheidshuis Noord" in response.text


def test_a_wrong_code_is_refused_with_a_message(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    wrong = f"{(int(current_code(user)) + 1) % 1_000_000:06d}"
    response = client.post("/login/tweede-factor/", {"token": wrong})
    assert response.status_code == 200
    assert "Deze code is onjuist of verlopen." in response.text
    assert client.get("/").status_code == 302


def test_a_user_without_device_enrols_first(client: Client, make_user: MakeUser) -> None:
    user = make_user(with_device=False)
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    response = client.get("/login/tweede-factor/")
    assert response["Location"] == "/login/tweede-factor/instellen/"
    response = client.get("/login/tweede-factor/instellen/")
    assert response.status_code == 200
    assert "<svg" in response.text
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    device.confirmed = True  # only to compute the code the app would show
    device.save()
    code = current_code(user)
    device.confirmed = False
    device.save()
    response = client.post("/login/tweede-factor/instellen/", {"token": code})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/").status_code == 200


def test_the_demo_code_is_never_shown_outside_demo_settings(
    client: Client, make_user: MakeUser, settings: object
) -> None:
    user = make_user()
    User.objects.filter(pk=user.pk).update(is_demo=True)
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert "demo-code" not in client.get("/login/tweede-factor/").text
    settings.KETENTAFEL_DEMO = True  # type: ignore[attr-defined]
    response = client.get("/login/tweede-factor/")
    assert current_code(user) in response.text


def test_repeated_failures_lock_the_account(client: Client, make_user: MakeUser) -> None:
    user = make_user()
    for _ in range(5):
        response = client.post("/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 429
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.text


def test_an_idle_session_expires(client: Client, make_user: MakeUser, login: Login) -> None:
    user = make_user()
    login(client, user)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_each_request_extends_the_idle_timeout(
    client: Client, make_user: MakeUser, login: Login
) -> None:
    user = make_user()
    login(client, user)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    client.get("/")
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > datetime.timedelta(minutes=29)


def test_deactivation_ends_sessions_at_once(
    client: Client, make_user: MakeUser, login: Login
) -> None:
    user = make_user()
    login(client, user)
    assert client.get("/").status_code == 200
    assert user_deactivate(actor=None, user=user) == 1
    assert not Session.objects.exists()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
