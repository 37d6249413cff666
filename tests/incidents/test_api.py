# SPDX-License-Identifier: EUPL-1.2
"""Security incidents: the 72-hour clock, decisions and notifications, the steering report."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import AuditEvent
from ketentafel.incidents.models import SecurityIncident
from tests.cases.conftest import World, make_staff

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

BASE = "/api/v1/privacy/incidents/"


def ok(response, code: int = 200):  # type: ignore[no-untyped-def]
    assert response.status_code == code, response.content.decode()
    return response.json()


def register(world: World, officer: User, hours_ago: float, **extra: object) -> dict[str, object]:
    body = {
        "house": world.house.pk,
        "discovered_at": (timezone.now() - datetime.timedelta(hours=hours_ago)).isoformat(),
        "description": "Verslag MDO naar verkeerde ontvanger gemaild.",
        "people_affected": 3,
        "data_categories": ["ordinary", "justice"],
        **extra,
    }
    return ok(world.api(officer).post(BASE, body, format="json"), 201)  # type: ignore[no-any-return]


def test_the_clock_counts_down_and_the_incident_runs_to_closure(
    world: World, officer: User
) -> None:
    api = world.api(officer)
    incident = register(world, officer, hours_ago=10)
    remaining = incident["seconds_remaining"]
    assert isinstance(remaining, int)
    assert 61 * 3600 < remaining <= 62 * 3600
    url = f"{BASE}{incident['id']}/"

    assert api.post(f"{url}close/", HTTP_IF_MATCH='"1"').status_code == 409  # no decision yet
    ok(
        api.post(
            f"{url}decision/",
            {"must_notify_authority": True, "reason": "Justitiële gegevens; risico."},
            format="json",
            HTTP_IF_MATCH='"1"',
        )
    )
    assert api.post(f"{url}close/", HTTP_IF_MATCH='"2"').status_code == 409  # not yet notified
    ok(
        api.post(
            f"{url}entries/",
            {"kind": "measure", "text": "Ontvanger verzocht te wissen."},
            format="json",
        )
    )
    notified = ok(
        api.post(
            f"{url}notifications/",
            {
                "recipient": "authority",
                "notified_at": timezone.now().isoformat(),
                "reference": "AP-2026-1",
            },
            format="json",
            HTTP_IF_MATCH='"2"',
        )
    )
    assert notified["seconds_remaining"] is None
    assert notified["notified_in_time"] is True
    assert [e["kind"] for e in notified["entries"]] == ["decision", "measure", "notification"]
    # An entry in the log is no change of the incident's state: the version stays.
    closed = ok(api.post(f"{url}close/", HTTP_IF_MATCH=f'"{notified["version"]}"'))
    assert closed["status"] == "closed"
    assert (
        api.post(f"{url}entries/", {"kind": "note", "text": "Nog iets"}, format="json").status_code
        == 409
    )


def test_a_late_incident_shows_negative_time(world: World, officer: User) -> None:
    incident = register(world, officer, hours_ago=80)
    assert incident["seconds_remaining"] < -7 * 3600  # type: ignore[operator]


def test_bad_incident_input_names_the_field(world: World, officer: User) -> None:
    api = world.api(officer)
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    for body, field in [
        ({"discovered_at": future}, "discovered_at"),
        ({"data_categories": ["gossip"]}, "data_categories[0]"),
        ({"people_affected": -1}, "people_affected"),
        ({"description": ""}, "description"),
    ]:
        data = {
            "house": world.house.pk,
            "discovered_at": timezone.now().isoformat(),
            "description": "Laptop kwijt.",
            "people_affected": 1,
            "data_categories": [],
            **body,
        }
        response = api.post(BASE, data, format="json")
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["field"] == field
    assert not SecurityIncident.objects.exists()


def test_only_the_houses_privacy_officers_handle_incidents(world: World, officer: User) -> None:
    incident = register(world, officer, hours_ago=1)
    for user in (world.pc, world.police, world.manager):
        api = world.api(user)
        assert api.get(BASE).status_code == 403
        assert api.get(f"{BASE}{incident['id']}/").status_code in {403, 404}
        data = {
            "house": world.house.pk,
            "discovered_at": timezone.now().isoformat(),
            "description": "x",
            "people_affected": 1,
            "data_categories": [],
        }
        assert api.post(BASE, data, format="json").status_code == 403
    other = make_staff("po-ede", world.municipality, world.other_house, Role.PRIVACY_OFFICER)
    assert world.api(other).get(f"{BASE}{incident['id']}/").status_code == 404


def test_the_steering_report_counts_without_personal_data(world: World, officer: User) -> None:
    register(world, officer, hours_ago=2, people_affected=5, description="Naam Jansen in mail")
    late = register(world, officer, hours_ago=100, data_categories=["special"])
    api = world.api(officer)
    ok(
        api.post(
            f"{BASE}{late['id']}/notifications/",
            {"recipient": "authority", "notified_at": timezone.now().isoformat()},
            format="json",
            HTTP_IF_MATCH=f'"{late["version"]}"',
        )
    )
    today = timezone.localdate()
    period = (
        f"since={(today - datetime.timedelta(days=30)).isoformat()}"
        f"&until={(today + datetime.timedelta(days=1)).isoformat()}"
    )
    for reader in (officer, world.manager):
        report = ok(world.api(reader).get(f"{BASE}report/?{period}"))
        assert report["total"] == 2
        assert report["people_affected"] == 8
        assert report["by_category"] == {"justice": 1, "ordinary": 1, "special": 1}
        assert report["notified_late"] == 1
        assert report["undecided"] == 1
        assert "Jansen" not in str(report)
    assert world.api(world.police).get(f"{BASE}report/?{period}").status_code == 403
    bad = api.get(f"{BASE}report/?since={today.isoformat()}&until={today.isoformat()}")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "until"
    assert AuditEvent.objects.filter(object_type="incident_report").count() == 2


def test_decisions_and_notifications_are_not_free_entries(world: World, officer: User) -> None:
    incident = register(world, officer, hours_ago=1)
    api = world.api(officer)
    url = f"{BASE}{incident['id']}/"
    response = api.post(
        f"{url}entries/", {"kind": "decision", "text": "Niet melden"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "kind"
    early = api.post(
        f"{url}notifications/",
        {
            "recipient": "authority",
            "notified_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        },
        format="json",
        HTTP_IF_MATCH=f'"{incident["version"]}"',
    )
    assert early.status_code == 400
    assert early.json()["errors"][0]["field"] == "notified_at"
    assert ok(api.get(url))["entries"] == []
