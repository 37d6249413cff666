# SPDX-License-Identifier: EUPL-1.2
"""A refusal is in the reader's language: a person who chose English reads a service's error in
English, in the API's problem response and at the field of a screen's form, and the Dutch
reader still reads Dutch."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from ketentafel.accounts.models import User
from tests.cases.conftest import World, api_client
from tests.privacy.conftest import officer  # noqa: F401

pytestmark = pytest.mark.django_db

NOT_AN_ELEVEN_TEST_BSN = "123456789"


def _request(world: World, **fields: str) -> dict[str, object]:
    received = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    return {"house": world.house.pk, "kind": "access", "received_on": received, **fields}


def test_an_api_refusal_is_in_english_for_an_english_reader(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    client = api_client(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        "/api/v1/privacy/requests/",
        _request(world, subject_bsn=NOT_AN_ELEVEN_TEST_BSN),
        format="json",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Invalid input"
    assert problem["detail"] == "This is not a valid BSN (eleven test)."
    assert problem["errors"] == [
        {"field": "subject_bsn", "message": "This is not a valid BSN (eleven test)."}
    ]

    missing = client.get(f"/api/v1/privacy/requests/{uuid.uuid4()}/")
    assert missing.status_code == 404
    assert missing.json()["title"] == "Not found"
    assert missing.json()["detail"] == "This request does not exist."


def test_an_api_refusal_stays_dutch_for_a_dutch_reader(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    response = api_client(officer).post(
        "/api/v1/privacy/requests/",
        _request(world, subject_bsn=NOT_AN_ELEVEN_TEST_BSN),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["title"] == "Ongeldige invoer"
    assert response.json()["detail"] == "Dit is geen geldig BSN (elfproef)."


def test_a_form_shows_the_services_refusal_in_english_at_its_field(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    client = api_client(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post("/privacy/verzoeken/nieuw/", _request(world, subject_surname="Jansen"))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["subject_birth_date"] == ["Searching by name needs the date of birth."]
    assert "Searching by name needs the date of birth." in response.content.decode()
    assert "geboortedatum" not in response.content.decode()
