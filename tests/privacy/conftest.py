# SPDX-License-Identifier: EUPL-1.2
"""Cases brought through the process by the services, with generated (fictitious) people."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

import pytest
from django.utils import timezone
from faker import Faker

from ketentafel.accounts.models import Role, User
from ketentafel.cases import services
from ketentafel.cases.models import Case, ClosureReason, SubjectKind, TriageOutcome
from ketentafel.information import services as information
from ketentafel.information.models import DataCategory, LifeDomain, Sharing
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose
from ketentafel.plans import services as plan_services
from tests.cases.conftest import World, make_staff, world  # noqa: F401
from tests.cases.flows import consulted

fake = Faker("nl_NL")


def valid_bsn(rng: random.Random) -> str:
    """A random number that passes the elfproef (fictitious, like the test BSNs of RvIG)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


@dataclass(frozen=True)
class Someone:
    given_names: str
    surname: str
    birth_date: datetime.date
    bsn: str
    address: str
    item_text: str

    def as_input(self) -> services.PersonInput:
        return services.PersonInput(
            given_names=self.given_names,
            surname=self.surname,
            birth_date=self.birth_date,
            bsn=self.bsn,
            address=self.address,
            municipality="Arnhem",
        )

    @property
    def traces(self) -> list[str]:
        """Strings that identify this person anywhere in the database."""
        return [self.surname, self.bsn, self.birth_date.isoformat(), self.item_text, self.address]


def someone(seed: int) -> Someone:
    rng = random.Random(seed)
    Faker.seed(seed)
    surname = f"{fake.last_name()}-{seed}x{rng.randint(1000, 9999)}"
    return Someone(
        given_names=fake.first_name(),
        surname=surname,
        birth_date=datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 18000)),
        bsn=valid_bsn(rng),
        address=f"{fake.street_name()} {rng.randint(1, 300)}",
        item_text=f"Schuldhulp loopt; dossiernotitie {rng.randint(10**8, 10**9)}",
    )


def referred(world: World, person: Someone) -> Case:  # noqa: F811
    return services.case_refer(
        actor=world.police,
        house_id=world.house.pk,
        track_id=world.track.pk,
        subject_kind=SubjectKind.PERSON,
        persons=[person.as_input()],
        municipality_id=world.municipality.pk,
        problem_statement=f"Overlast rond {person.address}.",
        goal="Gezamenlijk plan.",
        theme_ids=[world.themes[0].pk],
    )


def in_triage(world: World, person: Someone) -> Case:  # noqa: F811
    case = referred(world, person)
    services.intake_start(actor=world.pc, case_id=case.pk, information_coordinator_id=world.ic.pk)
    information.information_item_supply(
        actor=world.police,
        case_id=case.pk,
        life_domain=LifeDomain.FINANCES,
        text=person.item_text,
        legal_basis="Wpg art. 19",
        data_category=DataCategory.POLICE,
        sharing=Sharing.AFTER_MEETING,
    )
    services.triage_submit(actor=world.ic, case_id=case.pk)
    return case


def declined(world: World, person: Someone) -> Case:  # noqa: F811
    case = in_triage(world, person)
    services.triage_decide(
        actor=world.manager,
        case_id=case.pk,
        serious_area_problem=False,
        system_impact=False,
        multiple_chains_needed=False,
        multiple_problems=True,
        outcome=TriageOutcome.NOT_FOR_HOUSE,
        explanation=f"Eén keten volstaat voor {person.surname}.",
        **consulted(),
    )
    return Case.objects.get(pk=case.pk)


def active(world: World, person: Someone) -> Case:  # noqa: F811
    case = in_triage(world, person)
    services.triage_decide(
        actor=world.manager,
        case_id=case.pk,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=TriageOutcome.ACCEPTED,
        explanation=f"Complex voor {person.surname}.",
        goal="Plan.",
        theme_ids=[world.themes[0].pk],
        invitations=[
            services.Invitation(world.party["reclassering-nederland"].pk, "Toezicht", "Voorw."),
        ],
        **consulted(),
    )
    _meeting(world, case, AgendaPurpose.FIRST_DISCUSSION, f"Besproken: {person.surname}.")
    plan_services.action_plan_set_goal(actor=world.pc, case_id=case.pk, goal="Stabiel wonen.")
    plan_services.action_add(
        actor=world.pc,
        case_id=case.pk,
        owner_party_id=world.party["reclassering-nederland"].pk,
        owner_id=None,
        what=f"Huisbezoek {person.address}",
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    plan_services.action_plan_set_goal(
        actor=world.pc, case_id=case.pk, goal="Stabiel wonen en werk."
    )
    consent = information.disclosure_consent_record(
        actor=world.police,
        item_id=case.items.get().pk,
        recipient="Advocaat",
        purpose=f"Verweer {person.surname}",
        written_reference="Brief 1",
    )
    information.disclosure_record(actor=world.police, consent_id=consent.pk)
    return Case.objects.get(pk=case.pk)


def closed(world: World, person: Someone) -> Case:  # noqa: F811
    case = active(world, person)
    item_id = _meeting(world, case, AgendaPurpose.CLOSURE, f"Afschalen: {person.surname}.")
    meeting_services.case_close(
        actor=world.pc,
        case_id=case.pk,
        agenda_item_id=item_id,
        reason=ClosureReason.GOAL_REACHED,
        referrer_notice=f"Politie gemeld dat {person.surname} is afgeschaald.",
    )
    return Case.objects.get(pk=case.pk)


def _meeting(world: World, case: Case, purpose: AgendaPurpose, minutes: str) -> object:  # noqa: F811
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    item = meeting_services.agenda_item_add(
        actor=world.pc, meeting_id=meeting.pk, case_id=case.pk, purpose=purpose
    )
    meeting_services.agenda_item_record(
        actor=world.secretary,
        agenda_item_id=item.pk,
        minutes=minutes,
        informs_client="Reclassering",
        on_arrest="Melden.",
        closure_criteria="Doel bereikt.",
        case_coordinator_party_id=(
            world.party["reclassering-nederland"].pk
            if purpose == AgendaPurpose.FIRST_DISCUSSION
            else None
        ),
        decisions=[meeting_services.DecisionInput(text=f"Besluit over {person_name(case)}")],
    )
    meeting_services.meeting_hold(actor=world.secretary, meeting_id=meeting.pk)
    return item.pk


def person_name(case: Case) -> str:
    return case.persons.get().surname


@pytest.fixture
def officer(world: World) -> User:  # noqa: F811
    """The privacy officer of the Arnhem house, employed by its managing municipality."""
    return make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER)


def days_later(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)
