# SPDX-License-Identifier: EUPL-1.2
"""Work for the demo's house: cases in every phase of the process, brought there through the
services by the demo users, as they would in the screens. Every person is fictitious (Faker
nl_NL, seeded by the region; BSNs that only pass the elfproef).

The demo users' roles decide who does what: the police and care refer, the process
coordinator takes the intake, the information coordinator asks and offers to triage, the
location manager decides triage, the secretary plans and holds the meeting, the privacy
officer registers a data-subject request and a security incident. Each step is audited like
any other.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from faker import Faker

from ketentafel.accounts.models import User
from ketentafel.advice import services as advice_services
from ketentafel.cases import services as case_services
from ketentafel.cases.models import Case, SubjectKind, TriageOutcome
from ketentafel.cases.workflow import session_steps
from ketentafel.core.bsn import is_valid_bsn
from ketentafel.covenants.models import (
    Body,
    DecisionEffect,
    DecisionType,
    House,
    PartyKind,
    Theme,
    Track,
    TrackKind,
)
from ketentafel.incidents import services as incidents
from ketentafel.incidents.models import DataCategory as IncidentData
from ketentafel.information import services as information
from ketentafel.information.models import DataCategory, LifeDomain, Sharing
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose
from ketentafel.plans import services as plan_services
from ketentafel.privacy import services as privacy
from ketentafel.privacy.models import RequestKind


@dataclass(frozen=True)
class DemoWork:
    cases: int
    meetings: int
    advice_requests: int
    privacy_matters: int = 0

    def summary(self) -> str:
        return (
            f"Demo work: {self.cases} cases, {self.meetings} case meetings, "
            f"{self.advice_requests} advice request, {self.privacy_matters} privacy matters."
        )


class _People:
    """Fictitious persons, the same for the same region every run."""

    def __init__(self, seed: str) -> None:
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(f"demo-work-{seed}")

    def person(self, municipality: str) -> case_services.PersonInput:
        bsn = self.fake.ssn()
        return case_services.PersonInput(
            given_names=self.fake.first_name(),
            surname=self.fake.last_name(),
            birth_date=self.fake.date_of_birth(minimum_age=18, maximum_age=70),
            bsn=bsn if is_valid_bsn(bsn) else "",
            address=self.fake.street_address(),
            municipality=municipality,
        )


def demo_work_load(house: House, users: Mapping[str, User]) -> DemoWork:
    """Bring the demo house's work into being, once: a house that has cases is left alone.

    `users` holds the demo users by their username (`demo.DEMO_USERS`)."""
    if Case.objects.filter(house=house).exists():
        return DemoWork(0, 0, 0)
    track = Track.objects.get(covenant=house.covenant, kind=TrackKind.COMPLEX_CASES)
    # The bodies the track's process has weigh the case and make its plan (ADR 0018): in
    # IJsselland the Regionale Casustafel weighs, the MDO makes the plan.
    body = _deciding_body(house, track, "accepted")
    weighing = _deciding_body(house, track, "triage") if _triage_in_session(track) else None
    themes = list(Theme.objects.filter(covenant=house.covenant).order_by("pk")[:3])
    municipality = users["procesregisseur"].party
    assert municipality is not None
    assert municipality.kind == PartyKind.GEMEENTE
    people = _People(house.covenant.slug)
    pc = users["procesregisseur"]
    # A covenant without an information coordinator (Midden-Limburg art. 3.1) names none: the
    # process coordinator does the enrichment.
    has_ic = house.covenant.has_information_coordinator
    ic = users["informatiecoordinator"] if has_ic else pc
    ic_id = ic.pk if has_ic else None
    police, probation, care = users["politie"], users["reclassering"], users["zorg"]
    soon = timezone.localdate() + datetime.timedelta(days=7)

    def refer(by: User, problem: str, goal: str, theme: int = 0) -> Case:
        return case_services.case_refer(
            actor=by,
            house_id=house.pk,
            track_id=track.pk,
            subject_kind=SubjectKind.PERSON,
            persons=[people.person(municipality.name.removeprefix("Gemeente "))],
            municipality_id=municipality.pk,
            problem_statement=problem,
            goal=goal,
            theme_ids=[themes[theme % len(themes)].pk] if themes else [],
        )

    def supply(by: User, case: Case, domain: LifeDomain, text: str, sharing: Sharing) -> None:
        information.information_item_supply(
            actor=by,
            case_id=case.pk,
            life_domain=domain,
            text=text,
            legal_basis="AVG art. 6 lid 1 sub e; convenant art. 10",
            data_category=DataCategory.ORDINARY,
            sharing=sharing,
        )

    with transaction.atomic():
        # Two new referrals wait for the process coordinator.
        refer(
            police,
            "Herhaalde meldingen van overlast in de wijk; signalen van schulden en verward gedrag.",
            "Overlast stoppen en zorg en hulp op gang brengen.",
        )
        refer(
            care,
            "Cliënt mijdt zorg, dreigt met huisuitzetting en is eerder met justitie in aanraking "
            "geweest.",
            "Huisvesting behouden en zorg en toezicht op elkaar afstemmen.",
            theme=1,
        )
        # One in enrichment: the information coordinator asked the police and care.
        enriching = refer(
            probation,
            "Huiselijk geweld en overlast; meerdere partijen betrokken zonder afstemming.",
            "Veiligheid in het gezin en één plan van aanpak.",
            theme=2,
        )
        case_services.intake_start(actor=pc, case_id=enriching.pk, information_coordinator_id=ic_id)
        for party in (police.party, care.party):
            assert party is not None
            information.information_request_send(
                actor=ic,
                case_id=enriching.pk,
                party_id=party.pk,
                question="Lopende zaken, contacten en zorgen rond deze persoon.",
                reason="Weging voor het casusoverleg (Bijlage 3, intake en verrijking).",
                deadline=soon,
            )
        # One ready for triage, with what the police supplied.
        triage = refer(
            police,
            "Toezicht loopt vast: geen vaste woon- of verblijfplaats en schulden.",
            "Een stabiele basis waarop het toezicht kan slagen.",
        )
        case_services.intake_start(actor=pc, case_id=triage.pk, information_coordinator_id=ic_id)
        supply(
            police,
            triage,
            LifeDomain.BEHAVIOUR,
            "Vier meldingen van overlast in het afgelopen halfjaar.",
            Sharing.PRE_MEETING,
        )
        case_services.triage_submit(actor=ic, case_id=triage.pk)
        # One active: accepted, discussed in a held case meeting, with a plan of action.
        active = refer(
            police,
            "Escalerende overlast, middelengebruik en dreigende uithuiszetting.",
            "Overlast stoppen, woning behouden en zorg en toezicht op elkaar afstemmen.",
        )
        case_services.intake_start(actor=pc, case_id=active.pk, information_coordinator_id=ic_id)
        supply(
            police,
            active,
            LifeDomain.BEHAVIOUR,
            "Zes meldingen van overlast; twee aanhoudingen.",
            Sharing.PRE_MEETING,
        )
        case_services.triage_submit(actor=ic, case_id=active.pk)
        assert probation.party is not None
        assert care.party is not None
        invited = {probation.party.pk: ("Toezicht", "Voorwaarden en contacten")}
        invited.setdefault(care.party.pk, ("Zorg", "Behandeling en afspraken"))
        weighed = {
            "serious_area_problem": True,
            "system_impact": False,
            "multiple_chains_needed": True,
            "multiple_problems": True,
            "explanation": "Voldoet aan de criteria van Bijlage 2: meerdere ketens nodig.",
            "goal": "Overlast stoppen en woning behouden.",
            "theme_ids": [themes[0].pk] if themes else [],
            "invitations": [
                case_services.Invitation(party_id, role, need)
                for party_id, (role, need) in invited.items()
                if party_id != police.party_id
            ],
            "municipality_view": "De gemeente ziet meerwaarde in een gezamenlijke aanpak.",
            "referrer_consulted": True,
            "referrer_consulted_on": timezone.localdate(),
            "referrer_consultation": "Met de aanmelder besproken; zij ondersteunt bespreking.",
        }
        if weighing is None:
            # Triage by whom the track's process names: the location manager in the national
            # route, the Procesregisseur where the covenant gives it triage (Midden-Nederland
            # art. 12.2 a, Midden-Limburg art. 9.2 a).
            accept = track.process_spec.step("accept")
            weigher = users["locatiemanager"]
            if accept is not None and "location_manager" not in accept.roles:
                weigher = pc
            case_services.triage_decide(
                actor=weigher,
                case_id=active.pk,
                outcome=TriageOutcome.ACCEPTED,
                **weighed,  # type: ignore[arg-type]
            )
        else:
            session = meeting_services.meeting_schedule(
                actor=users["secretaris"],
                house_id=house.pk,
                body_id=weighing.pk,
                starts_at=timezone.now() + datetime.timedelta(minutes=1),
                location="Veiligheidshuis, zaal 2",
            )
            weighed_item = meeting_services.agenda_item_add(
                actor=users["secretaris"],
                meeting_id=session.pk,
                case_id=active.pk,
                purpose=AgendaPurpose.TRIAGE,
            )
            meeting_services.meeting_hold(actor=users["secretaris"], meeting_id=session.pk)
            to_meeting = DecisionType.objects.filter(
                Q(bodies=None) | Q(bodies=weighing),
                covenant=house.covenant,
                effect=DecisionEffect.TO_CASE_MEETING,
                is_active=True,
            ).first()
            assert to_meeting is not None
            meeting_services.agenda_item_decide(
                actor=pc,
                agenda_item_id=weighed_item.pk,
                decision_type_id=to_meeting.pk,
                text="Casus voor het huis; bespreken in het casusoverleg.",
                triage=meeting_services.TriageInput(**weighed),  # type: ignore[arg-type]
            )
        supply(
            care,
            active,
            LifeDomain.SUBSTANCE_USE,
            "In beeld bij de verslavingszorg; afspraken worden niet nagekomen.",
            Sharing.AFTER_MEETING,
        )
        meetings = 0
        if body is not None:
            held = meeting_services.meeting_schedule(
                actor=users["secretaris"],
                house_id=house.pk,
                body_id=body.pk,
                starts_at=timezone.now() + datetime.timedelta(minutes=1),
                location="Veiligheidshuis, zaal 1",
            )
            item = meeting_services.agenda_item_add(
                actor=pc,
                meeting_id=held.pk,
                case_id=active.pk,
                purpose=AgendaPurpose.FIRST_DISCUSSION,
            )
            meeting_services.agenda_item_record(
                actor=users["secretaris"],
                agenda_item_id=item.pk,
                minutes="Partijen delen hun beeld; afspraken over woning, zorg en toezicht.",
                informs_client="Reclassering",
                on_arrest="Reclassering en procesregisseur worden direct geïnformeerd.",
                closure_criteria="Geen nieuwe meldingen in drie maanden; woning behouden.",
                case_coordinator_party_id=probation.party.pk,
            )
            meeting_services.meeting_hold(actor=users["secretaris"], meeting_id=held.pk)
            plan_services.action_plan_set_goal(
                actor=pc,
                case_id=active.pk,
                goal="Overlast stoppen, woning behouden, zorg en toezicht afgestemd.",
            )
            plan_services.action_add(
                actor=pc,
                case_id=active.pk,
                owner_party_id=probation.party.pk,
                owner_id=None,
                what="Huisbezoek samen met de wijkagent",
                due_on=soon,
            )
            plan_services.action_add(
                actor=pc,
                case_id=active.pk,
                owner_party_id=care.party.pk,
                owner_id=None,
                what="Intake verslavingszorg opnieuw plannen",
                due_on=soon + datetime.timedelta(days=7),
            )
            # The next meeting, two weeks on, reviews the plan.
            review = meeting_services.meeting_schedule(
                actor=users["secretaris"],
                house_id=house.pk,
                body_id=body.pk,
                starts_at=timezone.now() + datetime.timedelta(days=14),
                location="Veiligheidshuis, zaal 1",
            )
            meeting_services.agenda_item_add(
                actor=pc, meeting_id=review.pk, case_id=active.pk, purpose=AgendaPurpose.REVIEW
            )
            meetings = 2
        # A consultation by phone that may become a referral.
        advice_services.advice_record(
            actor=police,
            house_id=house.pk,
            question="Wijkagent vraagt of een buurtconflict met zorgsignalen iets voor het huis "
            "is.",
        )
        # The privacy officer's desk: the person of the active case asked to see their data,
        # and an e-mail went to the wrong address yesterday (the 72 hours are running).
        officer = users["privacy"]
        subject = active.persons.get(is_primary=True)
        privacy.request_register(
            actor=officer,
            house_id=house.pk,
            kind=RequestKind.ACCESS,
            received_on=timezone.localdate() - datetime.timedelta(days=10),
            subject_bsn=subject.bsn,
            subject_surname="" if subject.bsn else subject.surname,
            subject_birth_date=None if subject.bsn else subject.birth_date,
            description="Verzoek om inzage per brief ontvangen.",
        )
        incidents.incident_register(
            actor=officer,
            house_id=house.pk,
            discovered_at=timezone.now() - datetime.timedelta(hours=20),
            description="Een agenda van het casusoverleg is per e-mail naar een verkeerde "
            "ontvanger gestuurd.",
            people_affected=3,
            data_categories=[IncidentData.ORDINARY, IncidentData.JUSTICE],
        )
    return DemoWork(cases=5, meetings=meetings, advice_requests=1, privacy_matters=2)


def _triage_in_session(track: Track) -> bool:
    accept = track.process_spec.step("accept")
    return accept is not None and bool(accept.bodies) and accept.session == "required"


def _deciding_body(house: House, track: Track, phase: str) -> Body | None:
    """A body of the house serving the track whose sessions take a step from `phase`."""
    for body in Body.objects.filter(houses=house, is_active=True, tracks=track).order_by("pk"):
        if session_steps(track, body_slug=body.slug, body_kind=body.kind, phase=phase):
            return body
    return None
