# SPDX-License-Identifier: EUPL-1.2
"""IJsselland's casustafel decisions through the API and the screen, for the scenario tests and
the route inventory (tests/audit/test_route_inventory.py)."""

from __future__ import annotations

from typing import Any

from ketentafel.cases.models import Case, Phase
from tests.cases.conftest import api_client
from tests.cases.flows import consulted_json
from tests.regions.conftest import Region, region
from tests.regions.test_ijsselland import _at_the_casustafel, cast


def _ok(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content.decode(errors="replace")[:3000]
    return response


def ijsselland_decisions_flow(_world: object = None) -> None:
    """One case sent to the MDO by the casustafel through the API, another handed over by it
    through the agenda item's screen."""
    r: Region = cast(region("ijsselland", "ijsselland"))
    case, item = _at_the_casustafel(r)
    api = api_client(r.users["pr"])
    reclassering = r.party["reclassering-nederland"].pk
    _ok(
        api.post(
            f"/api/v1/agenda-items/{item.pk}/decide/",
            {
                "decision_type": r.decision("procesregie-vhh").pk,
                "text": "Procesregie bij het VHH.",
                "triage": {
                    "serious_area_problem": True,
                    "multiple_chains_needed": True,
                    "multiple_problems": True,
                    "explanation": "Zorg en straf samen.",
                    "goal": "Plan in het MDO.",
                    "themes": [r.themes()[0].pk],
                    "invitations": [
                        {"party": reclassering, "role": "Toezicht", "information_need": "Kader"}
                    ],
                    **consulted_json(),
                },
            },
            format="json",
        ),
        201,
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED

    other, other_item = _at_the_casustafel(r)
    screen = api_client(r.users["am"])
    _ok(screen.get(f"/agendapunten/{other_item.pk}/besluit/"), 302)
    _ok(
        screen.post(
            f"/agendapunten/{other_item.pk}/besluit/",
            {
                "decision_type": r.decision("procesregie-elders-dan-vhh").pk,
                "decision": "De reclassering voert de regie.",
                "handed_over_to": reclassering,
                "referrer_notice": "De politie is gemeld wie de regie voert.",
            },
        ),
        302,
    )
    assert Case.objects.get(pk=other.pk).phase == Phase.CLOSED
