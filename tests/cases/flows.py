# SPDX-License-Identifier: EUPL-1.2
"""Bring a case to a phase through the services, as the roles would."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from ketentafel.cases import services
from ketentafel.cases.models import Case, SubjectKind, TriageOutcome
from ketentafel.covenants.models import Body, BodyKind, DecisionEffect, DecisionType
from ketentafel.information import services as information
from ketentafel.information.models import DataCategory, LifeDomain, Sharing
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose
from ketentafel.plans import services as plan_services
from tests.cases.conftest import World

PERSON = services.PersonInput(
    given_names="Jan",
    surname="de Vries",
    birth_date=datetime.date(1990, 4, 12),
    bsn="111222333",
)


def consulted() -> dict[str, Any]:
    """What triage records beside the criteria in Gelderland-Midden: the municipality's view
    (art. 1.8) and the consultation with the referrer (art. 8.1a)."""
    return {
        "municipality_view": "De gemeente steunt een aanpak in het huis.",
        "referrer_consulted": True,
        "referrer_consulted_on": timezone.localdate(),
        "referrer_consultation": "Met de aanmelder besproken; die kan zich erin vinden.",
    }


def consulted_json() -> dict[str, Any]:
    """`consulted()` as an API body holds it."""
    return {**consulted(), "referrer_consulted_on": timezone.localdate().isoformat()}


def consulted_form() -> dict[str, Any]:
    """`consulted()` as the triage screen posts it."""
    return {**consulted_json(), "referrer_consulted": "on"}


def referred(world: World, *, by: object = None, person: services.PersonInput = PERSON) -> Case:
    return services.case_refer(
        actor=by or world.police,  # type: ignore[arg-type]
        house_id=world.house.pk,
        track_id=world.track.pk,
        subject_kind=SubjectKind.PERSON,
        persons=[person],
        municipality_id=world.municipality.pk,
        problem_statement="Overlast en schulden.",
        goal="Gezamenlijk plan.",
        theme_ids=[world.themes[0].pk],
    )


def in_enrichment(world: World) -> Case:
    case = referred(world)
    services.intake_start(actor=world.pc, case_id=case.pk, information_coordinator_id=world.ic.pk)
    return Case.objects.get(pk=case.pk)


def in_triage(world: World) -> Case:
    case = in_enrichment(world)
    services.triage_submit(actor=world.ic, case_id=case.pk)
    return Case.objects.get(pk=case.pk)


def accepted(world: World) -> Case:
    case = in_triage(world)
    if world.track.triage_in_session:
        return weighed_in_session(world, case)
    services.triage_decide(
        actor=world.manager,
        case_id=case.pk,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=TriageOutcome.ACCEPTED,
        explanation="Complex.",
        goal="Plan.",
        theme_ids=[world.themes[0].pk],
        invitations=[
            services.Invitation(world.party["reclassering-nederland"].pk, "Toezicht", "Voorw."),
            services.Invitation(world.party["pro-persona"].pk, "Zorg", "Behandeling"),
        ],
        **consulted(),
    )
    return Case.objects.get(pk=case.pk)


def weighed_in_session(world: World, case: Case) -> Case:
    """Accepted in a held session of the body that weighs the track's cases (Gelderland-Midden
    Bijlage 3, Proces radicalisering: the weegploeg), the care party invited with the reason a
    non-core party needs there."""
    body = Body.objects.get(covenant=world.house.covenant, kind=BodyKind.TRIAGE, tracks=world.track)
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=body.pk,
        starts_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    item = meeting_services.agenda_item_add(
        actor=world.pc, meeting_id=meeting.pk, case_id=case.pk, purpose=AgendaPurpose.TRIAGE
    )
    meeting_services.meeting_hold(actor=world.secretary, meeting_id=meeting.pk)
    meeting_services.agenda_item_decide(
        actor=world.pc,
        agenda_item_id=item.pk,
        decision_type_id=DecisionType.objects.get(
            covenant=world.house.covenant, bodies=body, effect=DecisionEffect.TO_CASE_MEETING
        ).pk,
        text="Geagendeerd.",
        triage=meeting_services.TriageInput(
            serious_area_problem=True,
            multiple_chains_needed=True,
            multiple_problems=True,
            explanation="Complex.",
            goal="Plan.",
            theme_ids=[world.themes[0].pk],
            invitations=[
                services.Invitation(world.party["reclassering-nederland"].pk, "Toezicht", "Kader"),
                services.Invitation(
                    world.party["pro-persona"].pk,
                    "Zorg",
                    "Behandeling",
                    "Behandelaar van de betrokkene; nodig voor het plan.",
                ),
            ],
            **consulted(),
        ),
    )
    return Case.objects.get(pk=case.pk)


def held_meeting_with(world: World, case: Case, purpose: AgendaPurpose) -> UUID:
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    item = meeting_services.agenda_item_add(
        actor=world.pc, meeting_id=meeting.pk, case_id=case.pk, purpose=purpose
    )
    if purpose == AgendaPurpose.FIRST_DISCUSSION:
        meeting_services.agenda_item_record(
            actor=world.secretary,
            agenda_item_id=item.pk,
            minutes="Besproken.",
            informs_client="Reclassering",
            on_arrest="Melden.",
            closure_criteria="Doel bereikt.",
            case_coordinator_party_id=world.party["reclassering-nederland"].pk,
        )
    meeting_services.meeting_hold(actor=world.secretary, meeting_id=meeting.pk)
    return item.pk


def active_case(world: World) -> tuple[UUID, UUID]:
    """An active case with a plan holding one open action of probation; returns both ids."""
    case = accepted(world)
    held_meeting_with(world, case, AgendaPurpose.FIRST_DISCUSSION)
    plan_services.action_plan_set_goal(actor=world.pc, case_id=case.pk, goal="Stabiel wonen.")
    action = plan_services.action_add(
        actor=world.pc,
        case_id=case.pk,
        owner_party_id=world.party["reclassering-nederland"].pk,
        owner_id=None,
        what="Huisbezoek",
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    return case.pk, action.pk


def assess_for_pre_meeting(world: World, item_id: UUID, *, may_read: bool = True) -> None:
    """The process coordinator's assessment of reading an item before the meeting, made with
    the referring party (art. 13.2d)."""
    information.pre_meeting_assess(
        actor=world.pc,
        item_id=item_id,
        may_read_before_meeting=may_read,
        consulted_party_id=world.police.party_id,  # type: ignore[arg-type]
        consulted_on=timezone.localdate(),
        assessment="Met de aanmelder besproken: nodig ter voorbereiding.",
    )


def supply(
    world: World, case: Case, user: object, sharing: Sharing, named: tuple[int, ...] = ()
) -> UUID:
    item = information.information_item_supply(
        actor=user,
        case_id=case.pk,
        life_domain=LifeDomain.HOUSING,  # type: ignore[arg-type]
        text="Tekst",
        legal_basis="AVG art. 6 lid 1 sub e",
        data_category=DataCategory.ORDINARY,
        sharing=sharing,
        named_party_ids=named,
    )
    return item.pk
