# SPDX-License-Identifier: EUPL-1.2
"""Data-subject requests through the API: register, find, export per controller, art. 19."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import Action, AuditEvent, EventPerson
from ketentafel.cases.models import Case
from ketentafel.information.selectors import dossier_for
from ketentafel.privacy.dates import add_months
from tests.cases.conftest import World, make_staff
from tests.privacy.conftest import active, closed, someone

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

BASE = "/api/v1/privacy/requests/"


def ok(response, code: int = 200):  # type: ignore[no-untyped-def]
    assert response.status_code == code, response.content.decode()
    return response.json()


def register(world: World, officer: User, **body: object) -> dict[str, object]:
    data = {
        "house": world.house.pk,
        "kind": "access",
        "received_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        **body,
    }
    return ok(world.api(officer).post(BASE, data, format="json"), 201)  # type: ignore[no-any-return]


def test_the_access_export_holds_all_of_the_person_and_nothing_of_anyone_else(
    world: World, officer: User
) -> None:
    subject, other = someone(101), someone(102)
    first = active(world, subject)
    second = closed(world, subject)  # the same person in a second case
    elsewhere = active(world, other)
    dossier_for(world.probation, first.pk)  # an access the log must show
    request = register(world, officer, subject_bsn=subject.bsn)
    received = timezone.localdate() - datetime.timedelta(days=3)
    assert request["due_on"] == add_months(received, 1).isoformat()

    response = world.api(officer).get(f"{BASE}{request['id']}/export/?as=json")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.json"')
    body = response.content.decode()
    export = json.loads(body)
    for trace in subject.traces:
        assert trace in body, trace
    for trace in other.traces:
        assert trace not in body, trace
    assert str(elsewhere.pk) not in body
    assert {p["case_id"] for p in export["persons"]} == {str(first.pk), str(second.pk)}
    controllers = {c["party_id"] for c in export["controllers"]}
    assert controllers == {
        world.police.party_id,  # referrer and supplier
        world.municipality.pk,  # process direction by the house's managing municipality
    }
    log = export["access_log"]
    assert log, "the access log is part of the export"
    assert {line["case_id"] for line in log if line["case_id"]} <= {str(first.pk), str(second.pk)}
    assert any(line["party"] == world.party["reclassering-nederland"].name for line in log)
    person_ids = {str(p.pk) for c in (first, second) for p in c.persons.all()}
    event = AuditEvent.objects.filter(action=Action.EXPORT).get()
    assert set(event.person_ids) == person_ids
    assert EventPerson.objects.filter(event=event).count() == 2

    pdf = world.api(officer).get(f"{BASE}{request['id']}/export/?as=pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_finding_by_name_and_birth_date(world: World, officer: User) -> None:
    subject = someone(103)
    case = active(world, subject)
    request = register(
        world,
        officer,
        kind="objection",
        subject_surname=subject.surname.upper(),
        subject_birth_date=subject.birth_date.isoformat(),
    )
    found = ok(world.api(officer).get(f"{BASE}{request['id']}/matches/"))
    assert [p["case_id"] for p in found["persons"]] == [str(case.pk)]


def test_a_partys_privacy_officer_exports_only_what_its_party_supplied(world: World) -> None:
    subject = someone(104)
    active(world, subject)
    police_po = make_staff(
        "police-po", world.party["politie-oost-nederland"], world.house, Role.PRIVACY_OFFICER
    )
    request = register(world, police_po, subject_bsn=subject.bsn)
    export = ok(world.api(police_po).get(f"{BASE}{request['id']}/export/"))
    assert {c["party_id"] for c in export["controllers"]} == {world.police.party_id}
    refused = world.api(police_po).get(
        f"{BASE}{request['id']}/export/?controller={world.municipality.pk}"
    )
    assert refused.status_code == 403


def test_bad_input_names_the_field_and_stores_nothing(world: World, officer: User) -> None:
    api = world.api(officer)
    cases = [
        ({"subject_bsn": "123456789"}, "subject_bsn"),  # fails the elfproef
        ({}, "subject_bsn"),
        ({"subject_surname": "Jansen"}, "subject_birth_date"),
        (
            {
                "subject_bsn": someone(1).bsn,
                "received_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            },
            "received_on",
        ),
        ({"subject_bsn": someone(1).bsn, "kind": "complaint"}, "kind"),
    ]
    for body, field in cases:
        data = {
            "house": world.house.pk,
            "kind": "access",
            "received_on": timezone.localdate().isoformat(),
            **body,
        }
        response = api.post(BASE, data, format="json")
        assert response.status_code == 400, (body, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert ok(api.get(BASE)) == []


def test_extension_to_three_months_once_with_a_reason(world: World, officer: User) -> None:
    request = register(world, officer, subject_bsn=someone(1).bsn)
    api = world.api(officer)
    tag = f'"{request["version"]}"'
    missing = api.post(
        f"{BASE}{request['id']}/extend/", {"reason": ""}, format="json", HTTP_IF_MATCH=tag
    )
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "reason"
    extended = ok(
        api.post(
            f"{BASE}{request['id']}/extend/",
            {"reason": "Veel partijen"},
            format="json",
            HTTP_IF_MATCH=tag,
        )
    )
    received = datetime.date.fromisoformat(str(request["received_on"]))
    assert extended["due_on"] == extended["extended_to"]
    assert (datetime.date.fromisoformat(extended["due_on"]) - received).days in range(89, 93)
    again = api.post(
        f"{BASE}{request['id']}/extend/",
        {"reason": "Nog meer"},
        format="json",
        HTTP_IF_MATCH=f'"{extended["version"]}"',
    )
    assert again.status_code == 409


def test_erasure_is_completed_only_after_every_recipient_was_told(
    world: World, officer: User
) -> None:
    subject = someone(105)
    case = active(world, subject)
    dossier_for(world.probation, case.pk)
    request = register(world, officer, kind="erasure", subject_bsn=subject.bsn)
    api = world.api(officer)
    status_url = f"{BASE}{request['id']}/status/"
    started = ok(
        api.post(
            status_url,
            {"status": "in_progress"},
            format="json",
            HTTP_IF_MATCH=f'"{request["version"]}"',
        )
    )
    tag = f'"{started["version"]}"'
    found = ok(api.get(f"{BASE}{request['id']}/matches/"))
    recipients = {r["party_id"] for r in found["recipients"]}
    assert world.party["reclassering-nederland"].pk in recipients

    early = api.post(
        status_url, {"status": "completed", "outcome": "Gewist."}, format="json", HTTP_IF_MATCH=tag
    )
    assert early.status_code == 409
    assert world.party["reclassering-nederland"].name in early.json()["detail"]

    for party_id in recipients:
        ok(
            api.post(
                f"{BASE}{request['id']}/notices/",
                {"party": party_id, "informed_on": timezone.localdate().isoformat()},
                format="json",
            ),
            201,
        )
    # Notices to recipients are entries of the request, no change of its state.
    done = ok(
        api.post(
            status_url,
            {"status": "completed", "outcome": "Gewist."},
            format="json",
            HTTP_IF_MATCH=tag,
        )
    )
    assert done["status"] == "completed"
    assert done["days_left"] is None
    assert len(done["notices"]) == len(recipients)


def test_only_privacy_officers_handle_requests(world: World, officer: User) -> None:
    request = register(world, officer, subject_bsn=someone(1).bsn)
    for user in (world.pc, world.police, world.admin):
        api = world.api(user)
        assert api.get(BASE).status_code == 403
        assert api.get(f"{BASE}{request['id']}/").status_code in {403, 404}
        assert api.get(f"{BASE}{request['id']}/export/").status_code in {403, 404}
    # A privacy officer of the other house does not see this house's request.
    other = make_staff("po-ede", world.municipality, world.other_house, Role.PRIVACY_OFFICER)
    assert world.api(other).get(f"{BASE}{request['id']}/").status_code == 404
    assert ok(world.api(other).get(BASE)) == []


def test_open_cases_near_their_maximum_age_are_flagged_to_their_coordinator(
    world: World,
) -> None:
    subject = someone(106)
    old, fresh = active(world, subject), active(world, someone(107))
    Case.objects.filter(pk=old.pk).update(referred_at=timezone.now() - datetime.timedelta(days=700))
    flags = ok(world.api(world.pc).get("/api/v1/privacy/open-case-flags/"))
    assert [f["case_id"] for f in flags] == [str(old.pk)]
    assert flags[0]["is_past_max_age"] is False
    assert str(fresh.pk) not in json.dumps(flags)
    assert world.api(world.police).get("/api/v1/privacy/open-case-flags/").status_code == 403


def test_disclosure_report_per_party_and_period(world: World, officer: User) -> None:
    active(world, someone(108))
    today = timezone.localdate()
    url = "/api/v1/privacy/disclosures/"
    period = f"since={today.isoformat()}&until={(today + datetime.timedelta(days=1)).isoformat()}"
    report = ok(world.api(officer).get(f"{url}?{period}"))
    assert report["per_party"] == [
        {
            "party": world.police.party_id,
            "party_name": world.party["politie-oost-nederland"].name,
            "consents": 1,
            "disclosures": 1,
        }
    ]
    assert report["consents"][0]["recipient"] == "Advocaat"
    earlier = f"since=2020-01-01&until={today.isoformat()}"
    assert ok(world.api(officer).get(f"{url}?{earlier}"))["consents"] == []
    other_party = ok(world.api(officer).get(f"{url}?{period}&party={world.municipality.pk}"))
    assert other_party["consents"] == []
    bad = world.api(officer).get(f"{url}?since={today.isoformat()}&until=2020-01-01")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "until"
    assert world.api(world.police).get(f"{url}?{period}").status_code == 403
