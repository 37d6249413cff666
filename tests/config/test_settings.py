# SPDX-License-Identifier: EUPL-1.2
"""Production settings refuse what only development may do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ketentafel.accounts.models import User
from ketentafel.config.env import CATALOGUE
from tests.conftest import PASSWORD

SETUP = "import django; django.setup(); print('ok')"


# What this test process may carry that a deployment never has: the browser tests allow
# Django's ORM in Playwright's event loop (DJANGO_ALLOW_ASYNC_UNSAFE), which the deploy check
# rightly refuses.
TEST_PROCESS_ONLY = {
    "SECRET_KEY",
    "KETENTAFEL_DEMO",
    "DEBUG",
    "AUDIT_SIGNING_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def clean_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in TEST_PROCESS_ONLY}


def run_with(settings: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = clean_environment()
    environment.update(DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP], env=environment, capture_output=True, text=True, check=False
    )


def test_production_requires_a_secret_key() -> None:
    result = run_with("ketentafel.config.settings.prod")
    assert result.returncode != 0
    assert "Environment variable SECRET_KEY is required" in result.stderr


def test_production_refuses_the_demo_shortcut() -> None:
    result = run_with("ketentafel.config.settings.prod", SECRET_KEY="x" * 60, KETENTAFEL_DEMO="1")
    assert result.returncode != 0
    assert "KETENTAFEL_DEMO cannot be switched on in production settings" in result.stderr


AUDIT_KEY = "Y2ktZHVtbXktYXVkaXQtc2lnbmluZy1rZXktMzJieXQ="


def test_production_requires_an_audit_signing_key() -> None:
    result = run_with("ketentafel.config.settings.prod", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "Environment variable AUDIT_SIGNING_KEY is required" in result.stderr


def test_production_starts_with_a_secret_key_and_an_audit_key() -> None:
    result = run_with(
        "ketentafel.config.settings.prod", SECRET_KEY="x" * 60, AUDIT_SIGNING_KEY=AUDIT_KEY
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_malformed_boolean_is_refused_with_its_name() -> None:
    result = run_with("ketentafel.config.settings.dev", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_every_variable_has_help_text(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("env_help")
    out = capsys.readouterr().out
    assert "DATABASE_URL" in out
    assert all(var.help for var in CATALOGUE.values())


# The environment `make check` gives the production settings.
CHECK_ENV = {
    "SECRET_KEY": "ci-dummy-secret-key-that-is-long-enough-to-pass-the-deploy-check-0123456789",
    "AUDIT_SIGNING_KEY": AUDIT_KEY,
    "ALLOWED_HOSTS": "ketentafel.example.org",
}
COOKIES = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
    "[s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_PATH, "
    "s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_PATH, "
    "s.CSRF_COOKIE_DOMAIN]))"
)


def test_production_cookies_carry_the_host_prefix_and_what_it_requires() -> None:
    environment = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.prod",
    }
    environment.update(CHECK_ENV)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", COOKIES],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "__Host-sessionid", True, "/", None, "__Host-csrftoken", True, "/", None,
    ]  # fmt: skip


def test_the_deploy_check_passes_on_production_settings() -> None:
    environment = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.prod",
    }
    environment.update(CHECK_ENV)
    result = subprocess.run(
        [sys.executable, "-m", "ketentafel", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_host_prefixed_cookies_are_set_as_the_prefix_demands(
    client: Client, make_user: Callable[..., User], settings: Any
) -> None:
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    user = make_user()
    client.get("/login/", secure=True)
    client.post("/login/", {"username": user.username, "password": PASSWORD}, secure=True)
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["path"] == "/", name
        assert cookie["domain"] == "", name
