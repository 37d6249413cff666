# SPDX-License-Identifier: EUPL-1.2
"""Only privacy officers read the log, each within its scope; reading is itself audited."""

from __future__ import annotations

import pytest

from ketentafel.accounts.models import Role
from ketentafel.audit.models import Action, AuditEvent, Result
from ketentafel.cases.models import Person
from ketentafel.information.models import Sharing
from tests.cases.conftest import World, api_client, make_staff, world  # noqa: F401
from tests.cases.flows import accepted, supply

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(world: World) -> dict[str, object]:  # noqa: F811
    return {
        # Employed by gemeente Arnhem, which manages the Arnhem house: the house's officer.
        "house": make_staff("po-house", world.municipality, world.house, Role.PRIVACY_OFFICER),
        "police": make_staff(
            "po-police", world.party["politie-oost-nederland"], world.house, Role.PRIVACY_OFFICER
        ),
        "housing": make_staff(
            "po-housing", world.party["vivare"], world.house, Role.PRIVACY_OFFICER
        ),
    }


def _case_with_items(world: World) -> tuple[str, str]:  # noqa: F811
    case = accepted(world)
    supply(world, case, world.police, Sharing.COORDINATION)
    world.api(world.pc).get(f"/api/v1/cases/{case.pk}/items/")
    person = Person.objects.get(case=case)
    return str(case.pk), str(person.pk)


def test_the_house_officer_sees_every_access_to_a_person(
    world: World,  # noqa: F811
    officers: dict[str, object],
) -> None:
    case_id, person_id = _case_with_items(world)
    client = api_client(officers["house"])  # type: ignore[arg-type]

    response = client.get(f"/api/v1/audit/persons/{person_id}/accesses/")

    assert response.status_code == 200
    lines = response.json()
    actors = {line["actor_name"] for line in lines}
    assert {"Police Test", "Pc Test", "Ic Test", "Manager Test"} <= actors
    assert all(line["case_id"] == case_id for line in lines)
    assert "Jan" not in response.content.decode()
    assert "111222333" not in response.content.decode()
    read = AuditEvent.objects.filter(object_type="access_report").get()
    assert read.actor_id == officers["house"].pk  # type: ignore[attr-defined]
    assert read.person_ids == [person_id]


def test_a_party_officer_sees_its_own_users_and_its_own_supplied_data(
    world: World,  # noqa: F811
    officers: dict[str, object],
) -> None:
    case_id, _person_id = _case_with_items(world)

    police = api_client(officers["police"]).get(  # type: ignore[arg-type]
        "/api/v1/audit/events/", {"case": case_id}
    )
    housing = api_client(officers["housing"]).get(  # type: ignore[arg-type]
        "/api/v1/audit/events/", {"case": case_id}
    )

    assert police.status_code == housing.status_code == 200
    police_events = police.json()["results"]
    police_party = world.party["politie-oost-nederland"].pk
    assert police_events
    assert all(
        e["actor_party_id"] == police_party or police_party in e["data_party_ids"]
        for e in police_events
    )
    # The coordinator's dossier read returned the police item: police's officer sees it.
    assert any(e["actor_id"] == world.pc.pk and e["action"] == "search" for e in police_events)
    assert housing.json()["results"] == []


def test_search_by_person_user_and_period(world: World, officers: dict[str, object]) -> None:  # noqa: F811
    _case_id, person_id = _case_with_items(world)
    client = api_client(officers["house"])  # type: ignore[arg-type]

    by_person = client.get("/api/v1/audit/events/", {"person": person_id}).json()["results"]
    by_user = client.get("/api/v1/audit/events/", {"user": world.police.pk}).json()["results"]
    future = client.get("/api/v1/audit/events/", {"since": "2999-01-01T00:00:00Z"}).json()

    assert by_person
    assert all(person_id in e["person_ids"] for e in by_person)
    assert by_user
    assert all(e["actor_id"] == world.police.pk for e in by_user)
    assert future["results"] == []


def test_reading_the_log_is_itself_an_event(world: World, officers: dict[str, object]) -> None:  # noqa: F811
    _case_with_items(world)
    client = api_client(officers["house"])  # type: ignore[arg-type]
    page = client.get("/api/v1/audit/events/").json()["results"]
    read = AuditEvent.objects.filter(object_type="auditevent").latest("seq")
    assert read.action == Action.SEARCH
    assert read.object_ids == [str(e["seq"]) for e in page]


@pytest.mark.parametrize("who", ["pc", "ic", "police", "admin", "manager"])
def test_nobody_else_reads_the_log(world: World, who: str) -> None:  # noqa: F811
    _case_with_items(world)
    client = api_client(getattr(world, who))
    for url in (
        "/api/v1/audit/events/",
        f"/api/v1/audit/persons/{Person.objects.get().pk}/accesses/",
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
    denied = AuditEvent.objects.filter(result=Result.DENIED, actor_id=getattr(world, who).pk)
    assert denied.count() == 2


def test_bad_search_input_is_a_problem_naming_the_field(
    world: World,  # noqa: F811
    officers: dict[str, object],
) -> None:
    client = api_client(officers["house"])  # type: ignore[arg-type]
    for query, field in (
        ({"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "until"),
        ({"person": "Jan de Vries"}, "person"),
        ({"action": "peek"}, "action"),
    ):
        response = client.get("/api/v1/audit/events/", query)
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == [field]
