# SPDX-License-Identifier: EUPL-1.2
"""Gelderland-Midden's tracks run through the services in the region's own words (Bijlage 3;
brochure route 2): the weegploeg weighs cases in its sessions, nazorg runs from DJI's
notification to closure without a meeting, radicalisation keeps to its core parties, and the
COB discusses and closes a case of the Arnhem house (ADR 0018)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.aftercare import services as aftercare
from ketentafel.cases import services as cases
from ketentafel.cases.models import (
    Case,
    CaseParty,
    Closure,
    ClosureReason,
    Phase,
    SubjectKind,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed
from ketentafel.meetings import services as meetings
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Decision
from ketentafel.plans import services as plans
from ketentafel.privacy.purge import purge_run
from tests.cases.conftest import api_client
from tests.cases.flows import consulted
from tests.privacy.conftest import days_later
from tests.regions.conftest import Region, region, soon

# `clock`: retention counts local days (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

PERSON = cases.PersonInput(
    given_names="Sanne", surname="Voorbeeld-GM", birth_date=datetime.date(1995, 6, 1)
)


def cast(r: Region) -> Region:
    """The Arnhem house's people: the Ketenmanager (chair of the weegploeg), a locatiemanager,
    the procesregisseur, the informatiecoördinator, the administratief ondersteuner, and
    professionals of the police, the reclassering, Pro Persona, Vivare and DJI."""
    r.user("km", "gemeente-arnhem", Role.MANAGER)
    r.user("lm", "gemeente-arnhem", Role.LOCATION_MANAGER)
    r.user("pr", "gemeente-arnhem", Role.PROCESS_COORDINATOR)
    r.user("ic", "gemeente-arnhem", Role.INFORMATION_COORDINATOR)
    r.user("ao", "gemeente-arnhem", Role.MEETING_SECRETARY)
    r.user("politie", "politie-oost-nederland", Role.PARTNER_PROFESSIONAL)
    r.user("reclassering", "reclassering-nederland", Role.PARTNER_PROFESSIONAL)
    r.user("zorg", "pro-persona", Role.PARTNER_PROFESSIONAL)
    r.user("vivare", "vivare", Role.PARTNER_PROFESSIONAL)
    r.user("dji", "dji-gelderland", Role.PARTNER_PROFESSIONAL)
    return r


@pytest.fixture
def gm() -> Region:
    return cast(region("gelderland-midden", "arnhem"))


def theme(r: Region, slug: str) -> int:
    return next(t.pk for t in r.themes() if t.slug == slug)


def referred(r: Region, track: str, *, by: str = "politie", subject: str = "high-impact-crime") -> Case:
    return cases.case_refer(
        actor=r.users[by],
        house_id=r.house.pk,
        track_id=r.track(track).pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=r.party["gemeente-arnhem"].pk,
        problem_statement="Signalen van meerdere partners.",
        goal="Een gezamenlijke aanpak.",
        theme_ids=[theme(r, subject)],
    )


def in_triage(r: Region, track: str, **kwargs: Any) -> Case:
    case = referred(r, track, **kwargs)
    cases.intake_start(
        actor=r.users["pr"], case_id=case.pk, information_coordinator_id=r.users["ic"].pk
    )
    cases.triage_submit(actor=r.users["ic"], case_id=case.pk)
    return Case.objects.get(pk=case.pk)


def weighed(r: Region, subject: str, *invitations: cases.Invitation) -> meetings.TriageInput:
    return meetings.TriageInput(
        serious_area_problem=True,
        multiple_chains_needed=True,
        multiple_problems=True,
        explanation="Zorg en straf samen nodig.",
        goal="Een integraal plan van aanpak.",
        theme_ids=[theme(r, subject)],
        invitations=invitations
        or (cases.Invitation(r.party["reclassering-nederland"].pk, "Toezicht", "Voorwaarden"),),
        **consulted(),
    )


def session(r: Region, body: str, *items: tuple[Case, AgendaPurpose]) -> list[AgendaItem]:
    """A session of `body` scheduled by the administratief ondersteuner with the cases on its
    agenda (put there by the procesregisseur), not yet held."""
    meeting = meetings.meeting_schedule(
        actor=r.users["ao"], house_id=r.house.pk, body_id=r.body(body).pk, starts_at=soon()
    )
    return [
        meetings.agenda_item_add(
            actor=r.users["pr"], meeting_id=meeting.pk, case_id=case.pk, purpose=purpose
        )
        for case, purpose in items
    ]


def decide(r: Region, by: str, item: AgendaItem, slug: str, text: str, **kwargs: Any) -> None:
    meetings.agenda_item_decide(
        actor=r.users[by],
        agenda_item_id=item.pk,
        decision_type_id=r.decision(slug).pk,
        text=text,
        **kwargs,
    )


# --- Weegploeg / Triage-overleg (art. 8.1; Bijlage 3, Wegingsfase) ---------------------------


def test_the_weegploeg_weighs_cases_in_one_session_chaired_by_the_ketenmanager(gm: Region) -> None:
    r = gm
    first = in_triage(r, "complex-cases")
    second = in_triage(r, "complex-cases")
    third = in_triage(r, "complex-cases")
    items = session(
        r,
        "triage-overleg",
        (first, AgendaPurpose.TRIAGE),
        (second, AgendaPurpose.TRIAGE),
        (third, AgendaPurpose.TRIAGE),
    )
    # A partner does not hold the weegploeg; its chair does.
    with pytest.raises(NotAllowed):
        meetings.meeting_hold(actor=r.users["politie"], meeting_id=items[0].meeting_id)
    meetings.meeting_hold(actor=r.users["km"], meeting_id=items[0].meeting_id)

    # The three outcomes of the Wegingsfase, recorded by the chair and a locatiemanager.
    decide(
        r, "km", items[0], "casus-voor-vh", "Casus voor het MDO.", triage=weighed(r, "high-impact-crime")
    )
    decide(
        r,
        "lm",
        items[1],
        "geen-casus-voor-vh",
        "Geen casus voor het Veiligheidshuis.",
        triage=meetings.TriageInput(
            explanation="Advies aan de aanmelder: wijkteam inschakelen.", **consulted()
        ),
    )
    decide(r, "km", items[2], "nog-onduidelijk", "Extra informatie ophalen bij de RvdK.")

    phases = {c.pk: Case.objects.get(pk=c.pk).phase for c in (first, second, third)}
    assert phases == {
        first.pk: Phase.ACCEPTED,
        second.pk: Phase.DECLINED,
        third.pk: Phase.ENRICHMENT,
    }
    decisions = TriageDecision.objects.filter(case__in=[first, second, third])
    assert {(d.case_id, d.agenda_item_id, d.outcome) for d in decisions} == {
        (first.pk, items[0].pk, TriageOutcome.ACCEPTED),
        (second.pk, items[1].pk, TriageOutcome.NOT_FOR_HOUSE),
        (third.pk, items[2].pk, TriageOutcome.MORE_INFORMATION),
    }
    assert {i.meeting_id for i in items} == {items[0].meeting_id}
    assert Decision.objects.filter(agenda_item__in=items).count() == 3


def test_the_triage_staff_still_record_the_weging_outside_a_session(gm: Region) -> None:
    """`session = "optional"`: the weegploeg's outcome may be entered on the triage screen; a
    case meeting cannot take it."""
    r = gm
    case = in_triage(r, "complex-cases")
    (item,) = session(r, "triage-overleg", (case, AgendaPurpose.TRIAGE))
    with pytest.raises(InvalidInput) as refused:
        meetings.agenda_item_add(
            actor=r.users["pr"],
            meeting_id=_mdo(r),
            case_id=case.pk,
            purpose=AgendaPurpose.TRIAGE,
        )
    assert refused.value.field == "purpose"
    cases.triage_decide(
        actor=r.users["km"],
        case_id=case.pk,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=TriageOutcome.ACCEPTED,
        explanation="Gewogen in de weegploeg.",
        goal="Plan.",
        theme_ids=[theme(r, "risicojeugd")],
        invitations=[cases.Invitation(r.party["reclassering-nederland"].pk, "T", "V")],
        **consulted(),
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED
    assert TriageDecision.objects.get(case=case).agenda_item_id is None
    assert item.case_id == case.pk


def _mdo(r: Region) -> Any:
    return meetings.meeting_schedule(
        actor=r.users["ao"], house_id=r.house.pk, body_id=r.body("mdo-arnhem").pk, starts_at=soon()
    ).pk
