# SPDX-License-Identifier: EUPL-1.2
"""The API as a partner system meets it: its description, and the doors that stay shut."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from ketentafel.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_openapi_description_generates_without_warnings() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in [
        "/api/v1/cases/",
        "/api/v1/cases/{case_id}/items/",
        "/api/v1/items/{item_id}/sharing/",
        "/api/v1/meetings/{meeting_id}/hold/",
        "/api/v1/cases/{case_id}/closure/",
    ]:
        assert path in schema


def test_the_schema_is_served(client: Client) -> None:
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"Ketentafel API" in response.content


def test_anonymous_calls_get_a_401_problem(client: Client) -> None:
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_password_without_second_factor_gets_no_data(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    response = client.get("/api/v1/cases/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/problem+json")
