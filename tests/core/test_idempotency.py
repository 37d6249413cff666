# SPDX-License-Identifier: EUPL-1.2
"""Retries without duplicates and no committed write answered with an error (issue 12, items 1
and 3): API writes are one unit of work with their answer and their `Idempotency-Key`."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent
from ketentafel.cases import selectors as case_selectors
from ketentafel.cases.models import Case
from ketentafel.cases.serializers import CaseOut
from ketentafel.core.idempotency import _lock_id, idempotency_keys_purge
from ketentafel.core.models import FormSubmission, IdempotencyKey
from ketentafel.incidents import selectors as incident_selectors
from ketentafel.incidents.models import SecurityIncident
from ketentafel.information import selectors as information_selectors
from ketentafel.information.models import InformationItem
from tests.cases.conftest import World, api_client, future, make_staff, referral
from tests.cases.flows import active_case, in_enrichment

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def _post(client: Any, path: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(path, body, format="json", headers=headers)


def test_a_retry_with_the_same_key_returns_the_first_answer_and_makes_one_case(
    world: World,
) -> None:
    police = api_client(world.police)
    first = _post(police, CASES, referral(world), "referral-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    events = AuditEvent.objects.count()

    again = _post(police, CASES, referral(world), "referral-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Case.objects.count() == 1
    assert AuditEvent.objects.count() == events  # a replay does nothing, not even read

    # A structured-field string ("...") names the same key; another user's key is their own.
    assert _post(police, CASES, referral(world), '"referral-1"')["Idempotent-Replayed"] == "true"
    pc = api_client(world.pc)
    assert _post(pc, CASES, referral(world), "referral-1").status_code == 201
    assert Case.objects.count() == 2


def test_the_same_key_with_another_body_is_refused_with_422(world: World) -> None:
    police = api_client(world.police)
    assert _post(police, CASES, referral(world), "k-2").status_code == 201
    other = _post(police, CASES, referral(world, goal="Een ander doel."), "k-2")
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["errors"] == [
        {
            "field": "Idempotency-Key",
            "message": "Deze Idempotency-Key is al gebruikt voor een ander verzoek; kies een "
            "nieuwe sleutel.",
        }
    ]
    # Another path with the same key and body is another request as well.
    case_id = Case.objects.get().pk
    assert _post(police, f"{CASES}{case_id}/intake/", referral(world), "k-2").status_code == 422
    assert Case.objects.count() == 1


def test_a_malformed_key_is_a_400_naming_the_header(world: World) -> None:
    police = api_client(world.police)
    for bad in ("", "x" * 256, "met spatie"):
        response = _post(police, CASES, referral(world), bad)
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 0


def test_a_refused_write_stores_no_key_so_the_corrected_retry_is_done(world: World) -> None:
    police = api_client(world.police)
    refused = _post(police, CASES, referral(world, goal=" "), "k-3")
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    # The same key with the corrected body is a first request: nothing was done under it.
    assert _post(police, CASES, referral(world), "k-3").status_code == 201
    assert Case.objects.count() == 1


def test_a_post_answering_200_is_replayed_too(world: World) -> None:
    case = in_enrichment(world)
    ic = api_client(world.ic)
    body = {
        "party": world.party["reclassering-nederland"].pk,
        "question": "Lopend toezicht?",
        "reason": "Triage",
        "deadline": future(7),
    }
    path = f"{CASES}{case.pk}/information-requests/"
    first = _post(ic, path, body, "ask-1")
    again = _post(ic, path, body, "ask-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert case.information_requests.count() == 1


def test_a_failing_read_back_does_not_turn_a_saved_write_into_an_error(world: World) -> None:
    """The answer is built from what was written, in the write's transaction: the audited
    read-back selectors are not on the write path, so their failure cannot answer 500."""
    police = api_client(world.police)
    broken = mock.patch.object(
        case_selectors, "get_case_for", side_effect=DatabaseError("connection lost")
    )
    with broken:
        response = _post(police, CASES, referral(world), "k-4")
    assert response.status_code == 201, response.content
    [case] = Case.objects.all()
    assert response.json()["id"] == str(case.pk)
    # The write's own event is the record of it; no read event stands beside it.
    assert list(AuditEvent.objects.filter(object_type="case").values_list("action", flat=True)) == [
        AuditAction.CREATE
    ]

    case_id, _action = active_case(world)
    pc = api_client(world.pc)
    item = {
        "life_domain": "housing",
        "text": "Huurachterstand.",
        "legal_basis": "AVG art. 6 lid 1 sub e",
        "data_category": "ordinary",
        "sharing": "coordination",
        "named_parties": [],
        "request": None,
    }
    with mock.patch.object(information_selectors, "get_item_for", side_effect=DatabaseError):
        supplied = _post(pc, f"{CASES}{case_id}/items/", item)
    assert supplied.status_code == 201, supplied.content
    assert InformationItem.objects.filter(pk=supplied.json()["id"]).count() == 1


def test_a_failure_inside_the_unit_of_work_saves_nothing_and_the_retry_saves_once(
    world: World,
) -> None:
    """A database error while the answer is built rolls the write back with it: the 500 is
    true (nothing was saved), and the retry with the same key makes exactly one case."""
    police = api_client(world.police)
    police.raise_request_exception = False
    with mock.patch.object(CaseOut, "to_representation", side_effect=DatabaseError("gone")):
        failed = _post(police, CASES, referral(world), "k-5")
    assert failed.status_code == 500
    assert Case.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="case").exists()
    assert not IdempotencyKey.objects.exists()

    retried = _post(police, CASES, referral(world), "k-5")
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert Case.objects.count() == 1


def test_a_session_that_cannot_be_saved_after_the_commit_does_not_fail_the_write(
    world: World,
) -> None:
    """The session is saved after the view, so after the commit: a database failure there
    leaves the stored write's answer as it was."""
    police = api_client(world.police)
    police.raise_request_exception = False
    with mock.patch.object(SessionStore, "save", side_effect=DatabaseError("gone")):
        response = _post(police, CASES, referral(world))
        assert response.status_code == 201, response.content
        # Outside a committed write the failure is still an error.
        assert police.get(CASES).status_code == 500
    assert Case.objects.count() == 1


def test_privacy_writes_answer_what_they_wrote(world: World) -> None:
    po = make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER)
    officer = api_client(po)
    body = {
        "house": world.house.pk,
        "discovered_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "description": "Een lijst met namen per e-mail aan een verkeerde ontvanger.",
        "people_affected": 3,
        "data_categories": ["ordinary"],
    }
    with mock.patch.object(incident_selectors, "get_incident_for", side_effect=DatabaseError):
        first = _post(officer, "/api/v1/privacy/incidents/", body, "incident-1")
    assert first.status_code == 201, first.content
    again = _post(officer, "/api/v1/privacy/incidents/", body, "incident-1")
    assert again.json() == first.json()
    assert SecurityIncident.objects.count() == 1


def test_keys_and_form_tokens_expire_after_a_day(world: World) -> None:
    police = api_client(world.police)
    assert _post(police, CASES, referral(world), "k-6").status_code == 201
    FormSubmission.objects.create(
        user=world.police, token="t", result_url="/", created_at=timezone.now()
    )
    written = IdempotencyKey.objects.get().created_at
    assert idempotency_keys_purge(now=written + datetime.timedelta(hours=23)) == 0
    assert idempotency_keys_purge(now=written + datetime.timedelta(hours=25)) == 2
    assert not IdempotencyKey.objects.exists()
    # After expiry the same key is a new request.
    assert _post(police, CASES, referral(world), "k-6").status_code == 201
    assert Case.objects.count() == 2
    call_command("idempotency_keys_purge")
    assert IdempotencyKey.objects.count() == 1


def test_every_post_declares_the_header_and_its_422() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    posts = [
        (path, operations["post"])
        for path, operations in schema["paths"].items()
        if "post" in operations
    ]
    assert len(posts) > 20
    for path, operation in posts:
        headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        # A POST that changes a versioned record takes `If-Match` as well (docs/api.md).
        assert set(headers) - {"If-Match"} == {"Idempotency-Key"}, path
        assert {"409", "422"} <= set(operation["responses"]), path
    for operations in schema["paths"].values():
        for method in set(operations) - {"post"}:
            names = [p["name"] for p in operations[method].get("parameters", [])]
            assert "Idempotency-Key" not in names


def test_a_key_still_in_progress_answers_409_on_postgresql(world: World) -> None:
    """While another request holds the key (its transaction has the key's advisory lock), a
    retry is told so at once instead of waiting or doing the write a second time."""
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite serialises writers itself")
    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
        connect_timeout=10,
    )
    police = api_client(world.police)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [_lock_id(world.police.pk, "busy")])
        busy = _post(police, CASES, referral(world), "busy")
    finally:
        other.close()
    assert busy.status_code == 409
    assert busy.json()["title"] == "Verzoek nog in behandeling"
    assert Case.objects.count() == 0
    assert _post(police, CASES, referral(world), "busy").status_code == 201
