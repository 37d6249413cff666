# SPDX-License-Identifier: EUPL-1.2
"""IJsselland's five phases (Bijlage 3) through /api/v1, in the region's words: referral,
intake, the Regionale Casustafel weighing the case ("Procesregie VHH"), the MDO making the plan,
monitoring and "Afschalen" at the casustafel; the handover route ("Procesregie elders dan
VHH"); and the problems a refused step answers with."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ketentafel.cases.models import Closure, ClosureReason
from ketentafel.covenants.models import DecisionType
from tests.cases.conftest import api_client
from tests.cases.flows import consulted_json
from tests.clock import clock_at
from tests.regions.conftest import Region, region
from tests.regions.test_ijsselland import cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def ijsselland() -> Iterator[Region]:
    # At noon, so a session planned a minute ahead is held on the same day.
    with clock_at("12:00"):
        yield cast(region("ijsselland", "ijsselland"))


def ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, response.content.decode()[:3000]
    return response.json()


def problem(response: Any, code: int) -> dict[str, Any]:
    assert response.status_code == code, response.content.decode()[:3000]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == code
    assert body["detail"]
    return body


def decision(r: Region, label: str) -> int:
    """A decision type by the region's own label (Bijlage 3, fase 3)."""
    return DecisionType.objects.get(covenant=r.house.covenant, label=label).pk


class Route:
    def __init__(self, r: Region) -> None:
        self.r = r
        self.api: dict[str, APIClient] = {name: api_client(user) for name, user in r.users.items()}

    def to_the_casustafel(self) -> str:
        """Fase 1-2: referred by the police, registered and enriched, offered for the table."""
        r = self.r
        case = ok(
            self.api["politie"].post(
                "/api/v1/cases/",
                {
                    "house": r.house.pk,
                    "track": r.track("complexe-multi-problematiek").pk,
                    "subject_kind": "person",
                    "persons": [
                        {"given_names": "Piet", "surname": "Jansen", "birth_date": "1988-03-02"}
                    ],
                    "municipality": r.party["gemeente-zwolle"].pk,
                    "problem_statement": "Veelpleger met schulden en verslaving.",
                    "goal": "Eén plan van aanpak.",
                    "themes": [r.themes()[0].pk],
                },
                format="json",
            ),
            201,
        )
        pr = self.api["pr"]
        intake = ok(
            pr.post(
                f"/api/v1/cases/{case['id']}/intake/",
                {"information_coordinator": r.users["ic"].pk},
                format="json",
            )
        )
        assert intake["phase"] == "enrichment"
        assert ok(pr.post(f"/api/v1/cases/{case['id']}/triage/submit/"))["phase"] == "triage"
        return str(case["id"])

    def session(self, body: str) -> str:
        starts = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
        meeting = ok(
            self.api["am"].post(
                "/api/v1/meetings/",
                {"house": self.r.house.pk, "body": self.r.body(body).pk, "starts_at": starts},
                format="json",
            ),
            201,
        )
        return str(meeting["id"])

    def on_agenda(self, meeting: str, case: str, purpose: str, by: str = "am") -> str:
        item = ok(
            self.api[by].post(
                f"/api/v1/meetings/{meeting}/agenda-items/",
                {"case": case, "purpose": purpose},
                format="json",
            ),
            201,
        )
        return str(item["id"])

    def hold(self, meeting: str) -> None:
        assert ok(self.api["am"].post(f"/api/v1/meetings/{meeting}/hold/"))["status"] == "held"

    def phase(self, case: str) -> str:
        return str(ok(self.api["pr"].get(f"/api/v1/cases/{case}/"))["phase"])


def _weighing(r: Region) -> dict[str, Any]:
    return {
        "serious_area_problem": True,
        "multiple_chains_needed": True,
        "multiple_problems": True,
        "explanation": "Zorg en straf samen nodig.",
        "goal": "Plan van aanpak in het MDO.",
        "themes": [r.themes()[0].pk],
        "invitations": [
            {
                "party": r.party["reclassering-nederland"].pk,
                "role": "Toezicht",
                "information_need": "Voorwaarden",
            }
        ],
        **consulted_json(),
    }


def test_the_five_phases_through_the_api(ijsselland: Region) -> None:
    r = ijsselland
    route = Route(r)
    case = route.to_the_casustafel()

    # The MDO does not weigh: the casustafel does (Bijlage 3, fase 3).
    mdo = route.session("mdo")
    weigh = problem(
        route.api["am"].post(
            f"/api/v1/meetings/{mdo}/agenda-items/",
            {"case": case, "purpose": "triage"},
            format="json",
        ),
        400,
    )
    assert weigh["errors"][0]["field"] == "purpose"
    assert "MDO" in weigh["detail"]

    # Fase 2-3: the administratief medewerker puts it on the casustafel for weighing.
    table = route.session("regionale-casustafel")
    item = route.on_agenda(table, case, "triage")
    # A planned session decides nothing that moves the case.
    refused = problem(
        route.api["pr"].post(
            f"/api/v1/agenda-items/{item}/decide/",
            {"decision_type": decision(r, "Afschalen"), "text": "Afschalen."},
            format="json",
        ),
        409,
    )
    assert "gehouden overleg" in refused["detail"]
    route.hold(table)
    # A partner does not record the casustafel's decision.
    refused = problem(
        route.api["politie"].post(
            f"/api/v1/agenda-items/{item}/decide/",
            {"decision_type": decision(r, "Afschalen"), "text": "Afschalen."},
            format="json",
        ),
        403,
    )
    assert "Regionale Casustafel" in refused["detail"]
    decided = ok(
        route.api["pr"].post(
            f"/api/v1/agenda-items/{item}/decide/",
            {
                "decision_type": decision(r, "Procesregie VHH"),
                "text": "Procesregie bij het VHH; MDO plannen.",
                "triage": _weighing(r),
            },
            format="json",
        ),
        201,
    )
    assert decided["effect"] == "to_case_meeting"
    assert route.phase(case) == "accepted"

    # Fase 4: the MDO draws up the plan and appoints the casusregisseur.
    first = route.on_agenda(mdo, case, "first_discussion", by="pr")
    read = route.api["am"].get(f"/api/v1/agenda-items/{first}/")
    ok(
        route.api["am"].post(
            f"/api/v1/agenda-items/{first}/record/",
            {
                "minutes": "Plan van aanpak opgesteld.",
                "informs_client": "Reclassering",
                "case_coordinator_party": r.party["reclassering-nederland"].pk,
                "case_coordinator": r.users["reclassering"].pk,
            },
            format="json",
            HTTP_IF_MATCH=read["ETag"],
        )
    )
    route.hold(mdo)
    assert route.phase(case) == "active"

    # Fase 4a-5: monitoring at the casustafel, then "Afschalen" there.
    review_table = route.session("regionale-casustafel")
    review = route.on_agenda(review_table, case, "review")
    route.hold(review_table)
    closed = ok(
        route.api["am"].post(
            f"/api/v1/agenda-items/{review}/decide/",
            {
                "decision_type": decision(r, "Afschalen"),
                "text": "Doelen bereikt; afschalen.",
                "referrer_notice": "De politie is gemeld dat de casus is afgeschaald.",
            },
            format="json",
        ),
        201,
    )
    assert closed["case_phase"] == "closed"
    closure = Closure.objects.get(case_id=case)
    assert str(closure.agenda_item_id) == review
    assert closure.reason == ClosureReason.NO_LONGER_NEEDED


def test_procesregie_elders_dan_vhh_hands_the_case_over_through_the_api(
    ijsselland: Region,
) -> None:
    r = ijsselland
    route = Route(r)
    case = route.to_the_casustafel()
    table = route.session("regionale-casustafel")
    item = route.on_agenda(table, case, "triage")
    route.hold(table)
    reclassering = r.party["reclassering-nederland"].pk
    handed = ok(
        route.api["am"].post(
            f"/api/v1/agenda-items/{item}/decide/",
            {
                "decision_type": decision(r, "Procesregie elders dan VHH"),
                "text": "De reclassering voert de regie.",
                "handed_over_to": reclassering,
                "referrer_notice": "De politie is gemeld wie de regie voert.",
            },
            format="json",
        ),
        201,
    )
    assert handed["effect"] == "handover"
    assert route.phase(case) == "closed"
    closure = Closure.objects.get(case_id=case)
    assert closure.reason == ClosureReason.HANDED_OVER
    assert closure.handed_over_to_id == reclassering
