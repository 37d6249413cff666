# SPDX-License-Identifier: EUPL-1.2
"""Advice requests through the screens and the API, as a partner and the process coordinator
use them. Used by the advice tests and by the route inventory (tests/audit), which checks
that every route showing an advice request leaves an audit event."""

from __future__ import annotations

from uuid import UUID

from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from tests.cases.conftest import World, api_client
from tests.web.flows import _id_from, ok, referral_form


def advice_flow(world: World) -> tuple[UUID, UUID]:
    """A partner's question handled locally, and a phoned-in question referred to the house;
    returns the ids of both advice requests."""
    police, pc = api_client(world.police), api_client(world.pc)

    # A police officer asks; the coordinator answers it with advice.
    ok(police.get("/adviesvragen/"))
    local = _id_from(
        police.post(
            "/adviesvragen/",
            {"house": world.house.pk, "question": "Jongere met schulden en overlast: iets voor u?"},
        )
    )
    ok(pc.get("/adviesvragen/"))
    ok(pc.get(f"/adviesvragen/{local}/"))
    ok(
        pc.post(
            f"/adviesvragen/{local}/afhandelen/",
            {"advice": "Bespreek het in het lokale zorgnetwerk van de gemeente."},
        ),
        302,
    )
    ok(police.get(f"/adviesvragen/{local}/"))

    # Probation phones; the coordinator records it for probation and refers the case.
    phoned = _id_from(
        pc.post(
            "/adviesvragen/",
            {
                "house": world.house.pk,
                "requesting_party": world.party["reclassering-nederland"].pk,
                "question": "Cliënt met meervoudige problematiek; meerdere ketens betrokken.",
            },
        )
    )
    ok(pc.get(f"/aanmelden/?adviesvraag={phoned}"))
    case_id = _id_from(pc.post("/aanmelden/", referral_form(world, advice_request=str(phoned))))
    referred = AdviceRequest.objects.get(pk=phoned)
    assert (referred.outcome, referred.case_id) == (AdviceOutcome.REFERRED, case_id)

    ok(world.api(world.probation).get("/api/v1/advice-requests/"))
    ok(pc.get("/api/v1/advice-requests/?outcome=open"))
    return local, phoned
