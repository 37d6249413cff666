# SPDX-License-Identifier: EUPL-1.2
"""Production settings refuse what only development may do."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from ketentafel.config.env import CATALOGUE

SETUP = "import django; django.setup(); print('ok')"


def run_with(settings: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "KETENTAFEL_DEMO", "DEBUG", "AUDIT_SIGNING_KEY"}
    }
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
