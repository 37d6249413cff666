# SPDX-License-Identifier: EUPL-1.2
"""The privacy officer's screens through Django's test client: what the officer does with a
data subject's request and a security incident, what is refused, and what the log records."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.incidents.models import IncidentStatus, SecurityIncident
from ketentafel.privacy import services
from ketentafel.privacy.models import (
    DataSubjectRequest,
    DeletionRecord,
    RequestKind,
    RequestStatus,
)
from ketentafel.privacy.purge import purge_run
from tests.cases.conftest import World, api_client, make_staff
from tests.incidents.flows import incident_registered
from tests.privacy.conftest import active, closed, days_later, officer, someone  # noqa: F401
from tests.privacy.screen_flows import (
    created_id,
    local_minutes,
    ok,
    privacy_screen_flow,
    request_at,
)

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def _events_since(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def _text(response: Any) -> str:
    return str(response.content.decode())


def _register(officer: User, **overrides: Any) -> DataSubjectRequest:  # noqa: F811
    data: dict[str, Any] = {
        "actor": officer,
        "house_id": officer.house_roles.get().house_id,
        "kind": RequestKind.ACCESS,
        "received_on": timezone.localdate(),
        "subject_surname": "Jansen",
        "subject_birth_date": datetime.date(1980, 5, 1),
    }
    data.update(overrides)
    return services.request_register(**data)


# Navigation and the whole flow --------------------------------------------------------------


def test_the_navigation_offers_privacy_to_privacy_officers_only(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    assert 'href="/privacy/verzoeken/"' in _text(ok(api_client(officer).get("/")))
    for user in (world.pc, world.police, world.admin):
        assert "/privacy/" not in _text(ok(api_client(user).get("/"))), user.username


def test_an_officer_handles_a_request_and_an_incident_through_the_screens(world: World) -> None:
    result = privacy_screen_flow(world)
    request = DataSubjectRequest.objects.get(pk=result.request_id)
    assert request.status == RequestStatus.COMPLETED
    assert request.extended_to is not None
    assert request.notices.count() >= 1
    incident = SecurityIncident.objects.get(pk=result.incident_id)
    assert incident.status == IncidentStatus.CLOSED
    assert incident.authority_reference == "M-2026-0042"
    assert incident.data_categories == ["justice", "ordinary"]
    assert list(incident.entries.values_list("kind", flat=True)) == [
        "measure",
        "decision",
        "notification",
    ]


# Data-subject requests ----------------------------------------------------------------------


def test_the_request_list_puts_open_requests_first_by_due_date_and_marks_overdue(
    officer: User,  # noqa: F811
) -> None:
    late = _register(officer, received_on=timezone.localdate() - datetime.timedelta(days=40))
    soon = _register(officer, received_on=timezone.localdate() - datetime.timedelta(days=27))
    fresh = _register(officer, kind=RequestKind.ERASURE)
    done = _register(officer, received_on=timezone.localdate() - datetime.timedelta(days=50))
    services.request_close(
        actor=officer, request_id=done.pk, status=RequestStatus.REFUSED, outcome="Geen grond."
    )
    po = api_client(officer)
    before = _head()
    page = ok(po.get("/privacy/verzoeken/"))

    rows = page.context["rows"]
    assert [row.request.pk for row in rows] == [late.pk, soon.pk, fresh.pk, done.pk]
    assert rows[0].is_overdue
    assert rows[0].days_overdue > 0
    assert rows[1].is_due_soon
    assert not rows[1].is_overdue
    assert rows[3].days_left is None
    html = _text(page)
    assert "dagen te laat" in html
    assert "status--error" in html
    assert "Wissing (art. 17)" in html
    # The list names no subject: identities are on the request's own page only.
    assert "Jansen" not in html
    # One search naming every request shown, as the API's list records it.
    [event] = _events_since(before)
    assert (event.action, event.object_type) == (AuditAction.SEARCH, "datasubjectrequest")
    assert sorted(event.object_ids) == sorted(str(r.pk) for r in (late, soon, fresh, done))
    assert page["Cache-Control"] == "no-store"


def test_registering_a_request_keeps_the_subject_out_of_the_url(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    person = someone(610)
    po = api_client(officer)
    page = ok(po.get("/privacy/verzoeken/nieuw/"))
    assert 'method="post"' in _text(page)
    assert "csrfmiddlewaretoken" in _text(page)
    response = po.post(
        "/privacy/verzoeken/nieuw/",
        {
            "house": world.house.pk,
            "kind": "access",
            "received_on": timezone.localdate().isoformat(),
            "subject_bsn": person.bsn,
        },
    )
    request_id = created_id(response)
    assert person.bsn not in response["Location"]
    detail = ok(po.get(response["Location"]))
    assert person.bsn in _text(detail)
    assert "Inzage (art. 15)" in _text(detail)
    assert "Verzoek geregistreerd" in _text(detail)
    created = AuditEvent.objects.get(object_type="datasubjectrequest", action=AuditAction.CREATE)
    assert created.object_id == str(request_id)
    assert person.bsn not in json.dumps(
        list(AuditEvent.objects.values("object_id", "reason", "object_ids"))
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"subject_bsn": "123456789"}, "subject_bsn", "elfproef"),
        ({"subject_bsn": "12ab"}, "subject_bsn", "negen cijfers"),
        ({}, "subject_bsn", "Vul het BSN in"),
        ({"subject_surname": "Jansen"}, "subject_birth_date", "geboortedatum nodig"),
        (
            {"subject_surname": "Jansen", "subject_birth_date": "1980-01-01", "received_on": "x"},
            "received_on",
            "",
        ),
    ],
)
def test_bad_request_input_is_shown_at_the_field_and_nothing_is_stored(
    world: World,
    officer: User,  # noqa: F811
    fields: dict[str, str],
    field: str,
    message: str,
) -> None:
    data = {"house": world.house.pk, "kind": "access", "received_on": "2026-01-05", **fields}
    response = api_client(officer).post("/privacy/verzoeken/nieuw/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert f'href="#id_{field}"' in _text(response)  # the error summary links to the field
    assert 'value="Jansen"' in _text(response) or "subject_surname" not in fields  # kept
    assert not DataSubjectRequest.objects.exists()


def test_a_request_in_the_future_is_refused(world: World, officer: User) -> None:  # noqa: F811
    response = api_client(officer).post(
        "/privacy/verzoeken/nieuw/",
        {
            "house": world.house.pk,
            "kind": "access",
            "received_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            "subject_surname": "Jansen",
            "subject_birth_date": "1980-01-01",
        },
    )
    assert response.status_code == 400
    assert "toekomst" in " ".join(response.context["form"].errors["received_on"])


def test_the_request_page_offers_what_the_state_allows_and_records_one_read(
    officer: User,  # noqa: F811
) -> None:
    request = _register(officer, kind=RequestKind.ERASURE)
    po = api_client(officer)
    before = _head()
    page = ok(po.get(f"/privacy/verzoeken/{request.pk}/"))
    assert page.context["actions"] == {"close", "extend", "start", "notice", "export"}
    [event] = _events_since(before)
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.READ,
        "datasubjectrequest",
        str(request.pk),
    )
    html = _text(page)
    assert "Jansen" in html
    assert INLINE_SCRIPT.search(html) is None
    assert INLINE_HANDLER.search(html) is None
    assert "script-src 'self'" in page["Content-Security-Policy"]

    ok(po.post(f"/privacy/verzoeken/{request.pk}/in-behandeling/", request_at(request.pk)), 302)
    ok(
        po.post(
            f"/privacy/verzoeken/{request.pk}/verlengen/", request_at(request.pk, reason="Complex.")
        ),
        302,
    )
    page = ok(po.get(f"/privacy/verzoeken/{request.pk}/"))
    assert page.context["actions"] == {"close", "notice", "export"}
    history = [line.what for line in page.context["page"].history]
    assert history == ["Verzoek geregistreerd", "In behandeling genomen", "Termijn verlengd"]
    assert all(line.who == "Po Test" for line in page.context["page"].history)


def test_illegal_request_steps_are_refused_with_a_clear_message(
    officer: User,  # noqa: F811
) -> None:
    po = api_client(officer)
    request = _register(officer)
    url = f"/privacy/verzoeken/{request.pk}/"
    ok(po.post(f"{url}verlengen/", request_at(request.pk, reason="Eerste keer.")), 302)

    again = po.post(f"{url}verlengen/", request_at(request.pk, reason="Nog eens."))
    assert again.status_code == 400
    assert "al verlengd" in _text(again)

    empty = po.post(f"{url}verlengen/", request_at(request.pk, reason=""))
    assert empty.status_code == 400
    assert "reason" in empty.context["extend_form"].errors

    ok(po.post(f"{url}in-behandeling/", request_at(request.pk)), 302)
    twice = po.post(f"{url}in-behandeling/", request_at(request.pk), follow=True)
    assert "Alleen een ontvangen verzoek gaat in behandeling." in _text(twice)

    # Art. 19 applies to rectification, erasure and restriction only.
    notice = po.post(f"{url}ontvangers/", {"third_party": "Advocaat", "informed_on": "2026-01-01"})
    assert notice.status_code == 400
    assert "rectificatie, wissing of beperking" in _text(notice)

    missing = po.post(f"{url}afsluiten/", request_at(request.pk, status="completed", outcome=""))
    assert missing.status_code == 400
    assert "outcome" in missing.context["close_form"].errors
    ok(
        po.post(
            f"{url}afsluiten/", request_at(request.pk, status="refused", outcome="Geen gegevens.")
        ),
        302,
    )
    closed_again = po.post(
        f"{url}afsluiten/", request_at(request.pk, status="completed", outcome="Toch.")
    )
    assert closed_again.status_code == 400
    assert "al afgehandeld" in _text(closed_again)
    assert DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.REFUSED


def test_extending_after_the_first_month_is_refused(officer: User) -> None:  # noqa: F811
    request = _register(officer, received_on=timezone.localdate() - datetime.timedelta(days=40))
    po = api_client(officer)
    assert "extend" not in ok(po.get(f"/privacy/verzoeken/{request.pk}/")).context["actions"]
    response = po.post(
        f"/privacy/verzoeken/{request.pk}/verlengen/", request_at(request.pk, reason="Te laat.")
    )
    assert response.status_code == 400
    assert "binnen de eerste maand" in _text(response)
    assert DataSubjectRequest.objects.get(pk=request.pk).extended_to is None


def test_a_rectification_is_completed_only_after_every_recipient_was_told(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    person = someone(620)
    active(world, person)
    request = _register(
        officer, kind=RequestKind.RECTIFICATION, subject_bsn=person.bsn, subject_surname=""
    )
    po = api_client(officer)
    url = f"/privacy/verzoeken/{request.pk}/"

    before = _head()
    found = ok(po.get(f"{url}gevonden/"))
    [event] = _events_since(before)[1:]  # the read of the request, then the search
    assert (event.action, event.object_type) == (AuditAction.SEARCH, "datasubject")
    assert event.person_ids
    recipients = found.context["found"].recipients
    assert recipients, "the police and the coordinators read the case"

    refused = po.post(
        f"{url}afsluiten/", request_at(request.pk, status="completed", outcome="Hersteld.")
    )
    assert refused.status_code == 400
    assert "Informeer eerst iedere ontvanger" in _text(refused)

    for party_id, _name in recipients:
        ok(po.post(f"{url}ontvangers/", {"party": party_id, "informed_on": "2026-01-02"}), 302)
    both = po.post(
        f"{url}ontvangers/",
        {"party": recipients[0][0], "third_party": "Advocaat", "informed_on": "2026-01-02"},
    )
    assert both.status_code == 400
    assert "Noem één ontvanger" in _text(both)
    ok(
        po.post(
            f"{url}afsluiten/", request_at(request.pk, status="completed", outcome="Hersteld.")
        ),
        302,
    )
    assert DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.COMPLETED
    page = ok(po.get(url))
    assert "Geïnformeerde ontvanger vastgelegd (art. 19)" in [
        line.what for line in page.context["page"].history
    ]


def test_the_access_export_is_a_recorded_download(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    person = someone(630)
    active(world, person)
    request = _register(officer, subject_bsn=person.bsn, subject_surname="")
    po = api_client(officer)
    url = f"/privacy/verzoeken/{request.pk}/inzage/"

    before = _head()
    response = ok(po.get(f"{url}?formaat=json"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    body = json.loads(response.content)
    assert body["controllers"]
    assert body["persons"]
    exported = [e for e in _events_since(before) if e.action == AuditAction.EXPORT]
    assert len(exported) == 1
    assert exported[0].person_ids

    pdf = ok(po.get(f"{url}?formaat=pdf&partij={world.municipality.pk}"))
    assert pdf["Content-Type"] == "application/pdf"

    bad = po.get(f"{url}?formaat=docx")
    assert bad.status_code == 400
    assert "Kies PDF of JSON" in _text(bad)

    # Another party's privacy officer exports only what its own party supplied.
    police_officer = make_staff(
        "po-police", world.party["politie-oost-nederland"], world.house, Role.PRIVACY_OFFICER
    )
    other = api_client(police_officer).get(f"{url}?formaat=json&partij={world.municipality.pk}")
    assert other.status_code == 403
    denial = AuditEvent.objects.filter(result=Result.DENIED).order_by("-seq").first()
    assert denial is not None
    assert denial.actor_id == police_officer.pk


# Deletion records ---------------------------------------------------------------------------


def test_deletion_records_are_listed_without_personal_data(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    person = someone(640)
    case = closed(world, person)
    purge_run(today=timezone.localdate())
    record = DeletionRecord.objects.get(case_id=case.pk)
    po = api_client(officer)
    before = _head()
    page = ok(po.get("/privacy/vernietigingsverklaringen/"))
    html = _text(page)
    assert str(record.case_id) in html
    assert record.rule in html
    assert person.surname not in html
    assert person.bsn not in html
    [event] = _events_since(before)
    assert (event.action, event.object_type) == (AuditAction.SEARCH, "deletionrecord")
    assert event.object_ids == [str(case.pk)]


# Who may ------------------------------------------------------------------------------------


def _routes(request_id: object, incident_id: object) -> list[tuple[str, str]]:
    r, i = f"/privacy/verzoeken/{request_id}/", f"/privacy/incidenten/{incident_id}/"
    return [
        ("get", "/privacy/verzoeken/"),
        ("get", "/privacy/verzoeken/nieuw/"),
        ("post", "/privacy/verzoeken/nieuw/"),
        ("get", r),
        ("post", f"{r}verlengen/"),
        ("post", f"{r}in-behandeling/"),
        ("post", f"{r}afsluiten/"),
        ("post", f"{r}ontvangers/"),
        ("get", f"{r}gevonden/"),
        ("get", f"{r}inzage/?formaat=json"),
        ("get", "/privacy/incidenten/"),
        ("get", "/privacy/incidenten/nieuw/"),
        ("post", "/privacy/incidenten/nieuw/"),
        ("get", i),
        ("post", f"{i}besluit/"),
        ("post", f"{i}melding/"),
        ("post", f"{i}logboek/"),
        ("post", f"{i}afsluiten/"),
        ("get", "/privacy/vernietigingsverklaringen/"),
    ]


def _valid_post(path: str, world: World) -> dict[str, Any]:
    """A body each form accepts, so a refusal comes from who asks, not what was sent."""
    now = local_minutes(timezone.now())
    bodies = {
        "verzoeken/nieuw/": {
            "house": world.house.pk,
            "kind": "access",
            "received_on": timezone.localdate().isoformat(),
            "subject_surname": "Jansen",
            "subject_birth_date": "1980-01-01",
        },
        "incidenten/nieuw/": {
            "house": world.house.pk,
            "discovered_at": now,
            "description": "Brief kwijt.",
            "people_affected": "1",
        },
        "verlengen/": {"reason": "Complex.", "version": "1"},
        "in-behandeling/": {"version": "1"},
        "afsluiten/": {"status": "refused", "outcome": "Nee.", "version": "1"},
        "ontvangers/": {"third_party": "Advocaat", "informed_on": "2026-01-01"},
        "besluit/": {"must_notify": "no", "reason": "Versleuteld.", "version": "1"},
        "melding/": {"recipient": "subjects", "notified_at": now, "version": "1"},
        "logboek/": {"kind": "note", "text": "Aantekening."},
    }
    return next((body for end, body in bodies.items() if path.endswith(end)), {})


def test_other_roles_are_refused_on_every_privacy_screen_and_the_refusal_is_recorded(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _register(officer)
    incident = incident_registered(officer)
    for user in (world.pc, world.police, world.admin):
        client = api_client(user)
        for method, path in _routes(request.pk, incident.pk):
            before = _head()
            if method == "get":
                response = client.get(path)
            else:
                response = client.post(path, _valid_post(path, world))
            assert response.status_code == 403, (user.username, method, path)
            events = _events_since(before)
            assert [(e.action, e.result, e.actor_id) for e in events] == [
                (AuditAction.PERMISSION_DENIED, Result.DENIED, user.pk)
            ], (user.username, method, path)
    assert DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.RECEIVED
    assert SecurityIncident.objects.count() == 1
    assert DataSubjectRequest.objects.count() == 1


def test_an_officer_of_another_house_does_not_find_the_request(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _register(officer)
    incident = incident_registered(officer)
    elsewhere = api_client(
        make_staff("po-ede", world.municipality, world.other_house, Role.PRIVACY_OFFICER)
    )
    for path in (
        f"/privacy/verzoeken/{request.pk}/",
        f"/privacy/verzoeken/{request.pk}/gevonden/",
        f"/privacy/incidenten/{incident.pk}/",
    ):
        before = _head()
        assert elsewhere.get(path).status_code == 404, path
        [denial] = _events_since(before)
        assert denial.action == AuditAction.PERMISSION_DENIED
    extend = elsewhere.post(
        f"/privacy/verzoeken/{request.pk}/verlengen/", request_at(request.pk, reason="X")
    )
    assert extend.status_code == 404
    assert DataSubjectRequest.objects.get(pk=request.pk).extended_to is None
    assert str(request.pk) not in _text(ok(elsewhere.get("/privacy/verzoeken/")))


def test_the_lists_read_in_a_fixed_number_of_queries(world: World, officer: User) -> None:  # noqa: F811
    """A list costs the same number of queries for 2 rows as for 6 (no query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    po = api_client(officer)
    counts: dict[str, list[int]] = {}
    for _round in range(2):
        for _ in range(2 if not counts else 4):
            _register(officer)
            incident_registered(officer)
        case = closed(world, someone(650 + len(counts.get("deletions", []))))
        purge_run(today=timezone.localdate())
        assert DeletionRecord.objects.filter(case_id=case.pk).exists()
        for name, path in (
            ("requests", "/privacy/verzoeken/"),
            ("incidents", "/privacy/incidenten/"),
            ("deletions", "/privacy/vernietigingsverklaringen/"),
        ):
            with CaptureQueriesContext(connection) as queries:
                ok(po.get(path))
            counts.setdefault(name, []).append(len(queries))
    assert all(first == second for first, second in counts.values()), counts


def test_a_form_sent_without_the_csrf_token_is_refused(world: World, officer: User) -> None:  # noqa: F811
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from ketentafel.accounts.services import second_factor_enrol

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = second_factor_enrol(user=officer).persistent_id
    session.save()
    form = ok(client.get("/privacy/incidenten/nieuw/"))
    assert 'name="csrfmiddlewaretoken"' in _text(form)
    response = client.post(
        "/privacy/incidenten/nieuw/",
        {
            "house": world.house.pk,
            "discovered_at": local_minutes(timezone.now()),
            "description": "Brief kwijt.",
            "people_affected": "1",
        },
    )
    assert response.status_code == 403
    assert not SecurityIncident.objects.exists()
