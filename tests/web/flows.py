# SPDX-License-Identifier: EUPL-1.2
"""The whole complex-case process through the screens, as the people of a house click it.

Used by the screen tests and by the route inventory (tests/audit/test_route_inventory.py),
which checks that every screen showing personal data leaves an audit event.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from uuid import UUID

from django.utils import timezone
from rest_framework.test import APIClient

from ketentafel.accounts.models import Role
from ketentafel.information.models import InformationItem, InformationRequest
from ketentafel.meetings.models import AgendaItem, Meeting
from ketentafel.plans.models import Action
from tests.cases.conftest import World, api_client, make_staff
from tests.cases.flows import consulted_form

UUID_IN_PATH = re.compile(r"/([0-9a-f-]{36})/")


def _id_from(response: Any) -> UUID:
    assert response.status_code == 302, response.content.decode()[:3000]
    match = UUID_IN_PATH.search(response["Location"])
    assert match, response["Location"]
    return UUID(match.group(1))


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (
        response.status_code,
        response.content.decode(errors="replace")[:4000],
    )
    return response


def later(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def referral_form(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "house": world.house.pk,
        "track": world.track.pk,
        "subject_kind": "person",
        "area_description": "",
        "persons-TOTAL_FORMS": "3",
        "persons-INITIAL_FORMS": "0",
        "persons-MIN_NUM_FORMS": "0",
        "persons-MAX_NUM_FORMS": "3",
        "persons-0-given_names": "Sanne",
        "persons-0-surname": "van Dijk",
        "persons-0-birth_date": "1988-03-02",
        "persons-0-bsn": "111222333",
        "persons-0-address": "Voorbeeldlaan 4",
        "persons-0-municipality": "Arnhem",
        "municipality": world.municipality.pk,
        "problem_statement": "Overlast, schulden en zorgmijding; partners werken langs elkaar.",
        "goal": "Eén gezamenlijk plan van aanpak.",
        "themes": [world.themes[0].pk],
    }
    data.update(overrides)
    return data


def item_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "life_domain": "housing",
        "text": "Huurachterstand van drie maanden.",
        "legal_basis": "AVG art. 6 lid 1 sub e",
        "data_category": "ordinary",
        "sharing": "pre_meeting",
    }
    data.update(overrides)
    return data


def screen_flow(world: World) -> UUID:
    """Referral to closure through every screen; returns the closed case's id."""
    police, pc, ic = api_client(world.police), api_client(world.pc), api_client(world.ic)
    manager, secretary = api_client(world.manager), api_client(world.secretary)
    probation, housing = api_client(world.probation), api_client(world.housing)

    # Referral by a partner professional.
    ok(police.get("/aanmelden/"))
    case_id = _id_from(police.post("/aanmelden/", referral_form(world)))
    ok(police.get(f"/casussen/{case_id}/"))
    ok(police.get("/casussen/"))

    # The process coordinator sees it in the work queue and takes it up.
    assert "Sanne" in ok(pc.get("/werkvoorraad/")).content.decode()
    ok(pc.get(f"/casussen/{case_id}/elders-bekend/"))
    ok(
        pc.post(f"/casussen/{case_id}/intake/", {"information_coordinator": world.ic.pk}),
        302,
    )
    ok(
        pc.post(
            f"/casussen/{case_id}/partijen/",
            {
                "party": world.party["vivare"].pk,
                "role": "Verhuurder",
                "information_need": "Huurgedrag",
            },
        ),
        302,
    )

    # The information coordinator asks the police and the housing corporation.
    ok(ic.get(f"/casussen/{case_id}/informatieverzoeken/"))
    for party in ("politie-oost-nederland", "vivare"):
        ok(
            ic.post(
                f"/casussen/{case_id}/informatieverzoeken/",
                {
                    "party": world.party[party].pk,
                    "question": "Welke meldingen en afspraken zijn er?",
                    "reason": "Voorbereiding triage",
                    "deadline": later(10),
                },
            ),
            302,
        )
    ok(ic.get("/informatieverzoeken/"))
    police_request = InformationRequest.objects.get(
        case_id=case_id, party=world.party["politie-oost-nederland"]
    )
    housing_request = InformationRequest.objects.get(case_id=case_id, party=world.party["vivare"])

    # Partners answer: police supplies an item, the corporation has nothing.
    ok(police.get("/informatieverzoeken/"))
    ok(police.get(f"/informatieverzoeken/{police_request.pk}/"))
    ok(police.post(f"/informatieverzoeken/{police_request.pk}/", item_form()), 302)
    ok(
        housing.post(
            f"/informatieverzoeken/{housing_request.pk}/geen-informatie/",
            {"note": "Geen huurder bij ons.", "version": housing_request.version},
        ),
        302,
    )
    item = InformationItem.objects.get(
        case_id=case_id, supplier_party=world.party["politie-oost-nederland"]
    )
    ok(police.get("/eigen-informatie/"))
    ok(police.get(f"/items/{item.pk}/delen/"))
    ok(
        police.post(
            f"/items/{item.pk}/delen/",
            {f"s-{item.pk}-sharing": "coordination", f"s-{item.pk}-version": item.version},
        ),
        302,
    )

    # Enrichment done: triage.
    ok(ic.post(f"/casussen/{case_id}/triage/aanbieden/"), 302)
    ok(manager.get(f"/casussen/{case_id}/triage/"))
    ok(
        manager.post(
            f"/casussen/{case_id}/triage/",
            {
                "serious_area_problem": "on",
                "multiple_chains_needed": "on",
                "multiple_problems": "on",
                "outcome": "accepted",
                "explanation": "Voldoet aan de criteria.",
                "goal": "Stabiel wonen en zorg.",
                "themes": [world.themes[0].pk],
                "invite": [
                    world.party["reclassering-nederland"].pk,
                    world.party["pro-persona"].pk,
                ],
                "invite_reason": "Toezicht en behandeling",
                **consulted_form(),
            },
        ),
        302,
    )
    ok(pc.get(f"/casussen/{case_id}/dossier/"))
    ok(pc.post(f"/casussen/{case_id}/dossier/", item_form(life_domain="finances")), 302)

    # The case meeting.
    ok(secretary.get("/overleggen/"))
    starts = timezone.localtime() + datetime.timedelta(minutes=2)
    meeting_id = _id_from(
        secretary.post(
            "/overleggen/",
            {
                "body": world.mdo.pk,
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
                "location": "Zaal 2",
            },
        )
    )
    # The process coordinator puts the case on the agenda from the case page.
    assert f'value="{meeting_id}"' in ok(pc.get(f"/casussen/{case_id}/")).content.decode()
    ok(
        pc.post(
            f"/casussen/{case_id}/agenderen/",
            {"meeting": str(meeting_id), "purpose": "first_discussion"},
        ),
        302,
    )
    ok(secretary.get(f"/overleggen/{meeting_id}/"))
    ok(secretary.get(f"/overleggen/{meeting_id}/agenda.pdf"))
    ok(probation.get(f"/overleggen/{meeting_id}/uitnodiging.ics"))
    agenda_item = AgendaItem.objects.get(meeting_id=meeting_id, case_id=case_id)
    ok(secretary.get(f"/agendapunten/{agenda_item.pk}/"))
    ok(
        secretary.post(
            f"/agendapunten/{agenda_item.pk}/",
            {
                "minutes": "Besproken; reclassering neemt de regie.",
                "case_coordinator_party": world.party["reclassering-nederland"].pk,
                "informs_client": "Reclassering",
                "on_arrest": "Procesregisseur informeren.",
                "closure_criteria": "Wonen stabiel, zorg loopt.",
                "decision": "Casus in behandeling in het MDO.",
                "version": agenda_item.version,
            },
        ),
        302,
    )
    ok(secretary.post(f"/overleggen/{meeting_id}/gehouden/"), 302)
    ok(secretary.get(f"/overleggen/{meeting_id}/verslag.pdf"))

    # The action plan.
    ok(pc.get(f"/casussen/{case_id}/plan/"))
    # Version 0: the page showed a case without a plan.
    ok(pc.post(f"/casussen/{case_id}/plan/", {"goal": "Stabiel wonen en zorg.", "version": 0}), 302)
    ok(
        pc.post(
            f"/casussen/{case_id}/plan/acties/",
            {
                "owner_party": world.party["reclassering-nederland"].pk,
                "what": "Huisbezoek",
                "due_on": later(7),
            },
        ),
        302,
    )
    action = Action.objects.get(plan__case_id=case_id)
    ok(pc.get(f"/acties/{action.pk}/wijzigen/"))
    ok(
        pc.post(
            f"/acties/{action.pk}/wijzigen/",
            {
                "what": "Huisbezoek met wijkagent",
                "due_on": later(14),
                "status": "open",
                "version": action.version,
            },
        ),
        302,
    )
    ok(probation.get("/acties/"))
    action.refresh_from_db()
    ok(
        probation.post(
            f"/acties/{action.pk}/status/", {"status": "done", "version": action.version}
        ),
        302,
    )
    ok(pc.get(f"/casussen/{case_id}/plan/pdf/"))

    # Closure, decided in a later meeting.
    starts = timezone.localtime() + datetime.timedelta(minutes=3)
    second = _id_from(
        secretary.post(
            "/overleggen/",
            {"body": world.mdo.pk, "starts_at": starts.strftime("%Y-%m-%dT%H:%M")},
        )
    )
    # On the meeting page the coordinator finds the case by name and puts it on the agenda.
    found = ok(pc.post(f"/overleggen/{second}/zoeken/", {"search": "van Dijk"})).content.decode()
    assert f'value="{case_id}"' in found
    ok(pc.post(f"/overleggen/{second}/", {"case": str(case_id), "purpose": "closure"}), 302)
    ok(secretary.post(f"/overleggen/{second}/gehouden/"), 302)
    closing_item = AgendaItem.objects.get(meeting_id=second, case_id=case_id)
    ok(pc.get(f"/casussen/{case_id}/afschalen/"))
    ok(
        pc.post(
            f"/casussen/{case_id}/afschalen/",
            {
                "agenda_item": str(closing_item.pk),
                "reason": "goal_reached",
                "referrer_notice": "De aanmelder is gebeld.",
            },
        ),
        302,
    )

    # Management and privacy officer screens.
    ok(manager.get("/overzicht/"))
    officer: APIClient = api_client(
        make_staff("po-web", world.municipality, world.house, Role.PRIVACY_OFFICER)
    )
    ok(officer.get("/auditlog/"))
    ok(officer.post("/auditlog/", {"case_id": str(case_id)}))
    assert Meeting.objects.filter(pk=meeting_id).exists()
    return case_id
