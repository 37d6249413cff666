# SPDX-License-Identifier: EUPL-1.2
"""Every step is refused outside the phase it belongs to, or by a role that may not take it.

The expected tables below are written out by hand from PRODUCT.md section 2, Gelderland-Midden
art. 8.3, 9.4, 13.2 and docs/api.md; `cases.workflow` is only used to enumerate its transitions
so a transition added there without a row here fails. A refused step raises the domain error
with a message and leaves the case, its related rows and the audit log as they were.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.advice import services as advice_services
from ketentafel.audit.models import AuditEvent
from ketentafel.cases import services
from ketentafel.cases.models import (
    Case,
    CaseParty,
    ClosureReason,
    Phase,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.selectors import get_case_for
from ketentafel.cases.workflow import TRANSITIONS
from ketentafel.core.errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
)
from ketentafel.information import services as information
from ketentafel.information.models import (
    DataCategory,
    InformationItem,
    InformationRequest,
    LifeDomain,
    Sharing,
)
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Meeting
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action, ActionPlanVersion, ActionStatus
from tests.cases.conftest import World, future, make_staff
from tests.cases.flows import (
    accepted,
    active_case,
    consulted,
    consulted_json,
    held_meeting_with,
    in_enrichment,
    in_triage,
)
from tests.cases.flows import referred as referred_case

pytestmark = pytest.mark.django_db

REF, ENR, TRI, DEC, ACC, ACT, CLO = (
    "referred",
    "enrichment",
    "triage",
    "declined",
    "accepted",
    "active",
    "closed",
)
PHASES = [REF, ENR, TRI, DEC, ACC, ACT, CLO]

# name: (from, to) — the state machine as PRODUCT.md section 2 describes it.
EXPECTED_TRANSITIONS = {
    "start_intake": ({REF}, ENR),
    "submit_to_triage": ({ENR}, TRI),
    "decline": ({TRI}, DEC),
    "request_more_information": ({TRI}, ENR),
    "accept": ({TRI}, ACC),
    "discuss": ({ACC}, ACT),
    "review": ({ACT}, "None"),
    "close": ({ACT}, CLO),
}


def test_the_state_machine_has_exactly_the_expected_transitions() -> None:
    actual = {name: ({str(p) for p in t.sources}, str(t.target)) for name, t in TRANSITIONS.items()}
    assert actual == EXPECTED_TRANSITIONS


# A case in every phase, with what the steps need ------------------------------------------


@dataclass
class Kit:
    case_id: uuid.UUID
    meeting_id: uuid.UUID  # a planned meeting of the house, for agenda steps
    held_item_id: uuid.UUID | None = None  # an agenda item of the case in a held meeting
    action_id: uuid.UUID | None = None


def _planned_meeting(world: World) -> uuid.UUID:
    return meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
    ).pk


def _decide(world: World, case_id: uuid.UUID, outcome: TriageOutcome, actor: User) -> Any:
    return services.triage_decide(
        actor=actor,
        case_id=case_id,
        serious_area_problem=True,
        system_impact=True,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=outcome,
        explanation="Besproken in het triage-overleg.",
        goal="Eén gezamenlijk plan.",
        theme_ids=[world.themes[0].pk],
        invitations=[services.Invitation(world.party["vivare"].pk, "Woning", "Huurschuld")],
        **consulted(),
    )


def kit_for(world: World, phase: str) -> Kit:
    meeting = _planned_meeting(world)
    if phase == REF:
        return Kit(referred_case(world).pk, meeting)
    if phase == ENR:
        return Kit(in_enrichment(world).pk, meeting)
    if phase == TRI:
        return Kit(in_triage(world).pk, meeting)
    if phase == DEC:
        case = in_triage(world)
        _decide(world, case.pk, TriageOutcome.NOT_FOR_HOUSE, world.manager)
        return Kit(case.pk, meeting)
    if phase == ACC:
        case = accepted(world)
        plan_services.action_plan_set_goal(actor=world.pc, case_id=case.pk, goal="Stabiel wonen.")
        action = plan_services.action_add(
            actor=world.pc,
            case_id=case.pk,
            owner_party_id=world.party["reclassering-nederland"].pk,
            owner_id=None,
            what="Intakegesprek",
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        )
        return Kit(case.pk, meeting, action_id=action.pk)
    case_id, action_id = active_case(world)
    item = AgendaItem.objects.get(case_id=case_id).pk
    if phase == ACT:
        return Kit(case_id, meeting, held_item_id=item, action_id=action_id)
    closure_item = held_meeting_with(world, Case.objects.get(pk=case_id), AgendaPurpose.CLOSURE)
    meeting_services.case_close(
        actor=world.pc,
        case_id=case_id,
        agenda_item_id=closure_item,
        reason=ClosureReason.GOAL_REACHED,
        referrer_notice="Aanmelder geïnformeerd.",
    )
    return Kit(case_id, meeting, held_item_id=closure_item, action_id=action_id)


# The steps, each taken by the role that normally takes it ---------------------------------

Step = Callable[[World, Kit, User | None], Any]


def _agenda(purpose: AgendaPurpose) -> Step:
    def step(w: World, k: Kit, actor: User | None) -> Any:
        return meeting_services.agenda_item_add(
            actor=actor or w.pc, meeting_id=k.meeting_id, case_id=k.case_id, purpose=purpose
        )

    return step


def _triage(outcome: TriageOutcome) -> Step:
    def step(w: World, k: Kit, actor: User | None) -> Any:
        # The case's process coordinator is triage staff and sees the case in every phase, so
        # what refuses the step is the phase, not the visibility of the case.
        return _decide(w, k.case_id, outcome, actor or w.pc)

    return step


STEPS: dict[str, Step] = {
    "intake_start": lambda w, k, a: services.intake_start(
        actor=a or w.pc, case_id=k.case_id, information_coordinator_id=w.ic.pk
    ),
    "triage_submit": lambda w, k, a: services.triage_submit(actor=a or w.ic, case_id=k.case_id),
    "triage_decline": _triage(TriageOutcome.NOT_FOR_HOUSE),
    "triage_more_information": _triage(TriageOutcome.MORE_INFORMATION),
    "triage_accept": _triage(TriageOutcome.ACCEPTED),
    "agenda_first_discussion": _agenda(AgendaPurpose.FIRST_DISCUSSION),
    "agenda_review": _agenda(AgendaPurpose.REVIEW),
    "agenda_closure": _agenda(AgendaPurpose.CLOSURE),
    "case_close": lambda w, k, a: meeting_services.case_close(
        actor=a or w.pc,
        case_id=k.case_id,
        agenda_item_id=k.held_item_id or uuid.uuid4(),
        reason=ClosureReason.GOAL_REACHED,
        referrer_notice="Aanmelder per brief geïnformeerd.",
    ),
    "plan_goal": lambda w, k, a: plan_services.action_plan_set_goal(
        actor=a or w.pc, case_id=k.case_id, goal="Werk en inkomen."
    ),
    "action_add": lambda w, k, a: plan_services.action_add(
        actor=a or w.pc,
        case_id=k.case_id,
        owner_party_id=w.party["reclassering-nederland"].pk,
        owner_id=None,
        what="Huisbezoek",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    ),
    "action_done": lambda w, k, a: plan_services.action_update(
        actor=a or w.pc, action_id=k.action_id or uuid.uuid4(), status=ActionStatus.DONE
    ),
    "action_postpone": lambda w, k, a: plan_services.action_update(
        actor=a or w.pc,
        action_id=k.action_id or uuid.uuid4(),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    ),
    "party_invite": lambda w, k, a: services.case_party_invite(
        actor=a or w.pc,
        case_id=k.case_id,
        party_id=w.party["om-oost-nederland"].pk,
        role="Strafrechtelijk kader",
        information_need="Lopende zaken",
    ),
    "information_request": lambda w, k, a: information.information_request_send(
        actor=a or w.ic,
        case_id=k.case_id,
        party_id=w.party["om-oost-nederland"].pk,
        question="Lopende strafzaken?",
        reason="Weging",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    ),
    "item_supply": lambda w, k, a: information.information_item_supply(
        actor=a or w.police,
        case_id=k.case_id,
        life_domain=LifeDomain.BEHAVIOUR,
        text="Melding van overlast.",
        legal_basis="Wpg art. 19",
        data_category=DataCategory.POLICE,
        sharing=Sharing.COORDINATION,
    ),
}

NO = InvalidTransition  # refused by the phase (409)
DENY = NotAllowed  # the actor's role in the case does not allow it yet (403)
GONE = NotFound  # the actor does not see the case in this phase (404)
BAD = InvalidInput  # a precondition in the input is missing (400)
NA = None  # the kit has nothing to act on in this phase

# step: phase -> the phase the case is in afterwards, or the refusal.
EXPECTED: dict[str, dict[str, str | type[DomainError] | None]] = {
    "intake_start": {REF: ENR, ENR: NO, TRI: NO, DEC: NO, ACC: NO, ACT: NO, CLO: NO},
    # The information coordinator sees a referral only once intake named them.
    "triage_submit": {REF: GONE, ENR: TRI, TRI: NO, DEC: NO, ACC: NO, ACT: NO, CLO: NO},
    "triage_decline": {REF: NO, ENR: NO, TRI: DEC, DEC: NO, ACC: NO, ACT: NO, CLO: NO},
    "triage_more_information": {REF: NO, ENR: NO, TRI: ENR, DEC: NO, ACC: NO, ACT: NO, CLO: NO},
    "triage_accept": {REF: NO, ENR: NO, TRI: ACC, DEC: NO, ACC: NO, ACT: NO, CLO: NO},
    "agenda_first_discussion": {REF: NO, ENR: NO, TRI: NO, DEC: NO, ACC: ACC, ACT: NO, CLO: NO},
    "agenda_review": {REF: NO, ENR: NO, TRI: NO, DEC: NO, ACC: NO, ACT: ACT, CLO: NO},
    "agenda_closure": {REF: NO, ENR: NO, TRI: NO, DEC: NO, ACC: NO, ACT: ACT, CLO: NO},
    # Closing needs an agenda item of a held meeting; only discussed cases have one.
    "case_close": {REF: BAD, ENR: BAD, TRI: BAD, DEC: BAD, ACC: BAD, ACT: CLO, CLO: NO},
    # Before intake the house's process coordinator is not yet the case's.
    "plan_goal": {REF: DENY, ENR: NO, TRI: NO, DEC: NO, ACC: ACC, ACT: ACT, CLO: NO},
    "action_add": {REF: DENY, ENR: NO, TRI: NO, DEC: NO, ACC: ACC, ACT: ACT, CLO: NO},
    "action_done": {REF: NA, ENR: NA, TRI: NA, DEC: NA, ACC: NO, ACT: ACT, CLO: NO},
    # What and when may be corrected while the plan is drafted; a status only once it runs.
    "action_postpone": {REF: NA, ENR: NA, TRI: NA, DEC: NA, ACC: ACC, ACT: ACT, CLO: NO},
    "party_invite": {REF: DENY, ENR: ENR, TRI: TRI, DEC: NO, ACC: ACC, ACT: ACT, CLO: NO},
    "information_request": {REF: GONE, ENR: ENR, TRI: TRI, DEC: NO, ACC: ACC, ACT: ACT, CLO: NO},
    "item_supply": {REF: REF, ENR: ENR, TRI: TRI, DEC: NO, ACC: ACC, ACT: ACT, CLO: NO},
}


def test_every_step_has_an_expected_row_for_every_phase() -> None:
    assert set(EXPECTED) == set(STEPS)
    for step, row in EXPECTED.items():
        assert set(row) == set(PHASES), step
    # Each transition of the state machine is exercised by at least one step above.
    targets = {v for row in EXPECTED.values() for v in row.values() if isinstance(v, str)}
    assert {target for _, target in EXPECTED_TRANSITIONS.values() if target != "None"} <= targets
    assert {str(p) for p in Phase} == set(PHASES)


def snapshot(case_id: uuid.UUID) -> dict[str, Any]:
    """Everything a step could have changed about a case, and the audit log's length."""
    case = Case.objects.filter(pk=case_id).values().get()
    return {
        "case": case,
        "themes": sorted(Case.objects.get(pk=case_id).themes.values_list("pk", flat=True)),
        "triage": TriageDecision.objects.filter(case_id=case_id).count(),
        "parties": sorted(CaseParty.objects.filter(case_id=case_id).values_list("party_id")),
        "agenda": AgendaItem.objects.filter(case_id=case_id).count(),
        "actions": list(
            Action.objects.filter(plan__case_id=case_id).values_list("status", "due_on", "what")
        ),
        "versions": ActionPlanVersion.objects.filter(plan__case_id=case_id).count(),
        "requests": InformationRequest.objects.filter(case_id=case_id).count(),
        "items": InformationItem.objects.filter(case_id=case_id).count(),
        "meetings": sorted(Meeting.objects.values_list("status", flat=True)),
        "audit": AuditEvent.objects.count(),
    }


def _refused(
    world: World, kit: Kit, step: str, actor: User | None, error: type[DomainError]
) -> str:
    before = snapshot(kit.case_id)
    with pytest.raises(DomainError) as refused:
        STEPS[step](world, kit, actor)
    assert type(refused.value) is error, (step, refused.value.message)
    assert len(refused.value.message) > 15, refused.value.message
    assert snapshot(kit.case_id) == before, step
    return refused.value.message


def test_every_step_outside_its_phase_is_refused_and_changes_nothing(world: World) -> None:
    kits = {phase: kit_for(world, phase) for phase in PHASES}
    for step, row in EXPECTED.items():
        for phase, expected in row.items():
            if isinstance(expected, type):
                _refused(world, kits[phase], step, None, expected)


@pytest.mark.parametrize(
    ("step", "phase"),
    [(step, phase) for step, row in EXPECTED.items() for phase, v in row.items() if type(v) is str],
)
def test_each_step_is_taken_in_its_own_phase(world: World, step: str, phase: str) -> None:
    """The other half of the table: where a step is allowed it succeeds, so the refusals above
    come from the phase and not from a broken setup."""
    kit = kit_for(world, phase)
    STEPS[step](world, kit, None)
    assert Case.objects.get(pk=kit.case_id).phase == EXPECTED[step][phase]


# Steps taken by a role that may not take them ----------------------------------------------

# (step, phase, actor attribute on World, refusal)
WRONG_ROLE = [
    ("intake_start", REF, "police", NotAllowed),  # the referrer sees its referral
    ("intake_start", REF, "ic", NotFound),
    ("intake_start", REF, "manager", NotFound),
    ("intake_start", REF, "admin", NotFound),
    ("triage_submit", ENR, "police", NotAllowed),
    ("triage_submit", ENR, "probation", NotFound),
    ("triage_submit", ENR, "manager", NotFound),
    ("triage_accept", TRI, "ic", NotAllowed),  # coordinator of the case, not triage staff
    ("triage_accept", TRI, "police", NotAllowed),
    ("triage_accept", TRI, "secretary", NotFound),
    ("triage_decline", TRI, "admin", NotFound),
    ("agenda_first_discussion", ACC, "police", NotAllowed),
    ("agenda_first_discussion", ACC, "ic", NotAllowed),
    ("case_close", ACT, "secretary", NotAllowed),  # sees the case on the agenda, not its PC
    ("case_close", ACT, "probation", NotAllowed),
    ("case_close", ACT, "manager", NotFound),
    ("plan_goal", ACT, "ic", NotAllowed),
    ("plan_goal", ACT, "probation", NotAllowed),
    ("action_add", ACC, "care", NotAllowed),
    ("action_postpone", ACT, "probation", NotAllowed),  # the owner reports status only
    ("action_done", ACT, "care", NotAllowed),  # not the owner party
    ("party_invite", ACC, "police", NotAllowed),
    ("information_request", ENR, "police", NotAllowed),
    ("item_supply", ENR, "housing", NotFound),  # no relation to the case
]


@pytest.mark.parametrize(("step", "phase", "who", "error"), WRONG_ROLE)
def test_a_step_by_a_role_that_may_not_take_it_is_refused(
    world: World, step: str, phase: str, who: str, error: type[DomainError]
) -> None:
    kit = kit_for(world, phase)
    _refused(world, kit, step, getattr(world, who), error)


# Meetings, advice requests and information requests have their own small machines -------------


def test_a_held_meeting_is_not_held_again_nor_given_agenda_items(world: World) -> None:
    case = accepted(world)
    item_id = held_meeting_with(world, case, AgendaPurpose.FIRST_DISCUSSION)
    meeting_id = AgendaItem.objects.get(pk=item_id).meeting_id
    other = accepted(world)
    kit = Kit(other.pk, meeting_id)
    before = snapshot(other.pk)
    with pytest.raises(InvalidTransition, match="al gehouden"):
        meeting_services.meeting_hold(actor=world.secretary, meeting_id=meeting_id)
    with pytest.raises(InvalidTransition, match="gepland overleg"):
        STEPS["agenda_first_discussion"](world, kit, None)
    assert snapshot(other.pk) == before


def test_a_meeting_is_held_on_its_day_with_first_discussions_recorded(world: World) -> None:
    case = accepted(world)
    later = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )
    meeting_services.agenda_item_add(
        actor=world.pc,
        meeting_id=later.pk,
        case_id=case.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    before = snapshot(case.pk)
    with pytest.raises(InvalidTransition, match="op de dag zelf"):
        meeting_services.meeting_hold(actor=world.secretary, meeting_id=later.pk)
    today = Kit(case.pk, _planned_meeting(world))
    Meeting.objects.filter(pk=today.meeting_id).update(starts_at=timezone.now())
    before = snapshot(case.pk)
    STEPS["agenda_first_discussion"](world, today, None)
    with pytest.raises(InvalidInput, match="casusregisseur") as refused:
        meeting_services.meeting_hold(actor=world.secretary, meeting_id=today.meeting_id)
    assert refused.value.field == "agenda_items"
    assert Case.objects.get(pk=case.pk).phase == ACC
    assert Meeting.objects.get(pk=today.meeting_id).status == "planned"
    assert snapshot(case.pk)["case"] == before["case"]
    with pytest.raises(NotAllowed):
        meeting_services.meeting_hold(actor=world.police, meeting_id=today.meeting_id)


def test_an_advice_request_is_concluded_once(world: World) -> None:
    advice = advice_services.advice_record(
        actor=world.police, house_id=world.house.pk, question="Huis?"
    )
    advice_services.advice_conclude(actor=world.pc, advice_id=advice.pk, advice="Lokaal oppakken.")
    count = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition, match="al afgehandeld"):
        advice_services.advice_conclude(actor=world.pc, advice_id=advice.pk, advice="Nogmaals.")
    assert AuditEvent.objects.count() == count


def test_an_information_request_is_answered_once(world: World) -> None:
    case = in_enrichment(world)
    kit = Kit(case.pk, _planned_meeting(world))
    om = make_staff("om", world.party["om-oost-nederland"], world.house, Role.PARTNER_PROFESSIONAL)

    def answer(request_id: uuid.UUID) -> Any:
        return information.information_item_supply(
            actor=om,
            case_id=case.pk,
            life_domain=LifeDomain.CRIMINAL_HISTORY,
            text="Eén lopende zaak.",
            legal_basis="Wjsg art. 8a",
            data_category=DataCategory.JUSTICE,
            sharing=Sharing.COORDINATION,
            request_id=request_id,
        )

    answered = STEPS["information_request"](world, kit, None)
    answer(answered.pk)
    before = snapshot(case.pk)
    with pytest.raises(InvalidTransition, match="al afgehandeld"):
        information.information_request_decline(actor=om, request_id=answered.pk, note="Toch.")
    with pytest.raises(InvalidTransition, match="al afgehandeld"):
        answer(answered.pk)
    assert snapshot(case.pk) == before

    # A second request answered with "nothing to share": the party's only relation to the case
    # was the open request, so after answering it no longer sees the case at all; answering
    # again (a colleague who lost the race) hears that the request was answered, not that it
    # is missing, and the case stays out of sight.
    declined = information.information_request_send(
        actor=world.ic,
        case_id=case.pk,
        party_id=world.party["reclassering-nederland"].pk,
        question="Toezicht?",
        reason="Weging",
        deadline=timezone.localdate(),
    )
    probation = world.probation
    information.information_request_decline(actor=probation, request_id=declined.pk, note="Geen.")
    before = snapshot(case.pk)
    with pytest.raises(InvalidTransition, match="al afgehandeld"):
        information.information_request_decline(
            actor=probation, request_id=declined.pk, note="Toch."
        )
    assert snapshot(case.pk) == before
    with pytest.raises(NotFound):
        get_case_for(probation, case.pk)


# The same refusals through the API -----------------------------------------------------------


def _body(step: str, world: World, kit: Kit) -> tuple[str, str, dict[str, Any]]:
    case = kit.case_id
    return {
        "intake_start": (
            "post",
            f"/api/v1/cases/{case}/intake/",
            {"information_coordinator": world.ic.pk},
        ),
        "triage_submit": ("post", f"/api/v1/cases/{case}/triage/submit/", {}),
        "triage_accept": (
            "post",
            f"/api/v1/cases/{case}/triage/decision/",
            {
                "serious_area_problem": True,
                "system_impact": True,
                "multiple_chains_needed": True,
                "multiple_problems": True,
                "outcome": "accepted",
                "explanation": "Complex.",
                "goal": "Plan.",
                "themes": [world.themes[0].pk],
                "invitations": [
                    {"party": world.party["vivare"].pk, "role": "Woning", "information_need": "X"}
                ],
                **consulted_json(),
            },
        ),
        "action_add": (
            "post",
            f"/api/v1/cases/{case}/action-plan/actions/",
            {
                "owner_party": world.party["reclassering-nederland"].pk,
                "what": "Huisbezoek",
                "due_on": future(7),
            },
        ),
        "action_postpone": ("patch", f"/api/v1/actions/{kit.action_id}/", {"due_on": future(30)}),
        "agenda_review": (
            "post",
            f"/api/v1/meetings/{kit.meeting_id}/agenda-items/",
            {"case": str(case), "purpose": "review"},
        ),
        "plan_goal": ("put", f"/api/v1/cases/{case}/action-plan/", {"goal": "Wonen."}),
    }[step]


@pytest.mark.parametrize(
    ("step", "phase", "who", "status", "words"),
    [
        ("intake_start", ENR, "pc", 409, "Intake en verrijking"),
        ("triage_submit", TRI, "ic", 409, "Triage"),
        ("triage_accept", ACC, "pc", 409, "Geaccepteerd"),
        ("agenda_review", ACC, "pc", 409, "Plan van aanpak in uitvoering"),
        ("action_add", CLO, "pc", 409, "geaccepteerde of lopende"),
        ("plan_goal", ENR, "pc", 409, "geaccepteerde of lopende"),
        ("triage_accept", TRI, "ic", 403, "Locatiemanager, Ketenmanager"),
        ("action_postpone", ACT, "probation", 403, "procesregisseur"),
        ("triage_submit", ENR, "probation", 404, "bestaat niet"),
    ],
)
def test_refusals_through_the_api_are_problem_responses(
    world: World, step: str, phase: str, who: str, status: int, words: str
) -> None:
    kit = kit_for(world, phase)
    method, url, body = _body(step, world, kit)
    client = world.api(getattr(world, who))
    before = snapshot(kit.case_id)
    # Any version: these refusals are about the phase and the role, not about a stale change.
    response = getattr(client, method)(url, body, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"]
    assert words in problem["detail"], problem["detail"]
    after = snapshot(kit.case_id)
    # A refusal the user may learn of (403, 404) is itself recorded; nothing else is.
    denials = AuditEvent.objects.filter(action="permission_denied").count()
    assert after.pop("audit") - before.pop("audit") == (1 if status in (403, 404) else 0)
    assert after == before
    assert denials == (1 if status in (403, 404) else 0)
