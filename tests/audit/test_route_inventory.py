# SPDX-License-Identifier: EUPL-1.2
"""Every route that handles personal data leaves an audit event (NEN 7513; ASVS 16.3).

The test walks every URL route of the project. A route is either declared free of personal
data below, with the reason, or it must be exercised by the API flows of the process tests:
each of its methods answered with success at least once, and every successful call appended
at least one event; then the same reads by an outsider must be refused and leave a denial.
A new route that is neither declared nor exercised fails this test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from ketentafel.accounts.models import Role
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.cases.models import Person
from ketentafel.information.models import InformationItem, Sharing
from tests.cases import test_process_api as process
from tests.cases.conftest import World, api_client, make_staff, world  # noqa: F401
from tests.cases.flows import active_case, in_enrichment, supply
from tests.information import test_pre_meeting_reading as pre_meeting
from tests.privacy.flows import privacy_flow
from tests.privacy.screen_flows import privacy_screen_flow
from tests.regions.flows import ijsselland_decisions_flow
from tests.web.advice_flows import advice_flow
from tests.web.flows import screen_flow

pytestmark = pytest.mark.django_db

#: Routes that never return or change personal data of the people a house works on.
NO_PERSONAL_DATA = {
    "api:schema": "the OpenAPI description",
    "api:meeting-list": "meetings: body, date, place and status; no case or person",
    "core:health": "readiness check (alias of core:health_ready)",
    "core:health_live": "liveness: the process answers; touches nothing",
    "core:health_ready": "readiness: database and task queue state, no data",
    "covenants:home": "the signed-in user's own party, houses and roles",
    "covenants:covenant": "covenant configuration: houses, bodies, parties, tracks",
    "accounts:login": "signing in; audited as login events (tests/accounts)",
    "accounts:logout": "signing out; audited as a logout event (tests/accounts)",
    "accounts:verify": "second factor; audited as login events (tests/accounts)",
    "accounts:setup": "enrolling a second factor; audited as a login event",
    "accounts:role-confirm": "staff awaiting a role in the reader's houses; no case subject",
    "accounts:role-decide": "confirming a staff role; audited by accounts.services",
    "set_language": "the interface language",
    "desk:overview": "a manager's counts per house and phase; no person, no case content",
    "reporting:figures": (
        "management information: counts and median lead times per house, small numbers "
        "suppressed (<5); no person, no case id, no case content, also in the CSV/XLSX"
    ),
}
#: Screens whose GET shows only an empty form or meeting dates (no personal data); what they
#: send (POST) is audited like every other route.
GET_WITHOUT_PERSONAL_DATA = {
    "cases:refer": "the empty referral form: houses, tracks, municipalities, themes",
    "meetings:list": "meetings: body, date, place and status, and the scheduling form",
    "audit:search": "the empty search form of the audit log; the search itself is a POST",
    "privacy:request-register": "the empty form for a data-subject request: the officer's houses",
    "incidents:register": "the empty form for a security incident: the officer's houses",
    "meetings:agenda-item-decide": "a redirect to the agenda item; the decision is a POST",
    "aftercare:notify": "the empty detention notification form: houses, DJI parties, gemeenten",
}
#: Django admin: functional administrators manage users and configuration, no case content.
NO_PERSONAL_DATA_NAMESPACES = {"admin"}


def _route_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _route_names(pattern.url_patterns, (inner or namespace or "").strip(":"))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def all_routes() -> set[str]:
    return set(_route_names(get_resolver().url_patterns))


@dataclass
class Call:
    route: str
    method: str
    path: str
    status: int
    new_events: int


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[Call]:
    calls: list[Call] = []
    original: Callable[..., Any] = APIClient.request

    def request(self: APIClient, **kwargs: Any) -> Any:
        before = AuditEvent.objects.count()
        response = original(self, **kwargs)
        match = response.resolver_match
        calls.append(
            Call(
                route=match.view_name if match else "?",
                method=kwargs["REQUEST_METHOD"],
                path=kwargs["PATH_INFO"],
                status=response.status_code,
                new_events=AuditEvent.objects.count() - before,
            )
        )
        return response

    monkeypatch.setattr(APIClient, "request", request)
    return calls


def _isolated(flow: Callable[[], None]) -> None:
    """Run a flow and undo what it stored, so the next flow starts from the same world."""
    with transaction.atomic():
        flow()
        transaction.set_rollback(True)


def _information_flows(world: World) -> None:  # noqa: F811
    """Routes the main process test leaves out: declining, consent, disclosure, reading logs."""
    case = in_enrichment(world)
    ic, police = world.api(world.ic), world.api(world.police)
    request = ic.post(
        f"/api/v1/cases/{case.pk}/information-requests/",
        {
            "party": world.party["vivare"].pk,
            "question": "Is er een huurachterstand?",
            "reason": "Voorbereiding triage",
            "deadline": process.future(),
        },
        format="json",
    )
    assert request.status_code == 201, request.content
    invited = world.api(world.pc).post(
        f"/api/v1/cases/{case.pk}/parties/",
        {
            "party": world.party["vivare"].pk,
            "role": "Verhuurder",
            "information_need": "Huurgedrag en overlastmeldingen",
        },
        format="json",
    )
    assert invited.status_code == 201, invited.content
    housing = world.api(world.housing)
    assert housing.get("/api/v1/information-requests/").status_code == 200
    declined = housing.post(
        f"/api/v1/information-requests/{request.json()['id']}/decline/",
        {"note": "Geen huurder bij ons."},
        format="json",
        HTTP_IF_MATCH=f'"{request.json()["version"]}"',
    )
    assert declined.status_code == 200, declined.content
    item_id = supply(world, case, world.police, Sharing.COORDINATION)
    assert police.get(f"/api/v1/items/{item_id}/").status_code == 200
    consent = police.post(
        f"/api/v1/items/{item_id}/consents/",
        {
            "recipient": "Advocaat van betrokkene",
            "purpose": "Verweer in de strafzaak",
            "written_reference": "Brief 2026-117",
        },
        format="json",
    )
    assert consent.status_code == 201, consent.content
    disclosed = police.post(
        "/api/v1/disclosures/", {"consent": consent.json()["id"]}, format="json"
    )
    assert disclosed.status_code == 201, disclosed.content

    officer = api_client(make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER))
    person = Person.objects.filter(case=case).get()
    assert officer.get("/api/v1/audit/events/").status_code == 200
    assert officer.get(f"/api/v1/audit/persons/{person.pk}/accesses/").status_code == 200


def _assessment_flow(world: World) -> None:  # noqa: F811
    """The process coordinator's assessment of pre-meeting reading (art. 13.2d) on its screen."""
    the_test = pre_meeting.test_the_assessment_screen_shows_both_keys_and_records_the_coordinator_s
    the_test(world)


def _aftercare_flow(world: World) -> None:  # noqa: F811
    """Nazorg: DJI's notification on the screen and in the API, the traffic light set on the
    case page and read and set in the API."""
    from tests.aftercare.conftest import PERSON
    from tests.factories import UserFactory

    dji = api_client(
        UserFactory(
            username="dji-flow",
            party=world.party["dji-gelderland"],
            roles=[(world.house, Role.PARTNER_PROFESSIONAL)],
        )
    )
    person = {
        "given_names": PERSON.given_names,
        "surname": PERSON.surname,
        "birth_date": PERSON.birth_date.isoformat(),
        "bsn": PERSON.bsn,
    }
    dates = {"detention_start": "2020-01-06", "expected_release": "2021-01-06"}
    assert dji.get("/nazorg/detentiemelding/").status_code == 200
    screen = dji.post(
        "/nazorg/detentiemelding/",
        {**person, **dates, "institution": "PI Arnhem", "municipality": world.municipality.pk},
    )
    assert screen.status_code == 302, screen.content
    posted = dji.post(
        "/api/v1/detention-notifications/",
        {
            "person": person,
            **dates,
            "institution": "PI Arnhem",
            "municipality": world.municipality.pk,
        },
        format="json",
    )
    assert posted.status_code == 201, posted.content
    case_id = posted.json()["case"]
    pc = world.api(world.pc)
    intake = pc.post(
        f"/api/v1/cases/{case_id}/intake/", {"information_coordinator": world.ic.pk}, format="json"
    )
    assert intake.status_code == 200, intake.content
    light = {"condition": "housing", "status": "red", "note": "Geen woning"}
    assert pc.post(f"/casussen/{case_id}/basisvoorwaarden/", light).status_code == 302
    url = f"/api/v1/cases/{case_id}/basic-conditions/"
    assert pc.post(url, light, format="json").status_code == 201
    assert pc.get(url).status_code == 200


def _implemented_methods(route: str, calls: list[Call]) -> set[str]:
    from django.urls import resolve

    path = next(c.path for c in calls if c.route == route)
    view = resolve(path).func.view_class  # type: ignore[attr-defined]
    return {m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}


def test_every_personal_data_route_is_audited(world: World, recorded: list[Call]) -> None:  # noqa: F811
    for flow in (
        process.test_a_case_from_referral_to_closure,
        process.test_already_known_shows_where_but_not_what,
        process.test_advice_request_handled_locally_or_referred,
        process.test_overdue_actions_are_listed_for_the_owner_party,
        _information_flows,
        _aftercare_flow,
        privacy_flow,
        privacy_screen_flow,
        screen_flow,
        advice_flow,
        ijsselland_decisions_flow,
        _assessment_flow,
    ):
        _isolated(lambda flow=flow: flow(world))

    routes = {
        r
        for r in all_routes()
        if r not in NO_PERSONAL_DATA and r.split(":")[0] not in NO_PERSONAL_DATA_NAMESPACES
    }
    exercised = {c.route for c in recorded}
    assert routes - exercised == set(), "routes neither declared nor exercised"

    for route in sorted(routes):
        # A screen answers a successful form with a redirect (303/302), the API with 2xx.
        succeeded = {c.method for c in recorded if c.route == route and c.status < 400}
        missing = _implemented_methods(route, recorded) - succeeded
        assert not missing, f"{route}: {missing} never answered with success in the flows"

    silent = [
        c
        for c in recorded
        if c.route in routes
        and c.status < 400
        and c.new_events == 0
        and not (c.method == "GET" and c.route in GET_WITHOUT_PERSONAL_DATA)
    ]
    assert silent == [], "successful calls without an audit event"
    refused = [c for c in recorded if c.status in {401, 403, 404} and c.new_events == 0]
    assert refused == [], "refusals without an audit event"


def test_outsiders_reading_any_case_route_are_refused_and_recorded(
    world: World,  # noqa: F811
    recorded: list[Call],
) -> None:
    case_id, _action = active_case(world)
    item = InformationItem.objects.get(
        pk=supply(world, case_id_obj(case_id), world.police, Sharing.COORDINATION)
    )
    outsider = world.api(world.housing)  # a partner of the covenant with no role in this case
    paths = [
        f"/api/v1/cases/{case_id}/",
        f"/api/v1/cases/{case_id}/items/",
        f"/api/v1/cases/{case_id}/action-plan/",
        f"/api/v1/cases/{case_id}/action-plan/versions/",
        f"/api/v1/cases/{case_id}/already-known/",
        f"/api/v1/items/{item.pk}/",
    ]
    for path in paths:
        before = AuditEvent.objects.filter(result=Result.DENIED).count()
        assert outsider.get(path).status_code in {403, 404}, path
        denial = AuditEvent.objects.filter(result=Result.DENIED).order_by("-seq").first()
        assert AuditEvent.objects.filter(result=Result.DENIED).count() == before + 1, path
        assert denial is not None
        assert denial.actor_id == world.housing.pk


def case_id_obj(case_id: object) -> Any:
    from ketentafel.cases.models import Case

    return Case.objects.get(pk=case_id)
