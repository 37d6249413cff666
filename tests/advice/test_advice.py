# SPDX-License-Identifier: EUPL-1.2
"""Advice requests (adviesvragen, Gelderland-Midden Bijlage 3 "Adviesfase"): who records one
for whom, who reads which, concluding and referring, through the services, the screens and
the API, each read recorded once."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.accounts.services import house_role_grant
from ketentafel.advice import selectors as advice_selectors
from ketentafel.advice import services as advice_services
from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.cases import services
from ketentafel.cases.models import Case, CaseParty, SubjectKind
from ketentafel.cases.selectors import cases_visible_to
from ketentafel.cases.services import REFERRER_ROLE
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from ketentafel.covenants.models import Membership, MembershipStatus
from tests.cases.conftest import World, api_client, make_staff
from tests.cases.flows import PERSON
from tests.web.advice_flows import advice_flow
from tests.web.flows import _id_from, ok, referral_form

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def ask(world: World, by: Any = None, question: str = "Is dit iets voor het huis?", **kw: Any):  # type: ignore[no-untyped-def]
    return advice_services.advice_record(
        actor=by or world.police, house_id=world.house.pk, question=question, **kw
    )


def refer(world: World, by: Any, advice_id: UUID) -> Case:
    return services.case_refer(
        actor=by,
        house_id=world.house.pk,
        track_id=world.track.pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=world.municipality.pk,
        problem_statement="Overlast en schulden.",
        goal="Gezamenlijk plan.",
        advice_request_id=advice_id,
    )


def events_since(seq: int, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq, **filters).order_by("seq"))


def last_seq() -> int:
    event = AuditEvent.objects.order_by("-seq").first()
    return event.seq if event else 0


def age(advice: AdviceRequest, days: int) -> None:
    AdviceRequest.objects.filter(pk=advice.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


# Services ---------------------------------------------------------------------------------


def test_a_partner_asks_for_its_own_party_and_may_not_name_another(world: World) -> None:
    own = ask(world)
    assert own.requesting_party_id == world.police.party_id
    assert ask(world, requesting_party_id=world.police.party_id).requesting_party_id == (
        world.police.party_id
    )
    with pytest.raises(NotAllowed) as refused:
        ask(world, requesting_party_id=world.party["reclassering-nederland"].pk)
    assert refused.value.field == "requesting_party"
    assert AdviceRequest.objects.count() == 2


def test_a_process_coordinator_records_a_call_for_a_party_of_the_covenant(world: World) -> None:
    before = last_seq()
    phoned = ask(world, by=world.pc, requesting_party_id=world.party["reclassering-nederland"].pk)
    assert phoned.requesting_party_id == world.party["reclassering-nederland"].pk
    assert phoned.recorded_by_id == world.pc.pk
    [created] = events_since(before, action=AuditAction.CREATE)
    assert (created.object_type, created.object_id) == ("advicerequest", str(phoned.pk))
    assert created.role == Role.PROCESS_COORDINATOR

    om = world.party["om-oost-nederland"]
    membership = Membership.objects.get(party=om, covenant=world.house.covenant)
    membership.end(status=MembershipStatus.EXCLUDED, on=timezone.localdate())
    membership.save(update_fields=["status", "ended_on"])
    with pytest.raises(InvalidInput) as refused:
        ask(world, by=world.pc, requesting_party_id=om.pk)
    assert refused.value.field == "requesting_party"
    with pytest.raises(InvalidInput):
        ask(world, by=world.pc, requesting_party_id=10**6)


def test_a_coordinator_of_another_house_may_not_record_for_another_party(world: World) -> None:
    other = make_staff("pc-west", world.municipality, world.other_house, Role.PROCESS_COORDINATOR)
    # A partner professional here and process coordinator elsewhere: still only its own party.
    house_role_grant(
        actor=None, user=other, house_id=world.house.pk, role=Role.PARTNER_PROFESSIONAL
    )
    with pytest.raises(NotAllowed):
        ask(world, by=other, requesting_party_id=world.party["pro-persona"].pk)


def test_each_reads_what_its_role_and_party_allow(world: World) -> None:
    by_police = ask(world)
    phoned = ask(world, by=world.pc, requesting_party_id=world.police.party_id)
    by_care = ask(world, by=world.care)
    west = make_staff("pc-west", world.municipality, world.other_house, Role.PROCESS_COORDINATOR)

    def visible(user: Any) -> set[UUID]:
        return set(advice_selectors.advice_requests_visible_to(user).values_list("pk", flat=True))

    assert visible(world.pc) == {by_police.pk, phoned.pk, by_care.pk}
    assert visible(world.police) == {by_police.pk, phoned.pk}
    assert visible(world.care) == {by_care.pk}
    assert visible(world.probation) == set()
    assert visible(west) == set()
    assert visible(world.admin) == set()  # functional administrators see no case work

    with pytest.raises(NotFound):
        advice_selectors.advice_request_for(world.probation, by_police.pk)
    sheet = advice_selectors.advice_request_for(world.police, by_police.pk)
    assert (sheet.may_conclude, sheet.may_refer) == (False, True)
    sheet = advice_selectors.advice_request_for(world.pc, by_police.pk)
    assert (sheet.may_conclude, sheet.may_refer) == (True, True)


def test_concluding_is_the_coordinators_and_happens_once(world: World) -> None:
    advice = ask(world)
    with pytest.raises(NotAllowed):
        advice_services.advice_conclude(actor=world.police, advice_id=advice.pk, advice="Lokaal.")
    with pytest.raises(NotFound):
        advice_services.advice_conclude(
            actor=world.probation, advice_id=advice.pk, advice="Lokaal."
        )
    with pytest.raises(InvalidInput):
        advice_services.advice_conclude(actor=world.pc, advice_id=advice.pk, advice="  ")
    advice_services.advice_conclude(
        actor=world.pc, advice_id=advice.pk, advice="Wijkteam inschakelen."
    )
    with pytest.raises(InvalidTransition):
        advice_services.advice_conclude(actor=world.pc, advice_id=advice.pk, advice="Nogmaals.")
    with pytest.raises(InvalidTransition):
        refer(world, world.pc, advice.pk)
    sheet = advice_selectors.advice_request_for(world.pc, advice.pk)
    assert (sheet.may_conclude, sheet.may_refer) == (False, False)


def test_a_partner_refers_only_what_its_own_party_asked(world: World) -> None:
    by_police = ask(world)
    with pytest.raises(InvalidInput) as refused:
        refer(world, world.care, by_police.pk)
    assert refused.value.field == "advice_request"
    assert AdviceRequest.objects.get(pk=by_police.pk).outcome == AdviceOutcome.OPEN

    case = refer(world, world.pc, by_police.pk)  # the house's coordinator may
    linked = AdviceRequest.objects.get(pk=by_police.pk)
    assert (linked.outcome, linked.case_id) == (AdviceOutcome.REFERRED, case.pk)
    assert linked.concluded_at is not None


def test_the_overview_lists_open_oldest_first_then_recent_and_records_one_search(
    world: World,
) -> None:
    newer, older, done = ask(world), ask(world), ask(world)
    age(older, 9)
    age(newer, 2)
    advice_services.advice_conclude(actor=world.pc, advice_id=done.pk, advice="Lokaal oppakken.")
    before = last_seq()

    overview = advice_selectors.advice_overview_for(world.pc)

    assert [(row.pk, row.age_days) for row in overview.open] == [(older.pk, 9), (newer.pk, 2)]
    [concluded] = overview.concluded
    assert (concluded.pk, concluded.advice, concluded.case_url) == (done.pk, "Lokaal oppakken.", "")
    [search] = events_since(before)
    assert (search.action, search.object_type) == (AuditAction.SEARCH, "advicerequest")
    assert set(search.object_ids) == {str(older.pk), str(newer.pk), str(done.pk)}
    assert search.actor_id == world.pc.pk


# Screens ----------------------------------------------------------------------------------


def test_the_list_page_shows_age_outcome_and_the_linked_case(world: World) -> None:
    waiting = ask(world, question="Wacht al een week.")
    age(waiting, 7)
    linked = ask(world, question="Werd een aanmelding.")
    case = refer(world, world.police, linked.pk)
    police = api_client(world.police)
    before = last_seq()

    page = ok(police.get("/adviesvragen/")).content.decode()

    assert "Wacht al een week." in page
    assert f'href="/adviesvragen/{waiting.pk}/"' in page
    assert "<td>7</td>" in page
    assert f'href="/casussen/{case.pk}/"' in page
    assert "Aangemeld bij het huis" in page
    assert 'name="requesting_party"' not in page  # a partner asks only for itself
    assert 'type="hidden" name="house"' in page  # one house: nothing to choose
    [search] = events_since(before)
    assert set(search.object_ids) == {str(waiting.pk), str(linked.pk)}


def test_recording_through_the_form(world: World) -> None:
    pc, police = api_client(world.pc), api_client(world.police)
    page = ok(pc.get("/adviesvragen/")).content.decode()
    assert 'name="requesting_party"' in page
    assert f'<option value="{world.pc.party_id}" selected>' in page

    advice_id = _id_from(
        pc.post(
            "/adviesvragen/",
            {
                "house": world.house.pk,
                "requesting_party": world.party["pro-persona"].pk,
                "question": "Telefoon: cliënt mijdt zorg.",
            },
        )
    )
    assert AdviceRequest.objects.get(pk=advice_id).requesting_party == world.party["pro-persona"]

    # A partner's form has no party to choose; a party sent anyway is not taken.
    own = _id_from(
        police.post(
            "/adviesvragen/",
            {
                "house": world.house.pk,
                "requesting_party": world.party["pro-persona"].pk,
                "question": "Overlast in de wijk.",
            },
        )
    )
    assert AdviceRequest.objects.get(pk=own).requesting_party_id == world.police.party_id


def test_bad_input_keeps_what_was_typed(world: World) -> None:
    pc = api_client(world.pc)
    count = AdviceRequest.objects.count()
    response = pc.post("/adviesvragen/", {"house": world.house.pk, "question": ""})
    assert response.status_code == 400
    assert 'id="id_question-error"' in response.content.decode()

    response = pc.post(
        "/adviesvragen/",
        {"house": world.house.pk, "requesting_party": "999999", "question": "Mijn getypte vraag."},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Mijn getypte vraag." in page
    assert 'aria-invalid="true"' in page
    assert AdviceRequest.objects.count() == count


def test_a_coordinator_elsewhere_naming_another_party_sees_it_at_the_field(world: World) -> None:
    other = make_staff("pc-west", world.municipality, world.other_house, Role.PROCESS_COORDINATOR)
    house_role_grant(
        actor=None, user=other, house_id=world.house.pk, role=Role.PARTNER_PROFESSIONAL
    )
    response = api_client(other).post(
        "/adviesvragen/",
        {
            "house": world.house.pk,
            "requesting_party": world.party["pro-persona"].pk,
            "question": "Namens een ander.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Alleen een procesregisseur van dit huis" in page
    assert "Namens een ander." in page
    assert not AdviceRequest.objects.exists()


def test_concluding_on_the_page(world: World) -> None:
    advice = ask(world)
    pc, police = api_client(world.pc), api_client(world.police)
    page = ok(pc.get(f"/adviesvragen/{advice.pk}/")).content.decode()
    assert f'action="/adviesvragen/{advice.pk}/afhandelen/"' in page
    assert f'href="/aanmelden/?adviesvraag={advice.pk}"' in page
    partner_page = ok(police.get(f"/adviesvragen/{advice.pk}/")).content.decode()
    assert "afhandelen/" not in partner_page
    assert f"adviesvraag={advice.pk}" in partner_page  # the asking party may refer it

    empty = pc.post(f"/adviesvragen/{advice.pk}/afhandelen/", {"advice": ""})
    assert empty.status_code == 400
    before = last_seq()
    denied = police.post(f"/adviesvragen/{advice.pk}/afhandelen/", {"advice": "Zelf gedaan."})
    assert denied.status_code == 403
    assert police.post(f"/adviesvragen/{advice.pk}/afhandelen/", {"advice": ""}).status_code == 403
    assert len(events_since(before, result=Result.DENIED)) == 2

    ok(pc.post(f"/adviesvragen/{advice.pk}/afhandelen/", {"advice": "Naar het wijkteam."}), 302)
    assert AdviceRequest.objects.get(pk=advice.pk).outcome == AdviceOutcome.HANDLED_LOCALLY
    assert "Naar het wijkteam." in ok(police.get(f"/adviesvragen/{advice.pk}/")).content.decode()

    twice = pc.post(f"/adviesvragen/{advice.pk}/afhandelen/", {"advice": "Nog een advies."})
    assert twice.status_code == 400
    assert "Deze adviesvraag is al afgehandeld." in twice.content.decode()
    assert AdviceRequest.objects.get(pk=advice.pk).advice == "Naar het wijkteam."


def test_outsiders_get_404_and_the_read_is_recorded(world: World) -> None:
    advice = ask(world)
    probation = api_client(world.probation)
    before = last_seq()
    assert probation.get(f"/adviesvragen/{advice.pk}/").status_code == 404
    assert probation.get(f"/adviesvragen/{uuid4()}/").status_code == 404
    conclude = probation.post(f"/adviesvragen/{advice.pk}/afhandelen/", {"advice": "x"})
    assert conclude.status_code == 404
    assert probation.get(f"/aanmelden/?adviesvraag={advice.pk}").status_code == 404
    assert probation.get("/aanmelden/?adviesvraag=geen-id").status_code == 404
    assert len(events_since(before, result=Result.DENIED)) == 5

    police = api_client(world.police)
    before = last_seq()
    ok(police.get(f"/adviesvragen/{advice.pk}/"))
    [read] = events_since(before)
    assert (read.action, read.object_type, read.object_id) == (
        AuditAction.READ,
        "advicerequest",
        str(advice.pk),
    )


def test_a_case_raised_by_phone_and_registered_by_the_coordinator_is_the_callers(
    world: World,
) -> None:
    probation = world.party["reclassering-nederland"]
    phoned = ask(world, by=world.pc, requesting_party_id=probation.pk)
    before = last_seq()
    case = refer(world, world.pc, phoned.pk)
    assert (case.referring_party_id, case.referred_by_id) == (probation.pk, world.pc.pk)
    referrer = CaseParty.objects.get(case=case, role=REFERRER_ROLE)
    assert referrer.party_id == probation.pk
    # The calling party takes part as referrer, so its professional sees the case.
    assert cases_visible_to(world.probation).filter(pk=case.pk).exists()
    [created] = events_since(before, action=AuditAction.CREATE, object_type="case")
    assert created.role == Role.PROCESS_COORDINATOR
    # A partner's own referral stays its own party's.
    own = refer(world, world.police, ask(world).pk)
    assert own.referring_party_id == world.party["politie-oost-nederland"].pk


def test_referring_an_advice_request_through_the_referral_form(world: World) -> None:
    advice = ask(world, question="Vraag over een gezin in de wijk.")
    pc = api_client(world.pc)
    page = ok(pc.get(f"/aanmelden/?adviesvraag={advice.pk}")).content.decode()
    assert "Vraag over een gezin in de wijk." in page
    assert f'name="advice_request" value="{advice.pk}"' in page

    case_id = _id_from(pc.post("/aanmelden/", referral_form(world, advice_request=str(advice.pk))))
    linked = AdviceRequest.objects.get(pk=advice.pk)
    assert (linked.outcome, linked.case_id) == (AdviceOutcome.REFERRED, case_id)

    # Referred once: the form is not offered again, and a second referral is refused.
    again = pc.get(f"/aanmelden/?adviesvraag={advice.pk}")
    assert again.status_code == 302
    assert again["Location"] == f"/adviesvragen/{advice.pk}/"
    cases = Case.objects.count()
    second = pc.post("/aanmelden/", referral_form(world, advice_request=str(advice.pk)))
    page = second.content.decode()
    assert second.status_code == 400
    assert "Deze adviesvraag is al afgehandeld." in page
    assert "van Dijk" in page  # what was typed stays
    assert Case.objects.count() == cases

    # Another party's advice request looks unknown to a partner.
    other = ask(world, by=world.care)
    refused = api_client(world.police).post(
        "/aanmelden/", referral_form(world, advice_request=str(other.pk))
    )
    assert refused.status_code == 400
    assert "Onbekende adviesvraag." in refused.content.decode()


def test_the_navigation_offers_the_list_to_case_roles_only(world: World) -> None:
    assert 'href="/adviesvragen/"' in ok(api_client(world.police).get("/")).content.decode()
    officer = make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER)
    assert 'href="/adviesvragen/"' not in ok(api_client(officer).get("/")).content.decode()


def test_the_whole_flow_through_the_screens(world: World) -> None:
    local, phoned = advice_flow(world)
    assert AdviceRequest.objects.get(pk=local).outcome == AdviceOutcome.HANDLED_LOCALLY
    assert (
        AdviceRequest.objects.get(pk=phoned).requesting_party
        == world.party["reclassering-nederland"]
    )


# API --------------------------------------------------------------------------------------


def test_the_api_lists_what_each_may_read_and_records_each_page(world: World) -> None:
    mine, theirs = ask(world), ask(world, by=world.care)
    advice_services.advice_conclude(actor=world.pc, advice_id=theirs.pk, advice="Lokaal.")
    police, pc = world.api(world.police), world.api(world.pc)

    before = last_seq()
    body = ok(police.get("/api/v1/advice-requests/")).json()
    assert [a["id"] for a in body["results"]] == [str(mine.pk)]
    [search] = events_since(before)
    assert (search.action, search.object_type, search.object_ids) == (
        AuditAction.SEARCH,
        "advicerequest",
        [str(mine.pk)],
    )

    everything = ok(pc.get("/api/v1/advice-requests/")).json()["results"]
    assert [a["id"] for a in everything] == [str(theirs.pk), str(mine.pk)]  # newest first
    open_only = ok(pc.get("/api/v1/advice-requests/?outcome=open")).json()["results"]
    assert [a["id"] for a in open_only] == [str(mine.pk)]
    assert everything[0]["advice"] == "Lokaal."

    bad = pc.get("/api/v1/advice-requests/?outcome=weg")
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "outcome"
    assert ok(world.api(world.probation).get("/api/v1/advice-requests/")).json()["results"] == []


def test_the_api_records_for_another_party_only_for_a_coordinator(world: World) -> None:
    other = world.party["reclassering-nederland"].pk
    body = {"house": world.house.pk, "question": "Telefonisch.", "requesting_party": other}
    refused = world.api(world.police).post("/api/v1/advice-requests/", body, format="json")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["field"] == "requesting_party"
    created = ok(world.api(world.pc).post("/api/v1/advice-requests/", body, format="json"), 201)
    assert created.json()["requesting_party"] == other


def test_the_schema_describes_the_list(world: World) -> None:
    schema = ok(world.api(world.pc).get("/api/v1/schema/?format=json")).json()
    operation = schema["paths"]["/api/v1/advice-requests/"]["get"]
    assert operation["summary"] == "Adviesvragen"
    assert any(p["name"] == "outcome" for p in operation["parameters"])


def test_the_list_reads_in_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    pc = api_client(world.pc)
    ask(world)
    with CaptureQueriesContext(connection) as few:
        ok(pc.get("/adviesvragen/"))
    for n in range(6):
        advice_services.advice_conclude(
            actor=world.pc, advice_id=ask(world).pk, advice=f"Advies {n}"
        )
        ask(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        ok(pc.get("/adviesvragen/"))
