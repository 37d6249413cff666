# SPDX-License-Identifier: EUPL-1.2
"""Bad input gets a 400 problem naming what is wrong, never a 500, on every JSON endpoint.

The bounds are set once (docs/api.md, "Limits"): the JSON parser refuses deep nesting and long
bodies, every list and text of a request has a maximum the OpenAPI description states, each value
must have the JSON type the description gives it, and a query parameter an operation does not
declare is refused by name. The referral screen refuses more persons than it shows.
"""

from __future__ import annotations

import uuid
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from ketentafel.accounts.models import Role
from ketentafel.audit.models import AuditEvent
from ketentafel.cases.forms import PersonFormSet
from ketentafel.cases.models import Case, Person
from ketentafel.cases.serializers import MAX_PERSONS
from ketentafel.core.api import MAX_BODY_BYTES, MAX_JSON_DEPTH
from ketentafel.core.api_views import declared_query_parameters
from tests.cases.conftest import World, api_client, make_staff, referral, world  # noqa: F401
from tests.cases.flows import active_case
from tests.web.flows import referral_form

pytestmark = pytest.mark.django_db

NESTED = "[" * 200_000


def problem(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()[:2000]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def fields(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body.get("errors", [])]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/cases/"),
        ("post", "/api/v1/privacy/incidents/"),
        ("put", "/api/v1/items/{item}/sharing/"),
    ],
)
def test_deeply_nested_json_is_a_400_not_a_recursion_error(
    world: World,  # noqa: F811
    method: str,
    path: str,
) -> None:
    url = path.format(item=uuid.uuid4())
    client = api_client(world.pc)
    response = getattr(client, method)(
        url, NESTED, content_type="application/json", HTTP_IF_MATCH="*"
    )
    assert "genest" in problem(response)["detail"]


def test_json_nested_beyond_the_bound_is_refused_before_any_serializer(
    world: World,  # noqa: F811
) -> None:
    persons: Any = {"given_names": "Jan"}
    for _ in range(MAX_JSON_DEPTH):
        persons = [persons]
    response = api_client(world.police).post(
        "/api/v1/cases/", referral(world, persons=persons), format="json"
    )
    assert "genest" in problem(response)["detail"]
    assert not Case.objects.exists()


def test_a_body_over_the_size_bound_is_a_413_problem(world: World) -> None:  # noqa: F811
    body = referral(world, problem_statement="x" * (MAX_BODY_BYTES + 1))
    response = api_client(world.police).post("/api/v1/cases/", body, format="json")
    problem(response, 413)
    assert not Case.objects.exists()


def test_a_family_of_five_thousand_is_refused_naming_the_persons(
    world: World,  # noqa: F811
) -> None:
    family = referral(world)["persons"] * 5000
    body = referral(world, subject_kind="family", persons=family)
    client = api_client(world.police)
    before = AuditEvent.objects.count()
    response = client.post("/api/v1/cases/", body, format="json")
    assert fields(problem(response)) == ["persons"]
    assert not Person.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_largest_family_the_schema_allows_is_accepted(world: World) -> None:  # noqa: F811
    person = referral(world)["persons"][0] | {"bsn": ""}
    body = referral(world, subject_kind="family", persons=[person] * MAX_PERSONS)
    response = api_client(world.police).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content.decode()
    assert Person.objects.count() == MAX_PERSONS


def test_an_over_long_text_is_refused_naming_the_field(world: World) -> None:  # noqa: F811
    body = referral(world, problem_statement="x" * 4001)
    response = api_client(world.police).post("/api/v1/cases/", body, format="json")
    assert fields(problem(response)) == ["problem_statement"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"problem_statement": 12}, "problem_statement"),
        ({"house": "1"}, "house"),
        ({"themes": [True]}, "themes[0]"),
        ({"persons": {"given_names": "Jan"}}, "persons"),
        ({"advice_request": 7}, "advice_request"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused_not_converted(
    world: World,  # noqa: F811
    overrides: dict[str, Any],
    field: str,
) -> None:
    response = api_client(world.police).post(
        "/api/v1/cases/", referral(world, **overrides), format="json"
    )
    assert field in fields(problem(response))


def test_an_unknown_query_parameter_is_refused_by_name(world: World) -> None:  # noqa: F811
    client = api_client(world.pc)
    body = problem(client.get("/api/v1/cases/?phase=referred&fase=referred&x=1"))
    assert fields(body) == ["fase", "x"]
    assert problem(client.get("/api/v1/actions/overdue/?format=json"))["errors"][0] == {
        "field": "format",
        "message": "Onbekende queryparameter; zie /api/v1/schema/.",
    }
    assert client.get("/api/v1/cases/?phase=referred&page_size=10").status_code == 200


def test_the_declared_parameters_are_the_ones_the_description_documents() -> None:
    declared = declared_query_parameters()
    assert declared[("/api/v1/cases/", "GET")] == {"cursor", "page_size", "phase"}
    assert declared[("/api/v1/cases/", "POST")] == frozenset()
    assert declared[("/api/v1/privacy/requests/{request_id}/export/", "GET")] == {
        "as",
        "controller",
    }


@pytest.mark.parametrize("query", ["page_size=0", "page_size=201", "page_size=abc", "until="])
def test_a_bad_page_size_or_an_empty_date_is_a_400(world: World, query: str) -> None:  # noqa: F811
    path = "/api/v1/audit/events/" if query.startswith("until") else "/api/v1/cases/"
    officer = world.pc
    if path.startswith("/api/v1/audit"):
        officer = make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER)
    body = problem(api_client(officer).get(f"{path}?{query}"))
    assert fields(body) == [query.split("=")[0]]


def test_an_api_path_no_route_matches_is_a_404_problem(world: World) -> None:  # noqa: F811
    problem(api_client(world.pc).get("/api/v1/cases/not-a-uuid/"), 404)


def test_the_schema_states_the_limits(client: Client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    referral_schema = schema["ReferralInRequest"]["properties"]
    assert referral_schema["persons"]["maxItems"] == MAX_PERSONS
    assert referral_schema["themes"]["maxItems"] == 20
    assert referral_schema["problem_statement"]["maxLength"] == 4000
    assert schema["ItemInRequest"]["properties"]["named_parties"]["maxItems"] == 50
    assert schema["AgendaRecordInRequest"]["properties"]["decisions"]["maxItems"] == 30


def test_the_referral_screen_refuses_more_persons_than_it_shows(
    world: World,  # noqa: F811
) -> None:
    active_case(world)
    before = Case.objects.count()
    data = referral_form(world, subject_kind="family", **{"persons-TOTAL_FORMS": "5000"})
    for index in range(1, 5):
        data |= {
            f"persons-{index}-given_names": f"Kind {index}",
            f"persons-{index}-surname": "van Dijk",
            f"persons-{index}-birth_date": "2015-03-02",
        }
    built: list[int] = []
    full_clean = PersonFormSet.full_clean

    def counting(formset: Any) -> None:
        full_clean(formset)
        built.append(len(formset.forms))

    with mock.patch.object(PersonFormSet, "full_clean", counting):
        response = api_client(world.police).post("/aanmelden/", data)
    assert response.status_code == 400
    assert "Meld hoogstens 3 personen tegelijk aan." in response.content.decode()
    assert Case.objects.count() == before
    # The page's claim of 5,000 forms builds no more forms than the screen shows.
    assert built
    assert max(built) <= 3


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/privacy/disclosures/?since=0001-01-01&until=0002-10-01",
        "/api/v1/privacy/incidents/report/?since=0001-01-01&until=2000-01-01",
    ],
)
def test_a_date_outside_the_calendar_of_the_domain_is_a_400_not_an_overflow(
    world: World,  # noqa: F811
    path: str,
) -> None:
    """Found by the conformance test: year 1 at local midnight lies before the first UTC day."""
    officer = make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER)
    assert fields(problem(api_client(officer).get(path)))[0] == "since"


def test_an_accept_header_without_json_is_a_declared_406_problem(
    world: World,  # noqa: F811
) -> None:
    response = api_client(world.pc).get("/api/v1/cases/", HTTP_ACCEPT="text/html")
    problem(response, 406)
