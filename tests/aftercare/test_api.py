# SPDX-License-Identifier: EUPL-1.2
"""The nazorg API: a detention notification posted, the basic conditions read and set, and
problem responses naming the field at fault."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ketentafel.aftercare.models import BasicConditionStatus
from ketentafel.cases.models import Case
from ketentafel.cases.services import intake_start
from tests.aftercare.conftest import Nazorg, days_ago, nazorg, world
from tests.cases.conftest import api_client

__all__ = ["nazorg", "world"]

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def notification_body(nazorg: Nazorg, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person": {
            "given_names": "Karim",
            "surname": "Voorbeeld-Nazorg",
            "birth_date": "1988-03-09",
            "bsn": "123456782",
        },
        "institution": "PI Arnhem",
        "detention_start": days_ago(60).isoformat(),
        "expected_release": timezone.localdate().isoformat(),
        "municipality": nazorg.world.municipality.pk,
    }
    body.update(overrides)
    return body


def test_a_notification_and_the_lights_round_trip_through_the_api(nazorg: Nazorg) -> None:
    world = nazorg.world
    posted = api_client(nazorg.dji).post(
        "/api/v1/detention-notifications/", notification_body(nazorg), format="json"
    )
    assert posted.status_code == 201, posted.content
    body = posted.json()
    assert (body["house"], body["phase"], body["institution"]) == (
        world.house.pk,
        "referred",
        "PI Arnhem",
    )
    assert body["detention_end"] is None
    case_id = body["case"]
    intake_start(actor=world.pc, case_id=case_id, information_coordinator_id=world.ic.pk)

    ic = api_client(world.ic)
    url = f"/api/v1/cases/{case_id}/basic-conditions/"
    start = ic.get(url)
    assert start.status_code == 200, start.content
    assert [c["status"] for c in start.json()["current"]] == ["unknown"] * 5
    assert start.json()["notification"]["id"] == body["id"]

    set_light = ic.post(
        url,
        {"condition": "debts", "status": "orange", "note": "Schuldhulp aangevraagd"},
        format="json",
    )
    assert set_light.status_code == 201, set_light.content
    assert (set_light.json()["set_by"], set_light.json()["set_by_name"]) == (
        world.ic.pk,
        world.ic.get_full_name(),
    )
    now = api_client(world.pc).get(url).json()
    current = {c["condition"]: c for c in now["current"]}
    assert (current["debts"]["status"], current["debts"]["set_by"]) == ("orange", world.ic.pk)
    assert current["care"]["set_by"] is None
    assert [h["id"] for h in now["history"]] == [set_light.json()["id"]]


def test_bad_input_is_a_problem_naming_the_field(nazorg: Nazorg) -> None:
    dji = api_client(nazorg.dji)
    wrong = dji.post(
        "/api/v1/detention-notifications/",
        notification_body(nazorg, expected_release=days_ago(90).isoformat()),
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong["Content-Type"].startswith("application/problem+json")
    assert [e["field"] for e in wrong.json()["errors"]] == ["expected_release"]
    assert not Case.objects.exists()

    partner = api_client(nazorg.world.police).post(
        "/api/v1/detention-notifications/", notification_body(nazorg), format="json"
    )
    assert partner.status_code == 403
    assert partner["Content-Type"].startswith("application/problem+json")


def test_a_partner_cannot_set_a_light(nazorg: Nazorg) -> None:
    world = nazorg.world
    posted = api_client(nazorg.dji).post(
        "/api/v1/detention-notifications/", notification_body(nazorg), format="json"
    )
    case_id = posted.json()["case"]
    intake_start(actor=world.pc, case_id=case_id, information_coordinator_id=world.ic.pk)
    url = f"/api/v1/cases/{case_id}/basic-conditions/"
    refused = api_client(nazorg.dji).post(
        url, {"condition": "care", "status": "red"}, format="json"
    )
    assert refused.status_code == 403
    unseen = api_client(world.probation).get(url)
    assert unseen.status_code == 404
    bad = api_client(world.pc).post(url, {"condition": "care", "status": "blue"}, format="json")
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["status"]
    assert not BasicConditionStatus.objects.exists()
