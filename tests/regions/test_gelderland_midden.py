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
from tests.cases.conftest import api_client, staff
from tests.cases.flows import consulted, consulted_form
from tests.privacy.conftest import days_later
from tests.regions.conftest import Region, purged_after_monitoring, region, soon

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


def referred(
    r: Region, track: str, *, by: str = "politie", subject: str = "high-impact-crime"
) -> Case:
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
        r,
        "km",
        items[0],
        "casus-voor-vh",
        "Casus voor het MDO.",
        triage=weighed(r, "high-impact-crime"),
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


# --- Nazorg ex-gedetineerden (art. 2.3a; Bijlage 3, Proces nazorg) ----------------------------


def test_nazorg_runs_from_the_notification_to_closure_and_purge(gm: Region) -> None:
    r = gm
    notification = aftercare.detention_notify(
        actor=r.users["dji"],
        person=PERSON,
        detention_start=timezone.localdate() - datetime.timedelta(days=60),
        expected_release=timezone.localdate() + datetime.timedelta(days=30),
        municipality_id=r.party["gemeente-arnhem"].pk,
        institution="PI Arnhem",
        house_id=r.house.pk,
    )
    case = notification.case
    assert case.phase_name == "Aanmeldingsfase"
    # The procesregisseur Nazorg takes it up, "en evt. informatiecoördinator": none here; no
    # weging, straight into the Uitvoeringsfase.
    cases.intake_start(actor=r.users["pr"], case_id=case.pk)
    case = Case.objects.get(pk=case.pk)
    assert (case.phase, case.phase_name) == (Phase.ACTIVE, "Uitvoeringsfase")
    assert case.information_coordinator_id is None
    aftercare.basic_condition_set(
        actor=r.users["pr"], case_id=case.pk, condition="housing", status="red", note="Geen woning"
    )
    # "Er worden geen plannen van aanpak opgesteld".
    with pytest.raises(InvalidTransition) as refused:
        plans.action_plan_set_goal(actor=r.users["pr"], case_id=case.pk, goal="Wonen")
    assert refused.value.message == (
        "Het werkproces 'Nazorg ex-gedetineerden' kent geen plan van aanpak."
    )
    # Nothing to weigh or discuss: no triage, no agenda.
    with pytest.raises(InvalidTransition):
        cases.triage_submit(actor=r.users["pr"], case_id=case.pk)
    # A partner does not close; the procesregisseur closes without a meeting.
    with pytest.raises(NotAllowed):
        cases.case_close(
            actor=r.users["dji"],
            case_id=case.pk,
            reason=ClosureReason.GOAL_REACHED,
            referrer_notice="DJI is gemeld dat de nazorg is afgerond.",
        )
    closure = cases.case_close(
        actor=r.users["pr"],
        case_id=case.pk,
        reason=ClosureReason.GOAL_REACHED,
        referrer_notice="DJI is gemeld dat de nazorg is afgerond.",
    )
    assert closure.agenda_item_id is None
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED

    purged_after_monitoring(r.track("aftercare"), case.pk)


# --- Radicalisering (art. 2.3b; Bijlage 3, Proces radicalisering) -----------------------------


def test_a_housing_corporation_cannot_raise_a_radicalisation_signal(gm: Region) -> None:
    with pytest.raises(InvalidInput) as refused:
        referred(gm, "radicalisation", by="vivare", subject="radicalisering")
    assert refused.value.field == "track"
    assert "alleen een kernpartij" in refused.value.message
    assert not Case.objects.exists()


def weegploeg_radicalisering(r: Region) -> tuple[Case, AgendaItem]:
    case = in_triage(r, "radicalisation", subject="radicalisering")
    (item,) = session(r, "weegploeg-radicalisering", (case, AgendaPurpose.TRIAGE))
    meetings.meeting_hold(actor=r.users["ao"], meeting_id=item.meeting_id)
    return case, item


def test_radicalisation_from_signal_to_the_advice_to_close(gm: Region) -> None:
    r = gm
    case = in_triage(r, "radicalisation", subject="radicalisering")
    assert case.phase_name == "Wegingsfase"
    # The weegploeg decides, not one user.
    with pytest.raises(InvalidTransition) as refused:
        cases.triage_decide(
            actor=r.users["pr"],
            case_id=case.pk,
            serious_area_problem=True,
            system_impact=False,
            multiple_chains_needed=True,
            multiple_problems=True,
            outcome=TriageOutcome.ACCEPTED,
            explanation="Alleen.",
            goal="Plan.",
            theme_ids=[theme(r, "radicalisering")],
            invitations=[cases.Invitation(r.party["reclassering-nederland"].pk, "T", "V")],
            **consulted(),
        )
    assert "Weegploeg radicalisering" in refused.value.message
    (item,) = session(r, "weegploeg-radicalisering", (case, AgendaPurpose.TRIAGE))
    meetings.meeting_hold(actor=r.users["ao"], meeting_id=item.meeting_id)

    # Pro Persona is no core party: invited only with why it must take part.
    care = r.party["pro-persona"].pk
    with pytest.raises(InvalidInput) as refused:
        decide(
            r,
            "pr",
            item,
            "agenderen-in-het-casusoverleg",
            "Agenderen.",
            triage=weighed(
                r,
                "radicalisering",
                cases.Invitation(r.party["om-oost-nederland"].pk, "Strafrecht", "Duiding"),
                cases.Invitation(care, "Behandeling", "Zorgbeeld"),
            ),
        )
    assert refused.value.field == "invitations[1].justification"
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE
    decide(
        r,
        "pr",
        item,
        "agenderen-in-het-casusoverleg",
        "Agenderen in het casusoverleg.",
        triage=weighed(
            r,
            "radicalisering",
            cases.Invitation(r.party["om-oost-nederland"].pk, "Strafrecht", "Duiding"),
            cases.Invitation(care, "Behandeling", "Zorgbeeld", "Behandelt de betrokkene."),
        ),
    )
    case = Case.objects.get(pk=case.pk)
    assert case.phase == Phase.ACCEPTED
    assert CaseParty.objects.get(case=case, party_id=care).justification == (
        "Behandelt de betrokkene."
    )

    # Uitvoeringsfase: the casusoverleg makes the integral plan.
    (first,) = session(r, "casusoverleg-radicalisering", (case, AgendaPurpose.FIRST_DISCUSSION))
    meetings.meeting_hold(actor=r.users["ao"], meeting_id=first.meeting_id)
    case = Case.objects.get(pk=case.pk)
    assert (case.phase, case.phase_name) == (Phase.ACTIVE, "Uitvoeringsfase")
    plans.action_plan_set_goal(actor=r.users["pr"], case_id=case.pk, goal="Deradicalisering")

    # Afsluitingsfase: monitoring, the NCTV's advice asked, the advice to close.
    (review,) = session(r, "casusoverleg-radicalisering", (case, AgendaPurpose.REVIEW))
    meetings.meeting_hold(actor=r.users["ao"], meeting_id=review.meeting_id)
    decide(r, "pr", review, "advies-gevraagd-aan-de-nctv", "Advies van de NCTV gevraagd.")
    assert Case.objects.get(pk=case.pk).phase == Phase.ACTIVE
    decide(
        r,
        "pr",
        review,
        "advies-aan-de-kernpartijen-tot-afsluiting",
        "Voortgang van het plan geeft aanleiding tot afsluiting.",
        referrer_notice="De politie is gemeld dat het casusoverleg afsluiting adviseert.",
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.phase, case.phase_name) == (Phase.CLOSED, "Afsluitingsfase")
    closure = Closure.objects.get(case=case)
    assert (closure.agenda_item_id, closure.reason) == (review.pk, ClosureReason.GOAL_REACHED)
    assert list(
        Decision.objects.filter(agenda_item=review).values_list("decision_type__slug", flat=True)
    ) == ["advies-gevraagd-aan-de-nctv", "advies-aan-de-kernpartijen-tot-afsluiting"]
    purged_after_monitoring(r.track("radicalisation"), case.pk)


def test_insufficient_signals_decline_the_case_under_its_retention(gm: Region) -> None:
    r = gm
    case, item = weegploeg_radicalisering(r)
    # Not a decision of the Triage-overleg's.
    with pytest.raises(InvalidInput) as refused:
        decide(r, "pr", item, "geen-casus-voor-vh", "Nee.")
    assert refused.value.field == "decision_type"
    decide(
        r,
        "pr",
        item,
        "onvoldoende-substantiele-signalen",
        "Onvoldoende substantiële signalen.",
        triage=meetings.TriageInput(
            explanation="Signalen onvoldoende; geen agendering.", **consulted()
        ),
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.phase, case.phase_name) == (Phase.DECLINED, "Onvoldoende substantiële signalen")
    declined_days = r.track("radicalisation").retention_declined_days
    purge_run(today=days_later(declined_days - 1))
    assert Case.objects.filter(pk=case.pk).exists()
    purge_run(today=days_later(declined_days))
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_non_core_party_is_invited_only_with_a_justification_shown_on_the_case_page(
    gm: Region,
) -> None:
    r = gm
    case, item = weegploeg_radicalisering(r)
    decide(
        r,
        "pr",
        item,
        "agenderen-in-het-casusoverleg",
        "Agenderen.",
        triage=weighed(r, "radicalisering"),
    )
    vivare = r.party["vivare"].pk
    with pytest.raises(InvalidInput) as refused:
        cases.case_party_invite(
            actor=r.users["pr"],
            case_id=case.pk,
            party_id=vivare,
            role="Verhuurder",
            information_need="Woonsituatie",
        )
    assert refused.value.field == "justification"
    assert "geen kernpartij" in refused.value.message
    assert not CaseParty.objects.filter(case=case, party_id=vivare).exists()
    # A core party needs none.
    cases.case_party_invite(
        actor=r.users["pr"],
        case_id=case.pk,
        party_id=r.party["om-oost-nederland"].pk,
        role="Strafrecht",
        information_need="Lopende zaken",
    )
    cases.case_party_invite(
        actor=r.users["pr"],
        case_id=case.pk,
        party_id=vivare,
        role="Verhuurder",
        information_need="Woonsituatie",
        justification="Dreigende ontruiming raakt het plan.",
    )
    page = api_client(r.users["pr"]).get(f"/casussen/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Waarom deze partij deelneemt" in html
    assert "<td>Dreigende ontruiming raakt het plan.</td>" in html
    body = api_client(r.users["pr"]).get(f"/api/v1/cases/{case.pk}/").json()
    justified = {p["party"]: p["justification"] for p in body["parties"]}
    assert justified[vivare] == "Dreigende ontruiming raakt het plan."
    assert justified[r.party["om-oost-nederland"].pk] == ""


# --- COB, Casus Overleg Beschermd (Brochure, route 2) -----------------------------------------


def test_a_cob_case_is_weighed_discussed_reported_back_and_closed(gm: Region) -> None:
    r = gm
    case = in_triage(r, "protected-case-meeting", subject="mensenhandel")
    (weging,) = session(r, "triage-overleg", (case, AgendaPurpose.TRIAGE))
    meetings.meeting_hold(actor=r.users["km"], meeting_id=weging.meeting_id)
    decide(r, "km", weging, "casus-voor-vh", "Naar het COB.", triage=weighed(r, "mensenhandel"))
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED
    # The MDO does not take a COB case.
    with pytest.raises(InvalidInput):
        meetings.agenda_item_add(
            actor=r.users["pr"],
            meeting_id=_mdo(r),
            case_id=case.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )

    (first,) = session(r, "cob-arnhem", (case, AgendaPurpose.FIRST_DISCUSSION))
    meetings.meeting_hold(actor=r.users["ao"], meeting_id=first.meeting_id)
    decide(r, "ao", first, "verzoek-tot-onderzoek-raadsmelding", "Raadsmelding gedaan.")
    assert Case.objects.get(pk=case.pk).phase == Phase.ACTIVE

    (later,) = session(r, "cob-arnhem", (case, AgendaPurpose.REVIEW))
    meetings.meeting_hold(actor=r.users["ao"], meeting_id=later.meeting_id)
    decide(r, "ao", later, "terugmelding-met-advies", "De Raad meldt terug met advies.")
    decide(
        r,
        "pr",
        later,
        "afsluiten-en-informeren-melder",
        "Advies ontvangen; afsluiten.",
        referrer_notice="De politie is geïnformeerd over het advies van de Raad.",
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED
    assert Closure.objects.get(case=case).agenda_item_id == later.pk
    recorded = Decision.objects.filter(agenda_item__case=case).order_by("recorded_at", "pk")
    assert [d.decision_type.slug for d in recorded if d.decision_type] == [
        "casus-voor-vh",
        "verzoek-tot-onderzoek-raadsmelding",
        "terugmelding-met-advies",
        "afsluiten-en-informeren-melder",
    ]
    purged_after_monitoring(r.track("protected-case-meeting"), case.pk)


def test_the_cob_is_a_route_of_the_arnhem_house_only(gm: Region) -> None:
    r = gm
    other = r.house.covenant.houses.get(slug="west-veluwe-vallei")
    with pytest.raises(InvalidInput) as refused:
        cases.case_refer(
            actor=staff(
                "politie-ede", r.party["politie-oost-nederland"], other, Role.PARTNER_PROFESSIONAL
            ),
            house_id=other.pk,
            track_id=r.track("protected-case-meeting").pk,
            subject_kind=SubjectKind.PERSON,
            persons=[PERSON],
            municipality_id=r.party["gemeente-ede"].pk,
            problem_statement="Signalen.",
            goal="Onderzoek.",
            theme_ids=[theme(r, "mensenhandel")],
        )
    assert refused.value.field == "track"
    assert "West Veluwe Vallei niet aangeboden" in refused.value.message


def _ok(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content.decode(errors="replace")[:2000]
    return response.json() if response.content else None


def test_the_radicalisation_route_through_the_api(gm: Region) -> None:
    r = gm
    track = r.track("radicalisation").pk
    referral = {
        "house": r.house.pk,
        "track": track,
        "subject_kind": "person",
        "persons": [
            {"given_names": "Sanne", "surname": "Voorbeeld-GM", "birth_date": "1995-06-01"}
        ],
        "municipality": r.party["gemeente-arnhem"].pk,
        "problem_statement": "Signalen van radicalisering.",
        "goal": "Een integraal plan van aanpak.",
        "themes": [theme(r, "radicalisering")],
    }
    # Vivare is no core party (Bijlage 3, Aanmeldingsfase): refused at the track.
    problem = _ok(
        api_client(r.users["vivare"]).post("/api/v1/cases/", referral, format="json"), 400
    )
    assert [e["field"] for e in problem["errors"]] == ["track"]
    case = _ok(api_client(r.users["politie"]).post("/api/v1/cases/", referral, format="json"), 201)
    pr = api_client(r.users["pr"])
    _ok(
        pr.post(
            f"/api/v1/cases/{case['id']}/intake/",
            {"information_coordinator": r.users["ic"].pk},
            format="json",
        ),
        200,
    )
    _ok(pr.post(f"/api/v1/cases/{case['id']}/triage/submit/", {}, format="json"), 200)

    ao = api_client(r.users["ao"])
    starts_at = soon().isoformat()

    def meeting_with(body: str, purpose: str) -> tuple[str, str]:
        meeting = _ok(
            ao.post(
                "/api/v1/meetings/",
                {"house": r.house.pk, "body": r.body(body).pk, "starts_at": starts_at},
                format="json",
            ),
            201,
        )
        item = _ok(
            pr.post(
                f"/api/v1/meetings/{meeting['id']}/agenda-items/",
                {"case": case["id"], "purpose": purpose},
                format="json",
            ),
            201,
        )
        _ok(ao.post(f"/api/v1/meetings/{meeting['id']}/hold/", {}, format="json"), 200)
        return meeting["id"], item["id"]

    _meeting, weging = meeting_with("weegploeg-radicalisering", "triage")
    triage = {
        "serious_area_problem": True,
        "multiple_chains_needed": True,
        "multiple_problems": True,
        "explanation": "Signalen substantieel.",
        "goal": "Integraal plan.",
        "themes": [theme(r, "radicalisering")],
        "invitations": [
            {
                "party": r.party["om-oost-nederland"].pk,
                "role": "Strafrecht",
                "information_need": "Zaken",
            },
            {"party": r.party["pro-persona"].pk, "role": "Zorg", "information_need": "Zorgbeeld"},
        ],
        **consulted(),
        "referrer_consulted_on": timezone.localdate().isoformat(),
    }
    decision = {
        "decision_type": r.decision("agenderen-in-het-casusoverleg").pk,
        "text": "Agenderen in het casusoverleg.",
        "triage": triage,
    }
    problem = _ok(pr.post(f"/api/v1/agenda-items/{weging}/decide/", decision, format="json"), 400)
    assert [e["field"] for e in problem["errors"]] == ["invitations[1].justification"]
    triage["invitations"][1]["justification"] = "Behandelt de betrokkene."
    _ok(pr.post(f"/api/v1/agenda-items/{weging}/decide/", decision, format="json"), 201)
    detail = _ok(pr.get(f"/api/v1/cases/{case['id']}/"), 200)
    assert detail["phase"] == "accepted"
    assert {p["party"]: p["justification"] for p in detail["parties"]}[
        r.party["pro-persona"].pk
    ] == "Behandelt de betrokkene."

    _meeting, _first = meeting_with("casusoverleg-radicalisering", "first_discussion")
    _meeting, review = meeting_with("casusoverleg-radicalisering", "review")
    _ok(
        pr.post(
            f"/api/v1/agenda-items/{review}/decide/",
            {
                "decision_type": r.decision("advies-gevraagd-aan-de-nctv").pk,
                "text": "NCTV gevraagd.",
            },
            format="json",
        ),
        201,
    )
    _ok(
        pr.post(
            f"/api/v1/agenda-items/{review}/decide/",
            {
                "decision_type": r.decision("advies-aan-de-kernpartijen-tot-afsluiting").pk,
                "text": "Afsluiting geadviseerd.",
                "referrer_notice": "De politie is geïnformeerd.",
            },
            format="json",
        ),
        201,
    )
    assert _ok(pr.get(f"/api/v1/cases/{case['id']}/"), 200)["phase"] == "closed"


def test_the_radicalisation_weegploeg_weighs_by_its_own_measure_not_bijlage_2(
    gm: Region,
) -> None:
    """The weegploeg radicalisering judges whether a person-centred, integral approach is needed
    (Bijlage 3, Proces radicalisering, Wegingsfase), so no complex-case criterion (Bijlage 2) is
    asked of it; the general track still asks them."""
    r = gm
    case, item = weegploeg_radicalisering(r)
    decide(
        r,
        "pr",
        item,
        "agenderen-in-het-casusoverleg",
        "Integrale aanpak nodig.",
        triage=meetings.TriageInput(
            explanation="Signalen wijzen op radicalisering; integrale aanpak nodig.",
            goal="Een integraal plan van aanpak.",
            theme_ids=[theme(r, "radicalisering")],
            invitations=(
                cases.Invitation(r.party["reclassering-nederland"].pk, "Toezicht", "Kader"),
            ),
            **consulted(),
        ),
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED
    general = in_triage(r, "complex-cases")
    with pytest.raises(InvalidInput) as refused:
        cases.triage_decide(
            actor=r.users["pr"],
            case_id=general.pk,
            serious_area_problem=False,
            system_impact=False,
            multiple_chains_needed=True,
            multiple_problems=True,
            outcome=TriageOutcome.ACCEPTED,
            explanation="Zonder A of B.",
            goal="Plan.",
            theme_ids=[r.themes()[0].pk],
            invitations=[cases.Invitation(r.party["reclassering-nederland"].pk, "T", "V")],
            **consulted(),
        )
    assert refused.value.field == "criteria"


def test_the_ketenmanager_chairs_the_weegploeg_on_its_screens(gm: Region) -> None:
    """The chair of the Triage-overleg (art. 8.1) holds the session and records its decision in
    the browser's screens, without organising its agenda (the secretary and the procesregisseur
    do that)."""
    r = gm
    case = in_triage(r, "complex-cases")
    (item,) = session(r, "triage-overleg", (case, AgendaPurpose.TRIAGE))
    chair = api_client(r.users["km"])
    page = chair.get(f"/overleggen/{item.meeting_id}/").content.decode()
    assert "Overleg is gehouden" in page
    assert "Casus agenderen" not in page
    assert chair.post(f"/overleggen/{item.meeting_id}/gehouden/").status_code == 302
    reclassering = r.party["reclassering-nederland"].pk
    answer = chair.post(
        f"/agendapunten/{item.pk}/besluit/",
        {
            "decision_type": r.decision("casus-voor-vh").pk,
            "decision": "Casus voor het Veiligheidshuis.",
            "serious_area_problem": "on",
            "multiple_chains_needed": "on",
            "multiple_problems": "on",
            "explanation": "Voldoet aan Bijlage 2.",
            "goal": "Een integraal plan van aanpak.",
            "themes": [theme(r, "high-impact-crime")],
            "invite": [reclassering],
            "invite_reason": "Toezicht en voorwaarden",
            **consulted_form(),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED
