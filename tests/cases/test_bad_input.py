# SPDX-License-Identifier: EUPL-1.2
"""Bad input through the API: a 400 problem response naming the field, and nothing stored.

Each row posts one mistake a partner system could make: a missing field, a wrong type, text over
the limit, an invalid BSN (elfproef), dates in the wrong order, an id that does not exist or is
not allowed there. The answer is an RFC 9457 problem document (`docs/api.md`) whose `errors`
list names the field, and no row of the process nor any audit event is written (a 400 is not a
refusal of access, so no `permission_denied` event either).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from functools import cached_property
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from ketentafel.advice.models import AdviceRequest
from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case, CaseParty, Closure, Person, TriageDecision
from ketentafel.covenants.models import Membership, MembershipStatus
from ketentafel.information.models import (
    DisclosureConsent,
    InformationItem,
    InformationRequest,
    ItemShare,
    Sharing,
)
from ketentafel.meetings.models import AgendaItem, Decision, Meeting
from ketentafel.meetings.services import meeting_schedule
from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion
from tests.cases.conftest import World, future, referral
from tests.cases.flows import (
    accepted,
    active_case,
    consulted_json,
    in_enrichment,
    in_triage,
    referred,
    supply,
)

pytestmark = pytest.mark.django_db

STORED: list[type[Model]] = [
    AdviceRequest,
    Case,
    Person,
    CaseParty,
    TriageDecision,
    Meeting,
    AgendaItem,
    Decision,
    ActionPlan,
    ActionPlanVersion,
    Action,
    Closure,
    InformationRequest,
    InformationItem,
    ItemShare,
    DisclosureConsent,
    AuditEvent,
]


def stored() -> dict[str, Any]:
    counts: dict[str, Any] = {m.__name__: m.objects.count() for m in STORED}
    counts["phases"] = sorted(Case.objects.values_list("phase", flat=True))
    counts["plans"] = sorted(ActionPlan.objects.values_list("goal", "version"))
    counts["actions"] = sorted(Action.objects.values_list("status", "due_on"))
    counts["sharing"] = sorted(InformationItem.objects.values_list("sharing", flat=True))
    return counts


class Ctx:
    """The cases a row needs, built on first use so each row builds only its own."""

    def __init__(self, world: World) -> None:
        self.w = world

    @cached_property
    def referred(self) -> uuid.UUID:
        return referred(self.w).pk

    @cached_property
    def enrichment(self) -> uuid.UUID:
        return in_enrichment(self.w).pk

    @cached_property
    def triage(self) -> uuid.UUID:
        return in_triage(self.w).pk

    @cached_property
    def accepted(self) -> uuid.UUID:
        return accepted(self.w).pk

    @cached_property
    def active(self) -> tuple[uuid.UUID, uuid.UUID]:
        return active_case(self.w)

    @cached_property
    def agenda_item(self) -> uuid.UUID:
        return AgendaItem.objects.get(case_id=self.active[0]).pk

    @cached_property
    def police_item(self) -> uuid.UUID:
        return supply(
            self.w, Case.objects.get(pk=self.enrichment), self.w.police, Sharing.PRE_MEETING
        )

    def party(self, slug: str) -> int:
        return self.w.party[slug].pk


def person(**overrides: Any) -> dict[str, Any]:
    body = {"given_names": "Kees", "surname": "Jansen", "birth_date": "1985-02-01", "bsn": ""}
    body.update(overrides)
    return body


def triage_body(c: Ctx, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "serious_area_problem": True,
        "system_impact": False,
        "multiple_chains_needed": True,
        "multiple_problems": True,
        "outcome": "accepted",
        "explanation": "Zorg en straf samen nodig.",
        "goal": "Eén plan.",
        "themes": [c.w.themes[0].pk],
        "invitations": [
            {"party": c.party("vivare"), "role": "Woning", "information_need": "Huurschuld"}
        ],
        **consulted_json(),
    }
    body.update(overrides)
    return body


def item_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "life_domain": "housing",
        "text": "Huurachterstand van drie maanden.",
        "legal_basis": "AVG art. 6 lid 1 sub e",
        "data_category": "ordinary",
        "sharing": "pre_meeting",
    }
    body.update(overrides)
    return body


def request_body(c: Ctx, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "party": c.party("reclassering-nederland"),
        "question": "Loopt er toezicht?",
        "reason": "Weging voor triage.",
        "deadline": future(7),
    }
    body.update(overrides)
    return body


def action_body(c: Ctx, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "owner_party": c.party("reclassering-nederland"),
        "what": "Huisbezoek",
        "due_on": future(7),
    }
    body.update(overrides)
    return body


def closure_body(c: Ctx, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "agenda_item": str(c.agenda_item),
        "reason": "goal_reached",
        "referrer_notice": "Aanmelder per brief geïnformeerd.",
    }
    body.update(overrides)
    return body


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
NEXT_YEAR = (datetime.date.today() + datetime.timedelta(days=365)).isoformat()
TOO_OLD = (datetime.date.today() - datetime.timedelta(days=366 * 121)).isoformat()
LONG = "x" * 10001
BAD_BSN = "123456789"  # nine digits, fails the elfproef
GOOD_BSN = "111222333"

Call = tuple[str, str, Callable[[Ctx], tuple[str, dict[str, Any]]], str]


def refer(**overrides: Any) -> Callable[[Ctx], tuple[str, dict[str, Any]]]:
    return lambda c: ("/api/v1/cases/", referral(c.w, **overrides))


def refer_without(key: str) -> Callable[[Ctx], tuple[str, dict[str, Any]]]:
    return lambda c: ("/api/v1/cases/", without(referral(c.w), key))


# (who, method, (url, body), field named in the answer)
ROWS: dict[str, Call] = {
    # Referral (Bijlage 3: personalia, problem statement and goal).
    "referral without problem statement": (
        "police",
        "post",
        refer_without("problem_statement"),
        "problem_statement",
    ),
    "referral without goal": ("police", "post", refer_without("goal"), "goal"),
    "referral with a blank goal": ("police", "post", refer(goal="   "), "goal"),
    "referral without track": ("police", "post", refer_without("track"), "track"),
    "referral without subject kind": (
        "police",
        "post",
        refer_without("subject_kind"),
        "subject_kind",
    ),
    "referral with an unknown subject kind": (
        "police",
        "post",
        refer(subject_kind="dog"),
        "subject_kind",
    ),
    "referral with a BSN failing the elfproef": (
        "police",
        "post",
        refer(persons=[person(bsn=BAD_BSN)]),
        "persons[0].bsn",
    ),
    "referral with an eight-digit BSN": (
        "police",
        "post",
        refer(persons=[person(bsn="12345678")]),
        "persons[0].bsn",
    ),
    "referral with letters in the BSN": (
        "police",
        "post",
        refer(persons=[person(bsn="11122233x")]),
        "persons[0].bsn",
    ),
    "referral with the all-zero BSN": (
        "police",
        "post",
        refer(persons=[person(bsn="000000000")]),
        "persons[0].bsn",
    ),
    "referral with a birth date in the future": (
        "police",
        "post",
        refer(persons=[person(birth_date=NEXT_YEAR)]),
        "persons[0].birth_date",
    ),
    "referral with a birth date over 120 years ago": (
        "police",
        "post",
        refer(persons=[person(birth_date=TOO_OLD)]),
        "persons[0].birth_date",
    ),
    "referral with a birth date that is no date": (
        "police",
        "post",
        refer(persons=[person(birth_date="12-04-1990")]),
        "persons[0].birth_date",
    ),
    "referral of a family's second person without surname": (
        "police",
        "post",
        refer(subject_kind="family", persons=[person(), person(surname="")]),
        "persons[1].surname",
    ),
    "referral of a person with two persons": (
        "police",
        "post",
        refer(persons=[person(), person(bsn=GOOD_BSN)]),
        "persons",
    ),
    "referral of a family of one": (
        "police",
        "post",
        refer(subject_kind="family", persons=[person()]),
        "persons",
    ),
    "referral of an area without description": (
        "police",
        "post",
        refer(subject_kind="area", persons=[]),
        "area_description",
    ),
    "referral with persons that are no list": (
        "police",
        "post",
        refer(persons={"given_names": "Kees"}),
        "persons",
    ),
    "referral with a problem statement over the limit": (
        "police",
        "post",
        refer(problem_statement="x" * 4001),
        "problem_statement",
    ),
    "referral with a house that is no number": ("police", "post", refer(house="arnhem"), "house"),
    "referral with an unknown track": ("police", "post", refer(track=999999), "track"),
    "referral with an unknown municipality": (
        "police",
        "post",
        refer(municipality=999999),
        "municipality",
    ),
    "referral naming the police as municipality": (
        "police",
        "post",
        lambda c: (
            "/api/v1/cases/",
            referral(c.w, municipality=c.party("politie-oost-nederland")),
        ),
        "municipality",
    ),
    "referral with an unknown theme": ("police", "post", refer(themes=[999999]), "themes"),
    "referral with themes that are no numbers": (
        "police",
        "post",
        refer(themes=["hic"]),
        "themes[0]",
    ),
    "referral with an unknown advice request": (
        "police",
        "post",
        refer(advice_request=str(uuid.uuid4())),
        "advice_request",
    ),
    "referral with an advice request that is no id": (
        "police",
        "post",
        refer(advice_request="42"),
        "advice_request",
    ),
    # Advice requests.
    "advice without question": (
        "police",
        "post",
        lambda c: ("/api/v1/advice-requests/", {"house": c.w.house.pk}),
        "question",
    ),
    # Intake.
    "intake without information coordinator": (
        "pc",
        "post",
        lambda c: (f"/api/v1/cases/{c.referred}/intake/", {}),
        "information_coordinator",
    ),
    "intake naming a partner as information coordinator": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.referred}/intake/",
            {"information_coordinator": c.w.police.pk},
        ),
        "information_coordinator",
    ),
    "intake naming an unknown user": (
        "pc",
        "post",
        lambda c: (f"/api/v1/cases/{c.referred}/intake/", {"information_coordinator": 999999}),
        "information_coordinator",
    ),
    # Information requests (what, why, by when).
    "request with a deadline in the past": (
        "ic",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/information-requests/",
            request_body(c, deadline=YESTERDAY),
        ),
        "deadline",
    ),
    "request with a deadline that is no date": (
        "ic",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/information-requests/",
            request_body(c, deadline="next week"),
        ),
        "deadline",
    ),
    "request without reason": (
        "ic",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/information-requests/",
            without(request_body(c), "reason"),
        ),
        "reason",
    ),
    "request to an unknown party": (
        "ic",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/information-requests/",
            request_body(c, party=999999),
        ),
        "party",
    ),
    "request with a question over the limit": (
        "ic",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/information-requests/",
            request_body(c, question="x" * 2001),
        ),
        "question",
    ),
    # Information items and their sharing.
    "item shared with named parties naming none": (
        "police",
        "post",
        lambda c: (f"/api/v1/cases/{c.enrichment}/items/", item_body(sharing="named")),
        "named_parties",
    ),
    "item naming an unknown party": (
        "police",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/items/",
            item_body(sharing="named", named_parties=[999999]),
        ),
        "named_parties",
    ),
    "item naming parties without sharing with named parties": (
        "police",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/items/",
            item_body(named_parties=[c.party("pro-persona")]),
        ),
        "named_parties",
    ),
    "item with an unknown life domain": (
        "police",
        "post",
        lambda c: (f"/api/v1/cases/{c.enrichment}/items/", item_body(life_domain="hobby")),
        "life_domain",
    ),
    "item with an unknown sharing": (
        "police",
        "post",
        lambda c: (f"/api/v1/cases/{c.enrichment}/items/", item_body(sharing="everyone")),
        "sharing",
    ),
    "item over the limit": (
        "police",
        "post",
        lambda c: (f"/api/v1/cases/{c.enrichment}/items/", item_body(text=LONG)),
        "text",
    ),
    "item without legal basis": (
        "police",
        "post",
        lambda c: (f"/api/v1/cases/{c.enrichment}/items/", without(item_body(), "legal_basis")),
        "legal_basis",
    ),
    "item answering an unknown request": (
        "police",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.enrichment}/items/",
            item_body(request=str(uuid.uuid4())),
        ),
        "request",
    ),
    "sharing change to named parties naming none": (
        "police",
        "put",
        lambda c: (f"/api/v1/items/{c.police_item}/sharing/", {"sharing": "named"}),
        "named_parties",
    ),
    "consent without written reference": (
        "police",
        "post",
        lambda c: (
            f"/api/v1/items/{c.police_item}/consents/",
            {"recipient": "Schuldhulpverlening", "purpose": "Schuldsanering"},
        ),
        "written_reference",
    ),
    # Triage (Bijlage 2 criteria; accepted needs goal, themes and invitations).
    "acceptance that does not meet the criteria": (
        "manager",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.triage}/triage/decision/",
            triage_body(c, multiple_problems=False),
        ),
        "criteria",
    ),
    "acceptance without invitations": (
        "manager",
        "post",
        lambda c: (f"/api/v1/cases/{c.triage}/triage/decision/", triage_body(c, invitations=[])),
        "invitations",
    ),
    "acceptance without goal": (
        "manager",
        "post",
        lambda c: (f"/api/v1/cases/{c.triage}/triage/decision/", triage_body(c, goal="")),
        "goal",
    ),
    "acceptance with an unknown theme": (
        "manager",
        "post",
        lambda c: (f"/api/v1/cases/{c.triage}/triage/decision/", triage_body(c, themes=[999999])),
        "themes",
    ),
    "acceptance inviting an unknown party": (
        "manager",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.triage}/triage/decision/",
            triage_body(c, invitations=[{"party": 999999, "role": "X", "information_need": "Y"}]),
        ),
        "invitations[0].party",
    ),
    "acceptance inviting a party without its role": (
        "manager",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.triage}/triage/decision/",
            triage_body(
                c, invitations=[{"party": c.party("vivare"), "information_need": "Huurschuld"}]
            ),
        ),
        "invitations[0].role",
    ),
    "triage decision with criteria that are no booleans": (
        "manager",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.triage}/triage/decision/",
            triage_body(c, system_impact="perhaps"),
        ),
        "system_impact",
    ),
    "declining without advice to the referrer": (
        "manager",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.triage}/triage/decision/",
            triage_body(c, outcome="not_for_house", explanation=""),
        ),
        "explanation",
    ),
    # Invitations (role and information need, art. 9.4c).
    "invitation without information need": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.accepted}/parties/",
            {"party": c.party("vivare"), "role": "Woning"},
        ),
        "information_need",
    ),
    "invitation of a party already taking part": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.accepted}/parties/",
            {"party": c.party("pro-persona"), "role": "Zorg", "information_need": "Aanbod"},
        ),
        "party",
    ),
    "invitation of an unknown party": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.accepted}/parties/",
            {"party": 999999, "role": "Zorg", "information_need": "Aanbod"},
        ),
        "party",
    ),
    # Meetings.
    "meeting planned in the past": (
        "secretary",
        "post",
        lambda c: (
            "/api/v1/meetings/",
            {
                "house": c.w.house.pk,
                "body": c.w.mdo.pk,
                "starts_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            },
        ),
        "starts_at",
    ),
    "meeting at a time that is no time": (
        "secretary",
        "post",
        lambda c: (
            "/api/v1/meetings/",
            {"house": c.w.house.pk, "body": c.w.mdo.pk, "starts_at": "morgen om tien"},
        ),
        "starts_at",
    ),
    "meeting of an unknown body": (
        "secretary",
        "post",
        lambda c: (
            "/api/v1/meetings/",
            {"house": c.w.house.pk, "body": 999999, "starts_at": future(3) + "T10:00:00+01:00"},
        ),
        "body",
    ),
    "agenda item for an unknown case id format": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/meetings/{_meeting(c)}/agenda-items/",
            {"case": "not-a-uuid", "purpose": "review"},
        ),
        "case",
    ),
    "minutes naming a case coordinator of a party not taking part": (
        "secretary",
        "post",
        lambda c: (
            f"/api/v1/agenda-items/{c.agenda_item}/record/",
            {"case_coordinator_party": c.party("vivare")},
        ),
        "case_coordinator_party",
    ),
    "minutes with a decision without text": (
        "secretary",
        "post",
        lambda c: (
            f"/api/v1/agenda-items/{c.agenda_item}/record/",
            {"decisions": [{"text": ""}]},
        ),
        "decisions[0].text",
    ),
    # The plan of action.
    "action due in the past": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/action-plan/actions/",
            action_body(c, due_on=YESTERDAY),
        ),
        "due_on",
    ),
    "action owned by a party not taking part": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/action-plan/actions/",
            action_body(c, owner_party=c.party("vivare")),
        ),
        "owner_party",
    ),
    "action owned by a person of another party": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/action-plan/actions/",
            action_body(c, owner=c.w.care.pk),
        ),
        "owner",
    ),
    "action without what": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/action-plan/actions/",
            without(action_body(c), "what"),
        ),
        "what",
    ),
    "action status that does not exist": (
        "pc",
        "patch",
        lambda c: (f"/api/v1/actions/{c.active[1]}/", {"status": "half"}),
        "status",
    ),
    "action renamed to nothing": (
        "pc",
        "patch",
        lambda c: (f"/api/v1/actions/{c.active[1]}/", {"what": ""}),
        "what",
    ),
    "plan goal over the limit": (
        "pc",
        "put",
        lambda c: (f"/api/v1/cases/{c.active[0]}/action-plan/", {"goal": "x" * 4001}),
        "goal",
    ),
    # Closure.
    "closure handed over without naming the party": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/closure/",
            closure_body(c, reason="handed_over"),
        ),
        "handed_over_to",
    ),
    "closure naming a party without handing over": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/closure/",
            closure_body(c, handed_over_to=c.party("vivare")),
        ),
        "handed_over_to",
    ),
    "closure for another reason without explanation": (
        "pc",
        "post",
        lambda c: (f"/api/v1/cases/{c.active[0]}/closure/", closure_body(c, reason="other")),
        "explanation",
    ),
    "closure without notice to the referrer": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/closure/",
            without(closure_body(c), "referrer_notice"),
        ),
        "referrer_notice",
    ),
    "closure under an agenda item of another case": (
        "pc",
        "post",
        lambda c: (
            f"/api/v1/cases/{c.active[0]}/closure/",
            closure_body(c, agenda_item=str(uuid.uuid4())),
        ),
        "agenda_item",
    ),
}


def _meeting(c: Ctx) -> uuid.UUID:
    return meeting_schedule(
        actor=c.w.secretary,
        house_id=c.w.house.pk,
        body_id=c.w.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=1),
    ).pk


@pytest.mark.parametrize("row", list(ROWS), ids=list(ROWS))
def test_bad_input_is_a_problem_naming_the_field_and_stores_nothing(world: World, row: str) -> None:
    who, method, build, field = ROWS[row]
    ctx = Ctx(world)
    url, body = build(ctx)
    client = world.api(getattr(world, who))
    before = stored()
    # Any version: the body is refused before one is compared.
    response = getattr(client, method)(url, body, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400, response.content.decode()
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert problem["title"] == "Ongeldige invoer"
    assert problem["detail"]
    fields = [error["field"] for error in problem["errors"]]
    assert field in fields, problem
    assert all(error["message"] for error in problem["errors"])
    assert stored() == before


def test_the_field_is_named_in_the_detail_for_a_reader_without_the_errors_list(
    world: World,
) -> None:
    client = world.api(world.police)
    response = client.post(
        "/api/v1/cases/", referral(world, persons=[person(bsn=BAD_BSN)]), format="json"
    )
    assert response.json()["errors"] == [
        {"field": "persons[0].bsn", "message": "Dit is geen geldig BSN (elfproef)."}
    ]
    assert response.json()["detail"] == "Dit is geen geldig BSN (elfproef)."


def test_a_body_that_is_no_json_is_a_problem(world: World) -> None:
    client = world.api(world.police)
    before = stored()
    response = client.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]
    assert stored() == before


# Houses in the body: unknown is bad input; one without a case role of the user is refused


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/cases/", "referral"),
        ("/api/v1/advice-requests/", "advice"),
        ("/api/v1/meetings/", "meeting"),
    ],
)
def test_an_unknown_house_is_bad_input_and_named(world: World, path: str, body: str) -> None:
    """Houses are public configuration: an id that names none is a 400 naming `house`, and
    nothing is stored."""
    client = world.api(world.secretary)
    before = stored()
    response = client.post(path, _house_bodies(world, 999999)[body], format="json")
    assert response.status_code == 400, response.content.decode()
    assert [e["field"] for e in response.json()["errors"]] == ["house"]
    assert stored() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/cases/", "referral"),
        ("/api/v1/advice-requests/", "advice"),
        ("/api/v1/meetings/", "meeting"),
    ],
)
def test_a_house_without_a_case_role_is_refused_and_recorded(
    world: World, path: str, body: str
) -> None:
    """A user may work only in a house where it holds a case role: elsewhere 403, recorded."""
    client = world.api(world.secretary)
    before = stored()
    response = client.post(path, _house_bodies(world, world.other_house.pk)[body], format="json")
    assert response.status_code == 403, response.content.decode()
    after = stored()
    assert after.pop("AuditEvent") == before.pop("AuditEvent") + 1
    assert AuditEvent.objects.latest("seq").action == "permission_denied"
    assert after == before


def _house_bodies(world: World, house: int) -> dict[str, dict[str, Any]]:
    return {
        "referral": referral(world, house=house),
        "advice": {"house": house, "question": "Is dit iets voor het huis?"},
        "meeting": {"house": house, "body": world.mdo.pk, "starts_at": future(3) + "T10:00"},
    }


def test_a_party_that_left_the_covenant_cannot_be_asked_or_named(world: World) -> None:
    ctx = Ctx(world)
    case_id = ctx.enrichment
    membership = Membership.objects.get(
        party=world.party["om-oost-nederland"], covenant=world.house.covenant
    )
    membership.end(status=MembershipStatus.EXCLUDED, on=timezone.localdate())
    membership.save(update_fields=["status", "ended_on"])
    ic, police = world.api(world.ic), world.api(world.police)
    before = stored()
    asked = ic.post(
        f"/api/v1/cases/{case_id}/information-requests/",
        request_body(ctx, party=ctx.party("om-oost-nederland")),
        format="json",
    )
    named = police.post(
        f"/api/v1/cases/{case_id}/items/",
        item_body(sharing="named", named_parties=[ctx.party("om-oost-nederland")]),
        format="json",
    )
    assert asked.status_code == named.status_code == 400
    assert [e["field"] for e in asked.json()["errors"]] == ["party"]
    assert [e["field"] for e in named.json()["errors"]] == ["named_parties"]
    assert stored() == before
