# SPDX-License-Identifier: EUPL-1.2
"""Midden-Limburg's two routes run through the services in the region's own words.

Complex multi-problematiek (art. 1.7-1.10, 6, 9, 10): Aanmelding en screening by the
Procesregisseur without an informatiecoördinator (art. 3.1), Triage by the Procesregisseur
(art. 1.8, 9.2 a-b), the Ronde Tafel Overleg (RTO) that makes the plan and designates the
Casusregisseur (art. 6.4), Afschaling decided there (art. 1.10).

Nazorg detentie (art. 2.3): from DJI's notification, taken up by the Procesregisseur straight
into its work, no plan, closed by the case's Procesregisseur without a meeting."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.aftercare import services as aftercare
from ketentafel.cases import services as cases
from ketentafel.cases.models import Case, Closure, ClosureReason, Phase, SubjectKind
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from ketentafel.meetings import services as meetings
from ketentafel.meetings.models import AgendaPurpose
from ketentafel.plans import services as plans
from ketentafel.privacy.models import DeletionRecord, Stage
from tests.cases.conftest import api_client
from tests.cases.flows import consulted, consulted_json
from tests.privacy.conftest import days_later
from tests.regions.conftest import Region, purged_after_monitoring, region, soon

# `clock`: retention counts local days (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PERSON = cases.PersonInput(
    given_names="Luc", surname="Voorbeeld-Roermond", birth_date=datetime.date(1985, 11, 2)
)
RTO = "ronde-tafel-overleg"


def cast(r: Region) -> Region:
    """Midden-Limburg's people: two Procesregisseurs (art. 9: "De Procesregisseurs"), the
    administratief medewerker (art. 11.1), and professionals of the police, 3RO (the
    Casusregisseur) and PI Sittard."""
    r.user("pr", "gemeente-roermond", Role.PROCESS_COORDINATOR)
    r.user("pr2", "gemeente-weert", Role.PROCESS_COORDINATOR)
    r.user("medewerker", "gemeente-roermond", Role.MEETING_SECRETARY)
    r.user("politie", "politie-limburg", Role.PARTNER_PROFESSIONAL)
    r.user("reclassering", "3ro", Role.PARTNER_PROFESSIONAL)
    r.user("pi", "pi-sittard", Role.PARTNER_PROFESSIONAL)
    return r


@pytest.fixture
def midden_limburg() -> Region:
    return cast(region("midden-limburg", "midden-limburg"))


# Complex multi-problematiek -------------------------------------------------------------------


def _accepted(r: Region) -> Case:
    case = cases.case_refer(
        actor=r.users["politie"],
        house_id=r.house.pk,
        track_id=r.track("complexe-multi-problematiek").pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=r.party["gemeente-roermond"].pk,
        problem_statement="Overlast, verslaving en schulden.",
        goal="Eén plan van aanpak.",
    )
    assert case.phase_name == "Aanmelding en screening"
    cases.intake_start(actor=r.users["pr"], case_id=case.pk)
    cases.triage_submit(actor=r.users["pr"], case_id=case.pk)
    assert Case.objects.get(pk=case.pk).phase_name == "Triage"
    cases.triage_decide(
        actor=r.users["pr"],
        case_id=case.pk,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=cases.TriageOutcome.ACCEPTED,
        explanation="Meerdere ketens nodig (Bijlage 2).",
        goal="Plan van aanpak in het RTO.",
        invitations=[cases.Invitation(r.party["3ro"].pk, "Toezicht", "Voorwaarden")],
        **consulted(),
    )
    return Case.objects.get(pk=case.pk)


def _rto(r: Region, case: Case, purpose: AgendaPurpose) -> Any:
    meeting = meetings.meeting_schedule(
        actor=r.users["medewerker"], house_id=r.house.pk, body_id=r.body(RTO).pk, starts_at=soon()
    )
    item = meetings.agenda_item_add(
        actor=r.users["pr"], meeting_id=meeting.pk, case_id=case.pk, purpose=purpose
    )
    if purpose == AgendaPurpose.FIRST_DISCUSSION:
        meetings.agenda_item_record(
            actor=r.users["medewerker"],
            agenda_item_id=item.pk,
            minutes="Integraal plan van aanpak vastgesteld.",
            closure_criteria="Drie maanden geen meldingen.",
            case_coordinator_party_id=r.party["3ro"].pk,
            case_coordinator_id=r.users["reclassering"].pk,
        )
    meetings.meeting_hold(actor=r.users["medewerker"], meeting_id=meeting.pk)
    return item


def _afgeschaald(r: Region) -> Case:
    case = _accepted(r)
    _rto(r, case, AgendaPurpose.FIRST_DISCUSSION)
    review = _rto(r, case, AgendaPurpose.REVIEW)
    meetings.agenda_item_decide(
        actor=r.users["medewerker"],
        agenda_item_id=review.pk,
        decision_type_id=r.decision("afschaling").pk,
        text="Betrokkenheid van het Veiligheidshuis niet langer nodig.",
        referrer_notice="De politie is gemeld dat de casus is afgeschaald.",
    )
    return Case.objects.get(pk=case.pk)


def test_complex_cases_from_aanmelding_through_the_rto_to_afschaling(
    midden_limburg: Region,
) -> None:
    r = midden_limburg
    case = _accepted(r)
    assert case.information_coordinator is None
    assert case.phase_name == "Ronde Tafel Overleg (totstandkoming plan van aanpak)"
    _rto(r, case, AgendaPurpose.FIRST_DISCUSSION)
    active = Case.objects.get(pk=case.pk)
    assert active.phase_name == "Ronde Tafel Overleg (afstemming tijdens de uitvoering)"
    # The Casusregisseur keeps the plan (art. 10.2); the referring police do not.
    plans.action_plan_set_goal(
        actor=r.users["reclassering"], case_id=case.pk, goal="Drie maanden geen meldingen."
    )
    with pytest.raises(NotAllowed):
        plans.action_plan_set_goal(actor=r.users["politie"], case_id=case.pk, goal="Anders.")

    review = _rto(r, case, AgendaPurpose.REVIEW)
    meetings.agenda_item_decide(
        actor=r.users["medewerker"],
        agenda_item_id=review.pk,
        decision_type_id=r.decision("afschaling").pk,
        text="Betrokkenheid van het Veiligheidshuis niet langer nodig.",
        referrer_notice="De politie is gemeld dat de casus is afgeschaald.",
    )
    closed = Case.objects.get(pk=case.pk)
    assert closed.phase_name == "Afschaling"
    assert Closure.objects.get(case=closed).reason == ClosureReason.NO_LONGER_NEEDED


def test_afschaling_is_an_rto_decision(midden_limburg: Region) -> None:
    r = midden_limburg
    case = _accepted(r)
    _rto(r, case, AgendaPurpose.FIRST_DISCUSSION)
    with pytest.raises(InvalidTransition) as refused:
        cases.case_close(
            actor=r.users["pr"],
            case_id=case.pk,
            reason=ClosureReason.GOAL_REACHED,
            referrer_notice="Gemeld.",
        )
    assert "Ronde Tafel Overleg (RTO)" in refused.value.message
    assert Case.objects.get(pk=case.pk).phase == Phase.ACTIVE


# Nazorg detentie ------------------------------------------------------------------------------


def _nazorg(r: Region) -> Case:
    """DJI's notification from PI Sittard, taken up by the Procesregisseur straight into its
    work: no informatiecoördinator (art. 3.1), no triage, no RTO."""
    notification = aftercare.detention_notify(
        actor=r.users["pi"],
        person=PERSON,
        detention_start=timezone.localdate() - datetime.timedelta(days=60),
        expected_release=timezone.localdate() + datetime.timedelta(days=30),
        municipality_id=r.party["gemeente-roermond"].pk,
        institution="PI Sittard",
    )
    case = notification.case
    assert case.track == r.track("nazorg-detentie")
    cases.intake_start(actor=r.users["pr"], case_id=case.pk)
    return Case.objects.get(pk=case.pk)


def test_nazorg_detentie_from_the_notification_to_closure_without_a_meeting(
    midden_limburg: Region,
) -> None:
    r = midden_limburg
    case = _nazorg(r)
    assert (case.phase, case.process_coordinator, case.information_coordinator) == (
        Phase.ACTIVE,
        r.users["pr"],
        None,
    )
    aftercare.basic_condition_set(
        actor=r.users["pr"], case_id=case.pk, condition="housing", status="red", note="Geen woning"
    )
    # No plan of action on this route: the track has none (409), whoever asks.
    with pytest.raises(InvalidTransition) as no_plan:
        plans.action_plan_set_goal(actor=r.users["pr"], case_id=case.pk, goal="Plan.")
    assert "kent geen plan van aanpak" in no_plan.value.message
    # Nor a meeting: the RTO meets on what triage sends it (art. 6.1).
    meeting = meetings.meeting_schedule(
        actor=r.users["medewerker"], house_id=r.house.pk, body_id=r.body(RTO).pk, starts_at=soon()
    )
    with pytest.raises(InvalidInput) as no_rto:
        meetings.agenda_item_add(
            actor=r.users["pr"],
            meeting_id=meeting.pk,
            case_id=case.pk,
            purpose=AgendaPurpose.REVIEW,
        )
    assert no_rto.value.field == "case"
    # Only the case's own Procesregisseur closes it: not the referring PI, and another
    # Procesregisseur does not even see it.
    for other, refusal in (("pi", NotAllowed), ("pr2", NotFound)):
        with pytest.raises(refusal):
            cases.case_close(
                actor=r.users[other],
                case_id=case.pk,
                reason=ClosureReason.GOAL_REACHED,
                referrer_notice="PI Sittard is gemeld dat de nazorg is afgerond.",
            )
    closure = cases.case_close(
        actor=r.users["pr"],
        case_id=case.pk,
        reason=ClosureReason.GOAL_REACHED,
        referrer_notice="PI Sittard is gemeld dat de nazorg is afgerond.",
    )
    assert closure.agenda_item_id is None
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED


def test_nazorg_detentie_through_the_api(midden_limburg: Region) -> None:
    r = midden_limburg
    posted = api_client(r.users["pi"]).post(
        "/api/v1/detention-notifications/",
        {
            "person": {
                "given_names": "Luc",
                "surname": "Voorbeeld-Api",
                "birth_date": "1985-11-02",
            },
            "institution": "PI Sittard",
            "detention_start": days_later(-60).isoformat(),
            "expected_release": days_later(30).isoformat(),
            "municipality": r.party["gemeente-roermond"].pk,
        },
        format="json",
    )
    assert posted.status_code == 201, posted.content.decode()
    case_id = posted.json()["case"]
    pr = api_client(r.users["pr"])
    taken = pr.post(f"/api/v1/cases/{case_id}/intake/", {}, format="json")
    assert taken.status_code == 200, taken.content.decode()
    assert taken.json()["phase"] == "active"
    light = pr.post(
        f"/api/v1/cases/{case_id}/basic-conditions/",
        {"condition": "identity", "status": "green"},
        format="json",
    )
    assert light.status_code == 201, light.content.decode()
    closed = pr.post(
        f"/api/v1/cases/{case_id}/closure/",
        {"reason": "goal_reached", "referrer_notice": "PI Sittard is gemeld."},
        format="json",
    )
    assert closed.status_code == 200, closed.content.decode()
    assert closed.json()["phase"] == "closed"


# Purge ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("track", ["complexe-multi-problematiek", "nazorg-detentie"])
def test_a_closed_case_of_each_track_is_purged_after_its_monitoring_period(
    midden_limburg: Region, track: str
) -> None:
    r = midden_limburg
    if track == "nazorg-detentie":
        case = _nazorg(r)
        cases.case_close(
            actor=r.users["pr"],
            case_id=case.pk,
            reason=ClosureReason.GOAL_REACHED,
            referrer_notice="PI Sittard is gemeld.",
        )
    else:
        case = _afgeschaald(r)
    purged_after_monitoring(r.track(track), case.pk)
    assert DeletionRecord.objects.get(case_id=case.pk, stage=Stage.FINAL).counts["case"] == 1


# The main route through the API -----------------------------------------------------------------


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content.decode(errors="replace")[:3000]
    return response.json()


def test_complex_cases_through_the_api(midden_limburg: Region) -> None:
    r = midden_limburg
    politie, pr = api_client(r.users["politie"]), api_client(r.users["pr"])
    medewerker = api_client(r.users["medewerker"])
    probation = r.party["3ro"].pk
    case_id = _ok(
        politie.post(
            "/api/v1/cases/",
            {
                "house": r.house.pk,
                "track": r.track("complexe-multi-problematiek").pk,
                "subject_kind": "person",
                "persons": [
                    {"given_names": "Luc", "surname": "Voorbeeld-Api", "birth_date": "1985-11-02"}
                ],
                "municipality": r.party["gemeente-roermond"].pk,
                "problem_statement": "Overlast en verslaving.",
                "goal": "Eén plan van aanpak.",
                "themes": [],
            },
            format="json",
        ),
        201,
    )["id"]
    assert _ok(pr.post(f"/api/v1/cases/{case_id}/intake/", {}, format="json"))["phase"] == (
        "enrichment"
    )
    _ok(pr.post(f"/api/v1/cases/{case_id}/triage/submit/"))
    _ok(
        pr.post(
            f"/api/v1/cases/{case_id}/triage/decision/",
            {
                "serious_area_problem": True,
                "system_impact": False,
                "multiple_chains_needed": True,
                "multiple_problems": True,
                "outcome": "accepted",
                "explanation": "Meerdere ketens nodig.",
                "goal": "Plan van aanpak in het RTO.",
                "themes": [],
                "invitations": [
                    {"party": probation, "role": "Toezicht", "information_need": "Kader"}
                ],
                **consulted_json(),
            },
            format="json",
        ),
        201,
    )
    starts = soon().isoformat()
    meeting = _ok(
        medewerker.post(
            "/api/v1/meetings/",
            {"house": r.house.pk, "body": r.body(RTO).pk, "starts_at": starts},
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
    read = medewerker.get(f"/api/v1/agenda-items/{item['id']}/")
    _ok(
        medewerker.post(
            f"/api/v1/agenda-items/{item['id']}/record/",
            {
                "minutes": "Plan van aanpak vastgesteld.",
                "case_coordinator_party": probation,
                "closure_criteria": "Drie maanden geen meldingen.",
                "decisions": [
                    {
                        "text": "3RO is Casusregisseur.",
                        "decision_type": r.decision("aanwijzen-casusregisseur").pk,
                    }
                ],
            },
            format="json",
            HTTP_IF_MATCH=read["ETag"],
        )
    )
    _ok(medewerker.post(f"/api/v1/meetings/{meeting['id']}/hold/"))
    assert _ok(pr.get(f"/api/v1/cases/{case_id}/"))["phase"] == "active"
    review = _ok(
        medewerker.post(
            "/api/v1/meetings/",
            {"house": r.house.pk, "body": r.body(RTO).pk, "starts_at": starts},
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
    _ok(medewerker.post(f"/api/v1/meetings/{review['id']}/hold/"))
    _ok(
        medewerker.post(
            f"/api/v1/agenda-items/{review_item['id']}/decide/",
            {
                "decision_type": r.decision("afschaling").pk,
                "text": "Niet langer nodig.",
                "referrer_notice": "De politie is gemeld dat de casus is afgeschaald.",
            },
            format="json",
        ),
        201,
    )
    assert _ok(pr.get(f"/api/v1/cases/{case_id}/"))["phase"] == "closed"
