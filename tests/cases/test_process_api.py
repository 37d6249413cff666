# SPDX-License-Identifier: EUPL-1.2
"""The complex-case process end to end through the API, as the Gelderland-Midden roles run it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case
from ketentafel.information.models import InformationItem
from ketentafel.plans.selectors import overdue_actions_for
from tests.cases.conftest import World, future, referral
from tests.cases.flows import active_case, consulted_json

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def ok(response, code: int = 200):  # type: ignore[no-untyped-def]
    assert response.status_code == code, response.content.decode()
    return response.json()


def test_a_case_from_referral_to_closure(world: World) -> None:
    police, pc, ic = world.api(world.police), world.api(world.pc), world.api(world.ic)
    manager, secretary = world.api(world.manager), world.api(world.secretary)
    probation, care = world.api(world.probation), world.api(world.care)
    party = world.party

    # Referral by the police (Bijlage 3: personalia, problem statement, goal).
    case = ok(police.post("/api/v1/cases/", referral(world), format="json"), 201)
    case_id = case["id"]
    assert case["phase"] == "referred"
    assert case["subject"] == "Jan de Vries"
    assert [p["role"] for p in case["parties"]] == ["Aanmelder"]

    # The house's process coordinator sees it in the queue; an uninvolved party does not.
    assert [c["id"] for c in ok(pc.get("/api/v1/cases/"))["results"]] == [case_id]
    assert ok(probation.get("/api/v1/cases/"))["results"] == []
    assert probation.get(f"/api/v1/cases/{case_id}/").status_code == 404

    # Intake: the process coordinator takes it up and names the information coordinator.
    case = ok(
        pc.post(
            f"/api/v1/cases/{case_id}/intake/",
            {"information_coordinator": world.ic.pk},
            format="json",
        )
    )
    assert case["phase"] == "enrichment"
    assert case["process_coordinator"] == world.pc.pk
    assert ok(pc.get(f"/api/v1/cases/{case_id}/already-known/")) == []

    # Enrichment: the IC asks probation; probation sees the request and answers it.
    request = ok(
        ic.post(
            f"/api/v1/cases/{case_id}/information-requests/",
            {
                "party": party["reclassering-nederland"].pk,
                "question": "Lopend toezicht en bijzondere voorwaarden?",
                "reason": "Weging voor het triage-overleg.",
                "deadline": future(7),
            },
            format="json",
        ),
        201,
    )
    mine = ok(probation.get("/api/v1/information-requests/"))
    assert [r["id"] for r in mine] == [request["id"]]
    probation_item = ok(
        probation.post(
            f"/api/v1/cases/{case_id}/items/",
            {
                "life_domain": "criminal_history",
                "text": "Toezicht loopt tot volgend jaar; meldplicht wekelijks.",
                "legal_basis": "Wjsg art. 8a",
                "data_category": "justice",
                "sharing": "pre_meeting",
                "request": request["id"],
            },
            format="json",
        ),
        201,
    )
    assert probation_item["may_change_sharing"] is True
    police_item = ok(
        police.post(
            f"/api/v1/cases/{case_id}/items/",
            {
                "life_domain": "behaviour",
                "text": "Drie meldingen van overlast in het afgelopen kwartaal.",
                "legal_basis": "Wpg art. 19",
                "data_category": "police",
                "sharing": "coordination",
            },
            format="json",
        ),
        201,
    )

    # Triage: submitted by the IC, accepted by the location manager with the criteria.
    ok(ic.post(f"/api/v1/cases/{case_id}/triage/submit/"))
    decision = ok(
        manager.post(
            f"/api/v1/cases/{case_id}/triage/decision/",
            {
                "serious_area_problem": False,
                "system_impact": True,
                "multiple_chains_needed": True,
                "multiple_problems": True,
                "outcome": "accepted",
                "explanation": "Zorg en straf samen nodig.",
                "goal": "Stabiele woonsituatie en geen nieuwe delicten.",
                "themes": [world.themes[1].pk],
                "invitations": [
                    {
                        "party": party["reclassering-nederland"].pk,
                        "role": "Toezicht",
                        "information_need": "Voorwaarden en naleving",
                    },
                    {
                        "party": party["pro-persona"].pk,
                        "role": "Behandeling",
                        "information_need": "Behandelaanbod",
                    },
                ],
                **consulted_json(),
            },
            format="json",
        ),
        201,
    )
    assert decision["case_phase"] == "accepted"
    case = ok(pc.get(f"/api/v1/cases/{case_id}/"))
    assert case["phase"] == "accepted"
    assert {p["party"] for p in case["parties"]} == {
        party["politie-oost-nederland"].pk,
        party["reclassering-nederland"].pk,
        party["pro-persona"].pk,
    }

    # Before the meeting care reads what its supplier approved for pre-reading once the
    # process coordinator, in consultation with the referrer, assessed it so (art. 13.2d).
    assert ok(care.get(f"/api/v1/cases/{case_id}/items/")) == []
    assessment = ok(
        pc.put(
            f"/api/v1/items/{probation_item['id']}/pre-meeting-assessment/",
            {
                "may_read_before_meeting": True,
                "consulted_party": party["politie-oost-nederland"].pk,
                "consulted_on": timezone.localdate().isoformat(),
                "assessment": "Nodig voor de voorbereiding van de zorgpartij.",
            },
            format="json",
        )
    )
    assert assessment["supplier_approved"] is True
    dossier = ok(care.get(f"/api/v1/cases/{case_id}/items/"))
    assert [i["id"] for i in dossier] == [probation_item["id"]]
    assert care.get(f"/api/v1/items/{police_item['id']}/").status_code == 404
    assert (
        care.put(
            f"/api/v1/items/{probation_item['id']}/sharing/",
            {"sharing": "coordination"},
            format="json",
            HTTP_IF_MATCH=f'"{probation_item["version"]}"',
        ).status_code
        == 403
    )
    shared = police.put(
        f"/api/v1/items/{police_item['id']}/sharing/",
        {"sharing": "after_meeting"},
        format="json",
        HTTP_IF_MATCH=f'"{police_item["version"]}"',
    )
    assert ok(shared)["version"] == police_item["version"] + 1
    assert shared["ETag"] == f'"{police_item["version"] + 1}"'

    # The case meeting: scheduled, agenda, minutes with the required appointments, held.
    starts = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    meeting = ok(
        secretary.post(
            "/api/v1/meetings/",
            {
                "house": world.house.pk,
                "body": world.mdo.pk,
                "starts_at": starts,
                "location": "Veiligheidshuis Arnhem",
            },
            format="json",
        ),
        201,
    )
    agenda = ok(
        pc.post(
            f"/api/v1/meetings/{meeting['id']}/agenda-items/",
            {"case": case_id, "purpose": "first_discussion"},
            format="json",
        ),
        201,
    )
    refused = secretary.post(f"/api/v1/meetings/{meeting['id']}/hold/")
    assert refused.status_code == 400
    assert "casusregisseur" in refused.json()["detail"]
    decision_type = (
        world.house.covenant.decision_types.get(slug="opstellen-plan-van-aanpak")
        if world.house.covenant.decision_types.filter(slug="opstellen-plan-van-aanpak").exists()
        else world.house.covenant.decision_types.first()
    )
    assert decision_type is not None
    read = secretary.get(f"/api/v1/agenda-items/{agenda['id']}/")
    assert ok(read)["version"] == agenda["version"]
    ok(
        secretary.post(
            f"/api/v1/agenda-items/{agenda['id']}/record/",
            {
                "minutes": "Besproken: woonsituatie, toezicht en behandeling.",
                "case_coordinator_party": party["reclassering-nederland"].pk,
                "case_coordinator": world.probation.pk,
                "informs_client": "Reclassering",
                "on_arrest": "Politie informeert de procesregisseur dezelfde dag.",
                "closure_criteria": "Drie maanden geen meldingen en behandeling gestart.",
                "decisions": [
                    {"text": "Plan van aanpak vastgesteld.", "decision_type": decision_type.pk}
                ],
            },
            format="json",
            HTTP_IF_MATCH=read["ETag"],
        )
    )
    assert ok(secretary.post(f"/api/v1/meetings/{meeting['id']}/hold/"))["status"] == "held"
    assert ok(pc.get(f"/api/v1/cases/{case_id}/"))["phase"] == "active"

    # After the meeting every participating party reads the after-meeting items.
    dossier = ok(care.get(f"/api/v1/cases/{case_id}/items/"))
    assert {i["id"] for i in dossier} == {probation_item["id"], police_item["id"]}

    # The action plan, versioned; the owner reports progress, only the PC changes terms.
    # No plan yet, so no version to name: any.
    ok(
        pc.put(
            f"/api/v1/cases/{case_id}/action-plan/",
            {"goal": "Stabiel wonen."},
            format="json",
            HTTP_IF_MATCH="*",
        )
    )
    action = ok(
        pc.post(
            f"/api/v1/cases/{case_id}/action-plan/actions/",
            {
                "owner_party": party["reclassering-nederland"].pk,
                "owner": world.probation.pk,
                "what": "Huisbezoek met wijkagent",
                "due_on": future(10),
            },
            format="json",
        ),
        201,
    )
    action_tag = f'"{action["version"]}"'
    assert (
        probation.patch(
            f"/api/v1/actions/{action['id']}/",
            {"due_on": future(30)},
            format="json",
            HTTP_IF_MATCH=action_tag,
        ).status_code
        == 403
    )
    assert probation.get(f"/api/v1/actions/{action['id']}/")["ETag"] == action_tag
    ok(
        probation.patch(
            f"/api/v1/actions/{action['id']}/",
            {"status": "done"},
            format="json",
            HTTP_IF_MATCH=action_tag,
        )
    )
    ok(
        pc.put(
            f"/api/v1/cases/{case_id}/action-plan/",
            {"goal": "Stabiel wonen, werk."},
            format="json",
            HTTP_IF_MATCH=pc.get(f"/api/v1/cases/{case_id}/action-plan/")["ETag"],
        )
    )
    plan = ok(pc.get(f"/api/v1/cases/{case_id}/action-plan/"))
    assert plan["version"] == 4
    assert plan["actions"][0]["status"] == "done"
    versions = ok(pc.get(f"/api/v1/cases/{case_id}/action-plan/versions/"))
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert versions[0]["actions"] == []
    assert versions[2]["actions"][0]["status"] == "done"
    assert versions[2]["goal"] == "Stabiel wonen."

    # Closure, decided in a later held meeting; the referrer's notice is recorded.
    meeting2 = ok(
        secretary.post(
            "/api/v1/meetings/",
            {"house": world.house.pk, "body": world.mdo.pk, "starts_at": starts},
            format="json",
        ),
        201,
    )
    agenda2 = ok(
        pc.post(
            f"/api/v1/meetings/{meeting2['id']}/agenda-items/",
            {"case": case_id, "purpose": "closure"},
            format="json",
        ),
        201,
    )
    ok(secretary.post(f"/api/v1/meetings/{meeting2['id']}/hold/"))
    case = ok(
        pc.post(
            f"/api/v1/cases/{case_id}/closure/",
            {
                "agenda_item": agenda2["id"],
                "reason": "goal_reached",
                "referrer_notice": "Politie per brief geïnformeerd over de afschaling.",
            },
            format="json",
        )
    )
    assert case["phase"] == "closed"
    assert case["allowed_transitions"] == []
    assert Case.objects.get(pk=case_id).closure.referrer_informed_at is not None

    # After closure a party keeps only its own items in view.
    assert {i["id"] for i in ok(care.get(f"/api/v1/cases/{case_id}/items/"))} == set()
    assert {i["id"] for i in ok(police.get(f"/api/v1/cases/{case_id}/items/"))} == {
        police_item["id"]
    }

    # Every step left audit events, and none of them holds a name or a BSN.
    events = AuditEvent.objects.filter(case_id=case_id)
    assert events.filter(action="create", object_type="case").count() == 1
    assert events.filter(action="transition").count() >= 3
    dumped = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "de Vries" not in dumped
    assert "111222333" not in dumped


def test_already_known_shows_where_but_not_what(world: World) -> None:
    police, care, pc = world.api(world.police), world.api(world.care), world.api(world.pc)
    first = ok(police.post("/api/v1/cases/", referral(world), format="json"), 201)
    ok(
        pc.post(
            f"/api/v1/cases/{first['id']}/intake/",
            {"information_coordinator": world.ic.pk},
            format="json",
        )
    )
    same_person = referral(
        world, persons=[{"given_names": "J.", "surname": "De  Vries", "birth_date": "1990-04-12"}]
    )
    second = ok(care.post("/api/v1/cases/", same_person, format="json"), 201)
    found = ok(pc.get(f"/api/v1/cases/{second['id']}/already-known/"))
    assert found == [
        {
            "house": "Veiligheidshuis Regio Arnhem",
            "parties": ["Politie Eenheid Oost-Nederland"],
            "contact": "Pc Test <pc@example.invalid>",
        }
    ]
    assert "Herhaalde overlast" not in json.dumps(found)
    assert care.get(f"/api/v1/cases/{second['id']}/already-known/").status_code == 403


def test_advice_request_handled_locally_or_referred(world: World) -> None:
    police, pc = world.api(world.police), world.api(world.pc)
    advice = ok(
        police.post(
            "/api/v1/advice-requests/",
            {"house": world.house.pk, "question": "Is dit iets voor het huis?"},
            format="json",
        ),
        201,
    )
    assert (
        police.post(
            f"/api/v1/advice-requests/{advice['id']}/conclude/", {"advice": "Lokaal"}, format="json"
        ).status_code
        == 403
    )
    done = ok(
        pc.post(
            f"/api/v1/advice-requests/{advice['id']}/conclude/",
            {"advice": "Bespreek in het lokale zorgnetwerk."},
            format="json",
        )
    )
    assert done["outcome"] == "handled_locally"

    second = ok(
        police.post(
            "/api/v1/advice-requests/",
            {"house": world.house.pk, "question": "Meervoudige problematiek?"},
            format="json",
        ),
        201,
    )
    case = ok(
        police.post("/api/v1/cases/", referral(world, advice_request=second["id"]), format="json"),
        201,
    )
    assert case["phase"] == "referred"
    again = police.post(
        "/api/v1/cases/", referral(world, advice_request=second["id"]), format="json"
    )
    assert again.status_code == 409


def test_overdue_actions_are_listed_for_the_owner_party(world: World) -> None:
    case_id, action_id = active_case(world)
    later = datetime.date.today() + datetime.timedelta(days=40)
    assert [a.pk for a in overdue_actions_for(world.probation, today=later)] == [action_id]
    assert list(overdue_actions_for(world.care, today=later)) == []
    assert ok(world.api(world.probation).get("/api/v1/actions/overdue/")) == []
    assert InformationItem.objects.filter(case_id=case_id).count() == 0
