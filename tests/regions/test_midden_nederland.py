# SPDX-License-Identifier: EUPL-1.2
"""Midden-Nederland's 4-fasen model (Bijlage 3), run through the services in the region's own
words on every track of Regio Utrecht: Aanmelding en Intake by the Procesregisseur (no
informatiecoördinator, art. 3.1), Triage by the Procesregisseur (art. 12.2 a), the Casusoverleg
that makes the plan and designates the Casusregisseur who keeps it (art. 8.4, 13.2), and
Afschaling decided there (art. 1.10). Radicalisation has its own partners (art. 2.4) and its
own Casusoverleg radicalisering."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from ketentafel.accounts.models import Role
from ketentafel.cases import selectors
from ketentafel.cases import services as cases
from ketentafel.cases.models import Case, Closure, ClosureReason, Phase, SubjectKind
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed
from ketentafel.meetings import services as meetings
from ketentafel.meetings.models import AgendaItem, AgendaPurpose
from ketentafel.plans import services as plans
from ketentafel.privacy.models import DeletionRecord, Stage
from tests.cases.conftest import api_client, future
from tests.cases.flows import consulted, consulted_json
from tests.privacy.conftest import days_later
from tests.regions.conftest import Region, purged_after_monitoring, region, soon

# `clock`: retention counts local days (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PERSON = cases.PersonInput(
    given_names="Sanne", surname="Voorbeeld-Utrecht", birth_date=datetime.date(1991, 6, 14)
)

CASUSOVERLEG = "casusoverleg-regio-utrecht"
RADICALISERING = "casusoverleg-radicalisering-regio-utrecht"
PROBATION = ("reclassering", "reclassering-nederland")
OM = ("om", "openbaar-ministerie")


def cast(r: Region) -> Region:
    """Regio Utrecht's people: the Procesregisseur, the ondersteuner casusoverleg (art. 3.1 g),
    the Manager, and professionals of the police, the OM, probation (the Casusregisseur),
    a care institution and a housing corporation."""
    r.user("pr", "gemeente-utrecht", Role.PROCESS_COORDINATOR)
    r.user("ondersteuner", "gemeente-utrecht", Role.MEETING_SECRETARY)
    r.user("manager", "gemeente-utrecht", Role.MANAGER)
    r.user("politie", "politie-midden-nederland", Role.PARTNER_PROFESSIONAL)
    r.user("om", "openbaar-ministerie", Role.PARTNER_PROFESSIONAL)
    r.user("reclassering", "reclassering-nederland", Role.PARTNER_PROFESSIONAL)
    r.user("altrecht", "altrecht", Role.PARTNER_PROFESSIONAL)
    r.user("mitros", "mitros", Role.PARTNER_PROFESSIONAL)
    return r


@pytest.fixture
def utrecht() -> Region:
    return cast(region("midden-nederland", "regio-utrecht"))


def _referred(r: Region, track: str, *, by: str = "politie") -> Case:
    return cases.case_refer(
        actor=r.users[by],
        house_id=r.house.pk,
        track_id=r.track(track).pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=r.party["gemeente-utrecht"].pk,
        problem_statement="Overlast, schulden en dreigend woningverlies.",
        goal="Eén integraal plan van aanpak.",
    )


def _in_triage(r: Region, track: str, *, by: str = "politie") -> Case:
    """Fase 1: the Procesregisseur takes the referral up without an informatiecoördinator and
    offers it for triage."""
    case = _referred(r, track, by=by)
    cases.intake_start(actor=r.users["pr"], case_id=case.pk)
    assert Case.objects.get(pk=case.pk).phase_name == "Fase 1: Aanmelding en Intake"
    cases.triage_submit(actor=r.users["pr"], case_id=case.pk)
    assert Case.objects.get(pk=case.pk).phase_name == "Fase 2: Triage"
    return case


def _weigh(r: Region, case: Case, *invitations: cases.Invitation, by: str = "pr") -> None:
    cases.triage_decide(
        actor=r.users[by],
        case_id=case.pk,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=cases.TriageOutcome.ACCEPTED,
        explanation="Meerdere ketens nodig (Bijlage 2).",
        goal="Integraal plan van aanpak in het Casusoverleg.",
        invitations=list(invitations)
        or [cases.Invitation(r.party["reclassering-nederland"].pk, "Toezicht", "Voorwaarden")],
        **consulted(),
    )


def _first_casusoverleg(
    r: Region, case: Case, body: str, *, casusregisseur: tuple[str, str] = PROBATION
) -> AgendaItem:
    """Fase 3: the Casusoverleg makes the plan, sets the criteria for afschaling and designates
    the Casusregisseur (art. 8.4 a, b, d): probation's professional unless told otherwise."""
    user, party = casusregisseur
    meeting = meetings.meeting_schedule(
        actor=r.users["ondersteuner"],
        house_id=r.house.pk,
        body_id=r.body(body).pk,
        starts_at=soon(),
    )
    item = meetings.agenda_item_add(
        actor=r.users["pr"],
        meeting_id=meeting.pk,
        case_id=case.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    meetings.agenda_item_record(
        actor=r.users["ondersteuner"],
        agenda_item_id=item.pk,
        minutes="Integraal plan van aanpak opgesteld.",
        closure_criteria="Zes maanden geen overlast en schulden in beheer.",
        case_coordinator_party_id=r.party[party].pk,
        case_coordinator_id=r.users[user].pk,
    )
    meetings.meeting_hold(actor=r.users["ondersteuner"], meeting_id=meeting.pk)
    return item


def _afschaling(r: Region, case: Case, body: str) -> Closure:
    """Fase 4 follows the Casusoverleg's decision "Afschalen" (art. 1.10, 8.4 d)."""
    meeting = meetings.meeting_schedule(
        actor=r.users["ondersteuner"],
        house_id=r.house.pk,
        body_id=r.body(body).pk,
        starts_at=soon(),
    )
    item = meetings.agenda_item_add(
        actor=r.users["pr"], meeting_id=meeting.pk, case_id=case.pk, purpose=AgendaPurpose.REVIEW
    )
    meetings.meeting_hold(actor=r.users["ondersteuner"], meeting_id=meeting.pk)
    meetings.agenda_item_decide(
        actor=r.users["ondersteuner"],
        agenda_item_id=item.pk,
        decision_type_id=r.decision("afschalen").pk,
        text="Criteria voor afschaling bereikt.",
        referrer_notice="De politie is gemeld dat de casus is afgeschaald.",
    )
    return Closure.objects.get(case=case, agenda_item=item)


def _closed(r: Region, track: str) -> Case:
    case = _in_triage(r, track)
    _weigh(r, case)
    _first_casusoverleg(r, case, CASUSOVERLEG)
    _afschaling(r, case, CASUSOVERLEG)
    return Case.objects.get(pk=case.pk)


def test_the_four_phases_from_aanmelding_to_afschaling(utrecht: Region) -> None:
    r = utrecht
    case = _in_triage(r, "complexe-casuistiek")
    _weigh(r, case)
    accepted = Case.objects.get(pk=case.pk)
    assert accepted.phase_name == "Fase 3: Casusoverleg (totstandkoming plan van aanpak)"
    assert accepted.information_coordinator is None

    _first_casusoverleg(r, case, CASUSOVERLEG)
    active = Case.objects.get(pk=case.pk)
    assert active.phase == Phase.ACTIVE
    assert active.phase_name == "Fase 3: Casusoverleg (afstemming tijdens de uitvoering)"
    assert active.case_coordinator == r.users["reclassering"]

    closure = _afschaling(r, case, CASUSOVERLEG)
    closed = Case.objects.get(pk=case.pk)
    assert closed.phase_name == "Fase 4: Afschaling"
    assert closure.reason == ClosureReason.NO_LONGER_NEEDED


def test_the_casusregisseur_keeps_the_plan_and_another_partner_cannot(utrecht: Region) -> None:
    """Art. 13.2: the Casusregisseur is "belast met het toezicht op de naleving van de
    afspraken zoals die zijn vastgelegd in het plan van aanpak"."""
    r = utrecht
    case = _in_triage(r, "complexe-casuistiek")
    _weigh(r, case)
    _first_casusoverleg(r, case, CASUSOVERLEG)
    casusregisseur = r.users["reclassering"]

    plan = plans.action_plan_set_goal(
        actor=casusregisseur, case_id=case.pk, goal="Wonen behouden en schulden in beheer."
    )
    action = plans.action_add(
        actor=casusregisseur,
        case_id=case.pk,
        owner_party_id=r.party["reclassering-nederland"].pk,
        owner_id=casusregisseur.pk,
        what="Budgetbeheer aanvragen",
        due_on=days_later(14),
    )
    assert plan.actions.get() == action

    # The referring police take part in the case but keep no plan.
    with pytest.raises(NotAllowed):
        plans.action_plan_set_goal(actor=r.users["politie"], case_id=case.pk, goal="Anders.")
    # Through the API alike.
    own = api_client(casusregisseur)
    tag = own.get(f"/api/v1/cases/{case.pk}/action-plan/")["ETag"]
    refused = api_client(r.users["politie"]).put(
        f"/api/v1/cases/{case.pk}/action-plan/",
        {"goal": "Anders."},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert refused.status_code == 403, refused.content.decode()
    changed = own.put(
        f"/api/v1/cases/{case.pk}/action-plan/",
        {"goal": "Wonen behouden, schulden in beheer, werk."},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    assert changed.status_code == 200, changed.content.decode()


def test_triage_is_the_procesregisseurs_and_afschaling_the_casusoverlegs(
    utrecht: Region,
) -> None:
    r = utrecht
    case = _in_triage(r, "complexe-casuistiek")
    # Art. 12.2 a gives the judgement to the Procesregisseur, not to the Manager.
    with pytest.raises(NotAllowed) as refused:
        _weigh(r, case, by="manager")
    assert "procesregisseur" in refused.value.message.lower()
    _weigh(r, case)
    _first_casusoverleg(r, case, CASUSOVERLEG)
    # Afschaling follows a decision of the Casusoverleg (art. 1.10): not one user's closure.
    with pytest.raises(InvalidTransition):
        cases.case_close(
            actor=r.users["pr"],
            case_id=case.pk,
            reason=ClosureReason.GOAL_REACHED,
            referrer_notice="Gemeld.",
        )
    assert Case.objects.get(pk=case.pk).phase == Phase.ACTIVE


@pytest.mark.parametrize("track", ["mda-plus-plus", "pga-ondermijning"])
def test_mda_and_pga_run_the_four_phases_at_the_casusoverleg(utrecht: Region, track: str) -> None:
    """Overwegingen: MDA++ and PGA ondermijning are part of complex casuïstiek."""
    closed = _closed(utrecht, track)
    assert closed.phase_name == "Fase 4: Afschaling"


# Radicalisering (art. 2.4) ------------------------------------------------------------------


def test_only_the_partners_of_art_2_4_raise_a_radicalisation_case(utrecht: Region) -> None:
    r = utrecht
    with pytest.raises(InvalidInput) as refused:
        _referred(r, "radicalisering", by="mitros")
    assert refused.value.field == "track"
    assert "Radicalisering" in refused.value.message
    assert not Case.objects.filter(track=r.track("radicalisering")).exists()
    assert _referred(r, "radicalisering", by="om").phase == Phase.REFERRED


def test_radicalisation_at_its_own_casusoverleg_with_its_partners(utrecht: Region) -> None:
    r = utrecht
    case = _in_triage(r, "radicalisering")
    om = cases.Invitation(r.party["openbaar-ministerie"].pk, "Strafrechtelijk kader", "Zaken")
    care = r.party["altrecht"].pk
    # A care institution is no partner of art. 2.4: only with a recorded justification.
    with pytest.raises(InvalidInput) as refused:
        _weigh(r, case, om, cases.Invitation(care, "Behandeling", "Behandelaanbod"))
    assert refused.value.field == "invitations[1].justification"
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE
    _weigh(
        r,
        case,
        om,
        cases.Invitation(care, "Behandeling", "Behandelaanbod", "Lopende behandeling."),
    )
    # Neither the housing corporation nor the ordinary Casusoverleg has a part in it.
    assert not selectors.cases_visible_to(r.users["mitros"]).filter(pk=case.pk).exists()
    assert selectors.cases_visible_to(r.users["altrecht"]).filter(pk=case.pk).exists()
    ordinary = meetings.meeting_schedule(
        actor=r.users["ondersteuner"],
        house_id=r.house.pk,
        body_id=r.body(CASUSOVERLEG).pk,
        starts_at=soon(),
    )
    with pytest.raises(InvalidInput) as elsewhere:
        meetings.agenda_item_add(
            actor=r.users["pr"],
            meeting_id=ordinary.pk,
            case_id=case.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )
    assert elsewhere.value.field == "case"

    _first_casusoverleg(r, case, RADICALISERING, casusregisseur=OM)
    assert Case.objects.get(pk=case.pk).phase == Phase.ACTIVE
    _afschaling(r, case, RADICALISERING)
    assert Case.objects.get(pk=case.pk).phase_name == "Fase 4: Afschaling"


# Purge --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "track", ["complexe-casuistiek", "mda-plus-plus", "pga-ondermijning", "radicalisering"]
)
def test_a_closed_case_of_each_track_is_purged_after_its_monitoring_period(
    utrecht: Region, track: str
) -> None:
    r = utrecht
    if track == "radicalisering":
        case = _in_triage(r, track)
        _weigh(r, case, cases.Invitation(r.party["openbaar-ministerie"].pk, "OM", "Zaken"))
        _first_casusoverleg(r, case, RADICALISERING, casusregisseur=OM)
        _afschaling(r, case, RADICALISERING)
    else:
        case = _closed(r, track)
    purged_after_monitoring(r.track(track), case.pk)
    assert DeletionRecord.objects.get(case_id=case.pk, stage=Stage.FINAL).counts["case"] == 1


# The main route through the API ----------------------------------------------------------------


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode(errors="replace")[:3000]
    return response.json()


def test_the_four_phases_through_the_api(utrecht: Region) -> None:
    r = utrecht
    politie, pr = api_client(r.users["politie"]), api_client(r.users["pr"])
    ondersteuner = api_client(r.users["ondersteuner"])
    reclassering = r.party["reclassering-nederland"].pk
    case = _ok(
        politie.post(
            "/api/v1/cases/",
            {
                "house": r.house.pk,
                "track": r.track("complexe-casuistiek").pk,
                "subject_kind": "person",
                "persons": [
                    {"given_names": "Sanne", "surname": "Voorbeeld-Api", "birth_date": "1991-06-14"}
                ],
                "municipality": r.party["gemeente-utrecht"].pk,
                "problem_statement": "Overlast en schulden.",
                "goal": "Eén plan van aanpak.",
                "themes": [],
            },
            format="json",
        ),
        201,
    )
    case_id = case["id"]
    # Fase 1 without an informatiecoördinator (art. 3.1).
    assert _ok(pr.post(f"/api/v1/cases/{case_id}/intake/", {}, format="json"))["phase"] == (
        "enrichment"
    )
    _ok(pr.post(f"/api/v1/cases/{case_id}/triage/submit/"))
    # Fase 2: the Procesregisseur's judgement, in consultation with the police (art. 12.2 a).
    decision = _ok(
        pr.post(
            f"/api/v1/cases/{case_id}/triage/decision/",
            {
                "serious_area_problem": True,
                "system_impact": False,
                "multiple_chains_needed": True,
                "multiple_problems": True,
                "outcome": "accepted",
                "explanation": "Meerdere ketens nodig.",
                "goal": "Plan van aanpak.",
                "themes": [],
                "invitations": [
                    {"party": reclassering, "role": "Toezicht", "information_need": "Kader"}
                ],
                **consulted_json(),
            },
            format="json",
        ),
        201,
    )
    assert decision["case_phase"] == "accepted"
    # Fase 3: the Casusoverleg designates the Casusregisseur and sets the criteria.
    starts = soon().isoformat()
    meeting = _ok(
        ondersteuner.post(
            "/api/v1/meetings/",
            {"house": r.house.pk, "body": r.body(CASUSOVERLEG).pk, "starts_at": starts},
            format="json",
        ),
        201,
    )
    item = _ok(
        pr.post(
            f"/api/v1/meetings/{meeting['id']}/agenda-items/",
            {"case": case_id, "purpose": "first_discussion"},
            format="json",
        ),
        201,
    )
    refused = ondersteuner.post(f"/api/v1/meetings/{meeting['id']}/hold/")
    assert refused.status_code == 400
    assert "criteria voor afschaling" in refused.json()["detail"]
    read = ondersteuner.get(f"/api/v1/agenda-items/{item['id']}/")
    _ok(
        ondersteuner.post(
            f"/api/v1/agenda-items/{item['id']}/record/",
            {
                "minutes": "Plan van aanpak opgesteld.",
                "case_coordinator_party": reclassering,
                "case_coordinator": r.users["reclassering"].pk,
                "closure_criteria": "Zes maanden zonder overlast.",
                "decisions": [
                    {
                        "text": "Reclassering is Casusregisseur.",
                        "decision_type": r.decision("casusregisseur-aanwijzen").pk,
                    }
                ],
            },
            format="json",
            HTTP_IF_MATCH=read["ETag"],
        )
    )
    _ok(ondersteuner.post(f"/api/v1/meetings/{meeting['id']}/hold/"))
    assert _ok(pr.get(f"/api/v1/cases/{case_id}/"))["phase"] == "active"
    # The Casusregisseur keeps the plan (art. 13.2).
    casusregisseur = api_client(r.users["reclassering"])
    _ok(
        casusregisseur.put(
            f"/api/v1/cases/{case_id}/action-plan/",
            {"goal": "Zes maanden zonder overlast."},
            format="json",
            HTTP_IF_MATCH="*",
        )
    )
    _ok(
        casusregisseur.post(
            f"/api/v1/cases/{case_id}/action-plan/actions/",
            {"owner_party": reclassering, "what": "Huisbezoek", "due_on": future(10)},
            format="json",
        ),
        201,
    )
    # Fase 4: Afschalen, decided in a held Casusoverleg.
    review = _ok(
        ondersteuner.post(
            "/api/v1/meetings/",
            {"house": r.house.pk, "body": r.body(CASUSOVERLEG).pk, "starts_at": starts},
            format="json",
        ),
        201,
    )
    review_item = _ok(
        pr.post(
            f"/api/v1/meetings/{review['id']}/agenda-items/",
            {"case": case_id, "purpose": "review"},
            format="json",
        ),
        201,
    )
    _ok(ondersteuner.post(f"/api/v1/meetings/{review['id']}/hold/"))
    _ok(
        ondersteuner.post(
            f"/api/v1/agenda-items/{review_item['id']}/decide/",
            {
                "decision_type": r.decision("afschalen").pk,
                "text": "Criteria bereikt.",
                "referrer_notice": "De politie is gemeld dat de casus is afgeschaald.",
            },
            format="json",
        ),
        201,
    )
    closed = _ok(pr.get(f"/api/v1/cases/{case_id}/"))
    assert closed["phase"] == "closed"
    assert closed["case_coordinator"] == r.users["reclassering"].pk
