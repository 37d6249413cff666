# SPDX-License-Identifier: EUPL-1.2
"""Triage as the covenants word it, and the referrer hearing back (issue 14, items 8 and 9).

Gelderland-Midden: triage fetches the municipality's view (art. 1.8) and assesses the case in
consultation with the referring party (art. 8.1a); the criteria of Bijlage 2 and their rule are
the region's. The referring party reads the outcome and its advice on the case and is sent a
notice of it, and of the closure, through the task worker: a link, no personal data.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from ketentafel.cases import services
from ketentafel.cases.models import Case, Phase, TriageDecision, TriageOutcome
from ketentafel.core.errors import InvalidInput
from ketentafel.covenants.models import Covenant
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose
from tests.cases.conftest import World, api_client
from tests.cases.flows import (
    accepted,
    active_case,
    consulted,
    consulted_json,
    held_meeting_with,
    in_triage,
)
from tests.web.flows import ok


def ok_json(response: Any, status: int = 200) -> Any:
    return ok(response, status).json()


pytestmark = pytest.mark.django_db

SECRETS = ("Jan", "Vries", "111222333", "1990", "12-04-1990", "Voorbeeldstraat")


def _decide(world: World, case: Case, outcome: TriageOutcome, **overrides: Any) -> TriageDecision:
    accepted_ = outcome == TriageOutcome.ACCEPTED
    arguments: dict[str, Any] = {
        "actor": world.manager,
        "case_id": case.pk,
        "serious_area_problem": True,
        "system_impact": False,
        "multiple_chains_needed": True,
        "multiple_problems": True,
        "outcome": outcome,
        "explanation": "Eén keten volstaat; advies: lokaal via het wijkteam."
        if outcome == TriageOutcome.NOT_FOR_HOUSE
        else "Besproken in het triage-overleg.",
        "goal": "Plan." if accepted_ else "",
        "theme_ids": [world.themes[0].pk] if accepted_ else [],
        "invitations": [
            services.Invitation(world.party["reclassering-nederland"].pk, "Toezicht", "Voorw.")
        ]
        if accepted_
        else [],
        **consulted(),
    }
    arguments.update(overrides)
    return services.triage_decide(**arguments)


def _refused(world: World, case: Case, outcome: TriageOutcome, **overrides: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        _decide(world, case, outcome, **overrides)
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE
    assert not TriageDecision.objects.filter(case=case).exists()
    return refused.value


# The municipality's view and the consultation with the referrer ---------------------------


@pytest.mark.parametrize("outcome", [TriageOutcome.ACCEPTED, TriageOutcome.NOT_FOR_HOUSE])
def test_a_decision_without_the_municipality_s_view_is_refused_citing_art_1_8(
    world: World, outcome: TriageOutcome
) -> None:
    refusal = _refused(world, in_triage(world), outcome, municipality_view="  ")
    assert refusal.field == "municipality_view"
    assert "art. 1.8" in refusal.message


@pytest.mark.parametrize("outcome", [TriageOutcome.ACCEPTED, TriageOutcome.NOT_FOR_HOUSE])
def test_a_decision_without_consulting_the_referrer_is_refused_citing_art_8_1a(
    world: World, outcome: TriageOutcome
) -> None:
    refusal = _refused(
        world,
        in_triage(world),
        outcome,
        referrer_consulted=False,
        referrer_consulted_on=None,
        referrer_consultation="",
    )
    assert refusal.field == "referrer_consulted"
    assert "art. 8.1a" in refusal.message


def test_asking_for_more_information_needs_neither_view_nor_consultation(world: World) -> None:
    case = in_triage(world)
    decision = _decide(
        world,
        case,
        TriageOutcome.MORE_INFORMATION,
        municipality_view="",
        referrer_consulted=False,
        referrer_consulted_on=None,
        referrer_consultation="",
    )
    assert decision.referrer_consulted is False
    assert Case.objects.get(pk=case.pk).phase == Phase.ENRICHMENT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"referrer_consulted_on": None}, "referrer_consulted_on"),
        (
            {"referrer_consulted_on": datetime.date.today() + datetime.timedelta(days=1)},
            "referrer_consulted_on",
        ),
        (
            {"referrer_consulted_on": datetime.date.today() - datetime.timedelta(days=30)},
            "referrer_consulted_on",
        ),
        ({"referrer_consultation": " "}, "referrer_consultation"),
        (
            {"referrer_consulted": False, "referrer_consultation": ""},
            "referrer_consulted_on",
        ),
    ],
)
def test_a_consultation_has_a_date_since_the_referral_and_a_summary(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    refusal = _refused(world, in_triage(world), TriageOutcome.NOT_FOR_HOUSE, **overrides)
    assert refusal.field == field


def test_the_view_and_the_consultation_are_kept_with_the_decision(world: World) -> None:
    case = in_triage(world)
    decision = _decide(world, case, TriageOutcome.ACCEPTED)
    stored = TriageDecision.objects.get(pk=decision.pk)
    assert stored.municipality_view == consulted()["municipality_view"]
    assert stored.referrer_consulted is True
    assert stored.referrer_consulted_on == timezone.localdate()
    assert stored.referrer_consultation == consulted()["referrer_consultation"]
    assert stored.criteria_rule == "(A or B) and C and D"


def test_a_region_that_does_not_ask_the_municipality_s_view_decides_without_it(
    world: World,
) -> None:
    """Midden-Nederland art. 1.8 defines triage without it; the flag is region data."""
    Covenant.objects.filter(pk=world.house.covenant_id).update(municipality_view_required=False)
    case = in_triage(world)
    decision = _decide(world, case, TriageOutcome.NOT_FOR_HOUSE, municipality_view="")
    assert decision.municipality_view == ""


def test_the_triage_api_takes_and_returns_the_view_and_the_consultation(world: World) -> None:
    case = in_triage(world)
    manager = api_client(world.manager)
    body = {
        "serious_area_problem": False,
        "system_impact": False,
        "multiple_chains_needed": True,
        "multiple_problems": True,
        "outcome": "not_for_house",
        "explanation": "Advies: lokaal oppakken.",
    }
    refused = manager.post(f"/api/v1/cases/{case.pk}/triage/decision/", body, format="json")
    assert refused.status_code == 400
    assert "municipality_view" in refused.content.decode()
    answer = ok_json(
        manager.post(
            f"/api/v1/cases/{case.pk}/triage/decision/",
            {**body, **consulted_json()},
            format="json",
        ),
        201,
    )
    assert answer["referrer_consulted"] is True
    assert answer["referrer_consulted_on"] == timezone.localdate().isoformat()
    assert answer["municipality_view"] == consulted()["municipality_view"]
    assert answer["meets_criteria"] is False
    assert answer["criteria_rule"] == "(A or B) and C and D"


def test_the_triage_screen_records_the_consultation_and_refuses_at_its_field(
    world: World,
) -> None:
    case = in_triage(world)
    manager = api_client(world.manager)
    page = ok(manager.get(f"/casussen/{case.pk}/triage/")).content.decode()
    # The criteria in the covenant's words, and the article that asks the consultation.
    assert "ketenoverstijgende aanpak" in page
    assert "Convenant 2020, Bijlage 2" in page
    assert "Convenant 2020, art. 8.1a" in page
    form = {
        "serious_area_problem": "on",
        "multiple_chains_needed": "on",
        "multiple_problems": "on",
        "outcome": "not_for_house",
        "explanation": "Advies: lokaal oppakken.",
        "municipality_view": "De gemeente pakt het lokaal op.",
    }
    refused = manager.post(f"/casussen/{case.pk}/triage/", form)
    assert refused.status_code == 400
    assert 'href="#id_referrer_consulted"' in refused.content.decode()
    done = manager.post(
        f"/casussen/{case.pk}/triage/",
        {
            **form,
            "referrer_consulted": "on",
            "referrer_consulted_on": timezone.localdate().isoformat(),
            "referrer_consultation": "Telefonisch besproken met de wijkagent.",
        },
    )
    assert done.status_code == 302
    assert TriageDecision.objects.get(case=case).referrer_consultation.startswith("Telefonisch")


# The region's criteria and rule ------------------------------------------------------------


def test_the_refusal_names_the_region_s_criteria_in_its_own_words(world: World) -> None:
    refusal = _refused(
        world,
        in_triage(world),
        TriageOutcome.ACCEPTED,
        serious_area_problem=False,
        system_impact=False,
    )
    assert refusal.field == "criteria"
    assert "Convenant 2020, Bijlage 2" in refusal.message
    # Gelderland-Midden's wording of criterion A, from its region file.
    assert "ketenoverstijgende aanpak" in refusal.message
    assert " of B (" in refusal.message


def test_a_region_s_own_rule_decides_and_stays_with_the_decision(world: World) -> None:
    """Were the brochure's C and (A or B or D) the region's rule, C and D alone would do; the
    decision keeps the rule it was checked by, so a later region file changes no past one."""
    covenant = Covenant.objects.get(pk=world.house.covenant_id)
    data = covenant.triage_criteria
    Covenant.objects.filter(pk=covenant.pk).update(
        triage_criteria={**data, "rule": "C and (A or B or D)"}
    )
    case = in_triage(world)
    decision = _decide(
        world, case, TriageOutcome.ACCEPTED, serious_area_problem=False, system_impact=False
    )
    assert decision.criteria_rule == "C and (A or B or D)"
    assert decision.meets_criteria
    Covenant.objects.filter(pk=covenant.pk).update(triage_criteria=data)
    assert TriageDecision.objects.get(pk=decision.pk).meets_criteria


# The referrer hears back -------------------------------------------------------------------


def test_the_referrer_reads_the_outcome_and_advice_on_the_case_and_in_the_api(
    world: World,
) -> None:
    case = in_triage(world)
    decision = _decide(world, case, TriageOutcome.NOT_FOR_HOUSE)
    police = api_client(world.police)
    answer = ok_json(police.get(f"/api/v1/cases/{case.pk}/"))
    assert answer["phase"] == "declined"
    assert answer["triage_outcome"] == {
        "outcome": "not_for_house",
        "outcome_label": "Geen casus voor het huis",
        "explanation": decision.explanation,
        "decided_at": answer["triage_outcome"]["decided_at"],
    }
    page = ok(police.get(f"/casussen/{case.pk}/")).content.decode()
    assert "Terugkoppeling aan de aanmelder" in page
    assert "Advies aan de aanmelder" in page
    assert "lokaal via het wijkteam" in page
    # The municipality's view and the consultation are the house's working notes.
    assert consulted()["municipality_view"] not in page


def test_an_invited_party_does_not_read_the_triage_s_reasons(world: World) -> None:
    case = accepted(world)
    probation = api_client(world.probation)
    answer = ok_json(probation.get(f"/api/v1/cases/{case.pk}/"))
    assert answer["triage_outcome"] is None
    assert (
        "Terugkoppeling aan de aanmelder"
        not in ok(probation.get(f"/casussen/{case.pk}/")).content.decode()
    )
    assert ok_json(api_client(world.police).get(f"/api/v1/cases/{case.pk}/"))["triage_outcome"][
        "outcome"
    ] == ("accepted")


@pytest.mark.parametrize("outcome", list(TriageOutcome))
def test_the_triage_outcome_is_noticed_to_the_referring_party_on_commit_without_personal_data(
    world: World, django_capture_on_commit_callbacks: Any, outcome: TriageOutcome
) -> None:
    case = in_triage(world)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        _decide(world, case, outcome)
    assert mail.outbox == []  # nothing leaves before the commit
    assert pending
    for callback in pending:
        callback()
    assert [m.to for m in mail.outbox] == [[world.police.email]]
    message = mail.outbox[0]
    assert f"/casussen/{case.pk}/" in message.body
    assert "Triagebesluit" in message.subject
    for secret in (*SECRETS, "wijkteam", "triage-overleg", consulted()["municipality_view"]):
        assert secret not in message.body
        assert secret not in message.subject


def test_a_refused_triage_decision_sends_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = in_triage(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        _decide(world, case, TriageOutcome.ACCEPTED, municipality_view="")
    assert mail.outbox == []


def test_the_closure_notice_is_sent_to_the_referring_party_without_personal_data(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case_id, _action = active_case(world)
    item = held_meeting_with(world, Case.objects.get(pk=case_id), AgendaPurpose.CLOSURE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.case_close(
            actor=world.pc,
            case_id=case_id,
            agenda_item_id=item,
            reason="goal_reached",
            referrer_notice="Jan de Vries heeft weer een woning; de casus is afgeschaald.",
        )
    assert [m.to for m in mail.outbox] == [[world.police.email]]
    message = mail.outbox[0]
    assert f"/casussen/{case_id}/" in message.body
    assert "afgeschaald" in message.subject
    for secret in (*SECRETS, "woning"):
        assert secret not in message.body
        assert secret not in message.subject
    # What the referrer was told is on the case, for the referrer to read.
    page = ok(api_client(world.police).get(f"/casussen/{case_id}/")).content.decode()
    assert "Jan de Vries heeft weer een woning" in page
    answer = ok_json(api_client(world.police).get(f"/api/v1/cases/{case_id}/"))
    assert answer["closure_notice"]["reason"] == "goal_reached"
