# SPDX-License-Identifier: EUPL-1.2
"""The OpenAPI description is the API: schemathesis calls every operation and checks each answer.

The schema is the one the application serves at /api/v1/schema/. Schemathesis generates
requests from it — the coverage phase (boundary values, missing and unknown fields and
parameters) and the fuzzing phase (valid and invalid data) — sends them in-process to the WSGI
application as a user past the second factor, and runs every response check it has: no 500, a
status, content type, headers and body the description declares, invalid data refused, valid
data not refused with a 400. The run is bounded and seeded (deterministic, no example database),
so it answers the same on every machine and every day; it runs in the test's transaction, so the
audit events it writes are rolled back with everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from schemathesis.auths import AuthContext
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.case import Case
from schemathesis.pytest.lazy import get_all_tests

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.services import second_factor_enrol
from tests.cases.conftest import World, make_staff, world  # noqa: F401
from tests.cases.flows import active_case

pytestmark = pytest.mark.django_db

# Small enough that the whole run stays well within two minutes on two cores; the coverage
# phase adds its deterministic cases on top of these generated ones.
CONFIG = """
seed = 20261202
# Hypothesis's health checks time the generation of data, which would let the machine's speed
# decide the outcome.
suppress-health-check = ["all"]
[generation]
mode = "all"
max-examples = 6
deterministic = true
database = "none"
[phases.examples]
enabled = true
[phases.coverage]
enabled = true
[phases.fuzzing]
enabled = true
[phases.stateful]
enabled = false
# Schema-valid data can still break a rule no JSON schema states: an id of a house or party that
# does not exist or is not the caller's, the elfproef of a BSN, a deadline that lies in the past,
# dates in order, one person for a referral of a person. The API refuses those with a 400 problem
# naming the field (docs/api.md), so a 400 counts as an answer to valid data, as does 412 for an
# update whose generated `If-Match` names no stored version; a 500 or a status the description
# does not declare still fails (not_a_server_error, status_code_conformance).
# Likewise a valid `Idempotency-Key` that the run already sent with another body is refused
# with a 422 (docs/api.md): schemathesis draws the same few keys for many requests.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "412", "422"]
# An update without `If-Match` answers 428 Precondition Required (RFC 6585), the status made for
# it, besides the check's default statuses.
[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]
"""

CSRF_TOKEN = "k" * 32


@dataclass
class Tally:
    operations: int = 0
    cases: int = 0
    failures: dict[str, list[str]] = field(default_factory=dict)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The application as a server runs it, minus closing the database connection after each
    request, which would end the test's transaction (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def session_for(user: User) -> str:
    """A session past password and second factor, as the login screens leave it."""
    client = Client()
    client.force_login(user)
    device = second_factor_enrol(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return str(session.session_key)


def test_every_operation_answers_as_the_openapi_description_says(
    world: World,  # noqa: F811
    wsgi_app: WSGIHandler,
) -> None:
    # Someone who may call most operations: coordinator, secretary, privacy officer and manager
    # of the house, with a case in it so that lists and the case's ids are not empty.
    user = make_staff(
        "conformance",
        world.municipality,
        world.house,
        Role.PROCESS_COORDINATOR,
        Role.MEETING_SECRETARY,
        Role.PRIVACY_OFFICER,
        Role.MANAGER,
    )
    active_case(world)
    session_key = session_for(user)

    config = schemathesis.config.SchemathesisConfig.from_str(CONFIG)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app, config=config)

    @schema.auth(refresh_interval=None)
    class Session:
        """The session cookie the description declares, and the CSRF pair a browser sends."""

        def get(self, case: Case, ctx: AuthContext) -> str:
            return session_key

        def set(self, case: Case, data: str, ctx: AuthContext) -> None:
            case.cookies = {
                **(case.cookies or {}),
                settings.SESSION_COOKIE_NAME: data,
                settings.CSRF_COOKIE_NAME: CSRF_TOKEN,
            }
            case.headers = {**(case.headers or {}), "X-CSRFToken": CSRF_TOKEN}

    tally = Tally()
    details: list[str] = []

    def check(case: Case) -> None:
        tally.cases += 1
        case.call_and_validate()

    for result in get_all_tests(schema=schema, test_func=check, settings=None, given_kwargs=None):
        operation, test = result.ok()
        tally.operations += 1
        try:
            test()
        except FailureGroup as exc:
            tally.failures[operation.label] = [f.title for f in exc.exceptions]
            details.append(str(exc))

    failed = sum(len(titles) for titles in tally.failures.values())
    print(f"\n{tally.operations} operations, {tally.cases} cases, {failed} failures")
    assert tally.operations >= 50
    assert not tally.failures, "\n".join(details)
