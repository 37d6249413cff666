# SPDX-License-Identifier: EUPL-1.2
"""IJsselland's five phases (Bijlage 3, werkproces), run through the services in the region's
own words: the Regionale Casustafel weighs the case and decides its direction before the MDO
draws up the plan; the casustafel monitors; afschalen ends it (ADR 0018)."""

from __future__ import annotations

import datetime

import pytest

from ketentafel.accounts.models import Role
from ketentafel.cases import selectors
from ketentafel.cases import services as cases
from ketentafel.cases.models import Case, Closure, ClosureReason, Phase, SubjectKind
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed
from ketentafel.meetings import services as meetings
from ketentafel.meetings.models import AgendaPurpose
from tests.cases.flows import consulted
from tests.regions.conftest import Region, purged_after_monitoring, region, soon

# `clock`: retention counts local days (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PERSON = cases.PersonInput(
    given_names="Piet", surname="Jansen", birth_date=datetime.date(1988, 3, 2)
)


def cast(r: Region) -> Region:
    """IJsselland's people: the procesregisseur, the informatiecoördinator, the administratief
    medewerker (Bijlage 3: "Administratief medewerker Ondersteuning Casustafels") and two
    partners."""
    r.user("pr", "gemeente-zwolle", Role.PROCESS_COORDINATOR)
    r.user("ic", "gemeente-zwolle", Role.INFORMATION_COORDINATOR)
    r.user("am", "gemeente-zwolle", Role.MEETING_SECRETARY)
    r.user("politie", "politie-oost-nederland", Role.PARTNER_PROFESSIONAL)
    r.user("reclassering", "reclassering-nederland", Role.PARTNER_PROFESSIONAL)
    return r


@pytest.fixture
def ijsselland() -> Region:
    return cast(region("ijsselland", "ijsselland"))


def _referred(r: Region) -> Case:
    track = r.track("complexe-multi-problematiek")
    return cases.case_refer(
        actor=r.users["politie"],
        house_id=r.house.pk,
        track_id=track.pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=r.party["gemeente-zwolle"].pk,
        problem_statement="Veelpleger met schulden en verslaving.",
        goal="Eén plan van aanpak.",
        theme_ids=[r.themes()[0].pk],
    )


def _at_the_casustafel(r: Region) -> tuple[Case, object]:
    """Fase 1-2: registered, enriched, and put on the casustafel's agenda by the
    administratief medewerker (art. 15.2), who sees the case because it awaits the table."""
    case = _referred(r)
    cases.intake_start(
        actor=r.users["pr"], case_id=case.pk, information_coordinator_id=r.users["ic"].pk
    )
    cases.triage_submit(actor=r.users["pr"], case_id=case.pk)
    meeting = meetings.meeting_schedule(
        actor=r.users["am"],
        house_id=r.house.pk,
        body_id=r.body("regionale-casustafel").pk,
        starts_at=soon(),
    )
    item = meetings.agenda_item_add(
        actor=r.users["am"], meeting_id=meeting.pk, case_id=case.pk, purpose=AgendaPurpose.TRIAGE
    )
    meetings.meeting_hold(actor=r.users["am"], meeting_id=meeting.pk)
    return case, item


def _weighed(r: Region) -> meetings.TriageInput:
    return meetings.TriageInput(
        serious_area_problem=True,
        multiple_chains_needed=True,
        multiple_problems=True,
        explanation="Zorg en straf samen nodig.",
        goal="Plan van aanpak in het MDO.",
        theme_ids=[r.themes()[0].pk],
        invitations=[
            cases.Invitation(r.party["reclassering-nederland"].pk, "Toezicht", "Voorwaarden")
        ],
        **consulted(),
    )


def test_the_five_phases_from_referral_to_afschaling(ijsselland: Region) -> None:
    r = ijsselland
    case, item = _at_the_casustafel(r)
    assert Case.objects.get(pk=case.pk).phase_name == (
        "Fase 2-3: Voorbereiden casustafel en Regionale Casustafel"
    )

    # Fase 3: "Procesregie VHH" sends the case to the MDO.
    meetings.agenda_item_decide(
        actor=r.users["pr"],
        agenda_item_id=item.pk,  # type: ignore[attr-defined]
        decision_type_id=r.decision("procesregie-vhh").pk,
        text="Procesregie bij het VHH; MDO plannen.",
        triage=_weighed(r),
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED

    # Fase 4: the MDO makes the plan and appoints the Casusregisseur and who informs the client.
    mdo = meetings.meeting_schedule(
        actor=r.users["am"], house_id=r.house.pk, body_id=r.body("mdo").pk, starts_at=soon()
    )
    first = meetings.agenda_item_add(
        actor=r.users["pr"],
        meeting_id=mdo.pk,
        case_id=case.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    meetings.agenda_item_record(
        actor=r.users["am"],
        agenda_item_id=first.pk,
        minutes="Plan van aanpak opgesteld.",
        informs_client="Reclassering",
        case_coordinator_party_id=r.party["reclassering-nederland"].pk,
    )
    meetings.meeting_hold(actor=r.users["am"], meeting_id=mdo.pk)
    assert Case.objects.get(pk=case.pk).phase == Phase.ACTIVE

    # Fase 4a: monitoring at the casustafel; fase 5: afschalen there.
    table = meetings.meeting_schedule(
        actor=r.users["am"],
        house_id=r.house.pk,
        body_id=r.body("regionale-casustafel").pk,
        starts_at=soon(),
    )
    review = meetings.agenda_item_add(
        actor=r.users["am"], meeting_id=table.pk, case_id=case.pk, purpose=AgendaPurpose.REVIEW
    )
    meetings.meeting_hold(actor=r.users["am"], meeting_id=table.pk)
    meetings.agenda_item_decide(
        actor=r.users["am"],
        agenda_item_id=review.pk,
        decision_type_id=r.decision("afschalen").pk,
        text="Doelen bereikt; afschalen.",
        referrer_notice="De politie is gemeld dat de casus is afgeschaald.",
    )
    closed = Case.objects.get(pk=case.pk)
    assert closed.phase == Phase.CLOSED
    assert closed.phase_name == "Fase 5: Afschaling"
    closure = Closure.objects.get(case=closed)
    assert closure.agenda_item_id == review.pk
    assert closure.reason == ClosureReason.NO_LONGER_NEEDED
    # Fase 5: "Persoonsgegevens gefaseerd verwijderd" after the monitoring period.
    purged_after_monitoring(closed.track, closed.pk)


def test_the_casustafel_hands_direction_elsewhere_without_an_mdo(ijsselland: Region) -> None:
    r = ijsselland
    case, item = _at_the_casustafel(r)
    meetings.agenda_item_decide(
        actor=r.users["am"],
        agenda_item_id=item.pk,  # type: ignore[attr-defined]
        decision_type_id=r.decision("procesregie-elders-dan-vhh").pk,
        text="Reclassering voert de regie.",
        handed_over_to_id=r.party["reclassering-nederland"].pk,
        referrer_notice="De politie is gemeld dat de reclassering de regie voert.",
    )
    closure = Closure.objects.get(case=case)
    assert closure.reason == ClosureReason.HANDED_OVER
    assert closure.handed_over_to_id == r.party["reclassering-nederland"].pk
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED
    purged_after_monitoring(r.track("complexe-multi-problematiek"), case.pk)


def test_the_casustafel_decides_only_in_a_held_session(ijsselland: Region) -> None:
    r = ijsselland
    case = _referred(r)
    cases.intake_start(
        actor=r.users["pr"], case_id=case.pk, information_coordinator_id=r.users["ic"].pk
    )
    cases.triage_submit(actor=r.users["pr"], case_id=case.pk)
    # One user's triage decision is not the casustafel's.
    with pytest.raises(InvalidTransition) as refused:
        cases.triage_decide(
            actor=r.users["pr"],
            case_id=case.pk,
            serious_area_problem=True,
            system_impact=False,
            multiple_chains_needed=True,
            multiple_problems=True,
            outcome=cases.TriageOutcome.ACCEPTED,
            explanation="Alleen.",
            goal="Plan.",
            theme_ids=[r.themes()[0].pk],
            invitations=[cases.Invitation(r.party["reclassering-nederland"].pk, "T", "V")],
            **consulted(),
        )
    assert "Regionale Casustafel" in refused.value.message
    # A planned session cannot move the case yet.
    meeting = meetings.meeting_schedule(
        actor=r.users["am"],
        house_id=r.house.pk,
        body_id=r.body("regionale-casustafel").pk,
        starts_at=soon(),
    )
    item = meetings.agenda_item_add(
        actor=r.users["am"], meeting_id=meeting.pk, case_id=case.pk, purpose=AgendaPurpose.TRIAGE
    )
    with pytest.raises(InvalidTransition):
        meetings.agenda_item_decide(
            actor=r.users["am"],
            agenda_item_id=item.pk,
            decision_type_id=r.decision("afschalen").pk,
            text="Afschalen.",
            referrer_notice="Gemeld.",
        )
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE


def test_the_mdo_does_not_weigh_and_the_casustafel_does_not_make_the_plan(
    ijsselland: Region,
) -> None:
    r = ijsselland
    case, _item = _at_the_casustafel(r)
    mdo = meetings.meeting_schedule(
        actor=r.users["am"], house_id=r.house.pk, body_id=r.body("mdo").pk, starts_at=soon()
    )
    with pytest.raises(InvalidInput) as refused:
        meetings.agenda_item_add(
            actor=r.users["am"], meeting_id=mdo.pk, case_id=case.pk, purpose=AgendaPurpose.TRIAGE
        )
    assert "MDO" in refused.value.message
    assert refused.value.field == "purpose"


def test_a_partner_cannot_record_the_casustafel_decision(ijsselland: Region) -> None:
    r = ijsselland
    case, item = _at_the_casustafel(r)
    with pytest.raises(NotAllowed):
        meetings.agenda_item_decide(
            actor=r.users["politie"],
            agenda_item_id=item.pk,  # type: ignore[attr-defined]
            decision_type_id=r.decision("afschalen").pk,
            text="Afschalen.",
            referrer_notice="Gemeld.",
        )
    assert selectors.cases_visible_to(r.users["am"]).filter(pk=case.pk).exists()
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE


@pytest.mark.parametrize(
    ("slug", "reason", "party"),
    [
        ("isd", ClosureReason.HANDED_OVER, "om-oost-nederland"),
        ("zsm-advies", ClosureReason.OTHER, None),
    ],
)
def test_isd_and_zsm_advies_end_the_houses_involvement_at_the_casustafel(
    ijsselland: Region, slug: str, reason: ClosureReason, party: str | None
) -> None:
    """Bijlage 3, fase 3: ISD hands the case to the justice chain (the party named), ZSM advies
    closes it with the casustafel's advice as the explanation."""
    r = ijsselland
    case, item = _at_the_casustafel(r)
    meetings.agenda_item_decide(
        actor=r.users["am"],
        agenda_item_id=item.pk,  # type: ignore[attr-defined]
        decision_type_id=r.decision(slug).pk,
        text="Advies van de casustafel.",
        handed_over_to_id=r.party[party].pk if party else None,
        referrer_notice="De politie is gemeld wat de casustafel besloot.",
    )
    closure = Closure.objects.get(case=case)
    assert (closure.reason, closure.explanation) == (reason, "Advies van de casustafel.")
    assert closure.handed_over_to_id == (r.party[party].pk if party else None)
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED
