# SPDX-License-Identifier: EUPL-1.2
"""The process of an information request, walked through the services and the API.

The table is written out by hand from Bijlage 3 (intake: the house asks, the party answers
once, with information or with "no information" and why); `information.workflow` must declare
exactly it. Every (status, step) pair is taken through the service: allowed, it succeeds and is
audited; refused, the refusal names the step and the status and nothing changes. One refusal is
read through the API in English, the language a person chose on the language switch.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from django.conf import settings
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case
from ketentafel.information import services
from ketentafel.information.models import (
    DataCategory,
    InformationItem,
    InformationRequest,
    LifeDomain,
    RequestStatus,
    Sharing,
)
from ketentafel.information.workflow import INFORMATION_REQUEST
from tests.cases.conftest import World
from tests.cases.conftest import world as world  # the fixture
from tests.cases.flows import in_enrichment
from tests.workflow import declared, refused

pytestmark = pytest.mark.django_db

OPEN, ANSWERED, NOTHING = (s.value for s in RequestStatus)

TABLE: dict[str, tuple[set[str], str | None]] = {
    "answer": ({OPEN}, ANSWERED),
    "decline": ({OPEN}, NOTHING),
}


def test_the_machine_declares_exactly_the_expected_table() -> None:
    assert declared(INFORMATION_REQUEST) == TABLE


def _sent(world: World, case: Case) -> InformationRequest:
    # Asked of the referrer's party, which sees the case whatever the request's status.
    return services.information_request_send(
        actor=world.ic,
        case_id=case.pk,
        party_id=world.police.party_id or 0,
        question="Meldingen in het afgelopen jaar?",
        reason="Weging in de triage",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )


def _answer(world: World, case: Case, request_id: UUID) -> object:
    return services.information_item_supply(
        actor=world.police,
        case_id=case.pk,
        life_domain=LifeDomain.BEHAVIOUR,
        text="Twee meldingen van overlast.",
        legal_basis="Wpg art. 19",
        data_category=DataCategory.POLICE,
        sharing=Sharing.COORDINATION,
        request_id=request_id,
    )


def _decline(world: World, case: Case, request_id: UUID) -> object:
    return services.information_request_decline(
        actor=world.police, request_id=request_id, note="Niets bekend."
    )


STEPS: dict[str, Callable[[World, Case, UUID], object]] = {"answer": _answer, "decline": _decline}


def _snapshot(case: Case, request_id: UUID) -> Callable[[], dict[str, Any]]:
    return lambda: {
        "request": InformationRequest.objects.filter(pk=request_id).values().get(),
        "items": InformationItem.objects.filter(case=case).count(),
        "audit": AuditEvent.objects.count(),
    }


def test_every_step_in_every_status(world: World) -> None:
    assert set(STEPS) == set(INFORMATION_REQUEST.steps)
    case = in_enrichment(world)
    for status in RequestStatus.values:
        for step, (sources, target) in TABLE.items():
            request_id = _sent(world, case).pk
            if status == ANSWERED:
                _answer(world, case, request_id)
            if status == NOTHING:
                _decline(world, case, request_id)
            snapshot = _snapshot(case, request_id)

            def take(step: str = step, request_id: UUID = request_id) -> object:
                return STEPS[step](world, case, request_id)

            if status not in sources:
                refusal = refused(take, snapshot, INFORMATION_REQUEST, step, status)
                assert "al afgehandeld" in refusal.message
                continue
            audit = AuditEvent.objects.count()
            take()
            assert InformationRequest.objects.get(pk=request_id).status == target
            assert AuditEvent.objects.count() > audit, (status, step)


def test_the_answer_page_offers_only_the_allowed_steps(world: World) -> None:
    case = in_enrichment(world)
    request_id = _sent(world, case).pk
    client = world.api(world.police)
    page = client.get(f"/informatieverzoeken/{request_id}/")
    assert page.status_code == 200
    assert page.context["steps"] == ["answer", "decline"]
    _decline(world, case, request_id)
    page = client.get(f"/informatieverzoeken/{request_id}/")
    assert page.context["steps"] == []
    assert "Beantwoorden: geen informatie" not in page.content.decode()


def test_a_refusal_reads_in_english_through_the_api_when_english_was_chosen(
    world: World,
) -> None:
    case = in_enrichment(world)
    request = _sent(world, case)
    _decline(world, case, request.pk)
    client = world.api(world.police)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.post(
        f"/api/v1/information-requests/{request.pk}/decline/",
        {"note": "Toch nog eens."},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert answer.status_code == 409, answer.content
    assert answer["Content-Language"] == "en"
    problem = answer.json()
    assert problem["detail"] == (
        "This information request has already been answered. The step 'Answer: no "
        "information' is not possible in status 'No information'; only in: 'Open'."
    )
    assert (problem["step"], problem["state"]) == ("decline", NOTHING)
    # The same refusal in Dutch for whoever did not choose English.
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    dutch = client.post(
        f"/api/v1/information-requests/{request.pk}/decline/",
        {"note": "Toch nog eens."},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert dutch.json()["detail"] == (
        "Dit informatieverzoek is al afgehandeld. De stap 'Beantwoorden: geen informatie' kan "
        "niet in status 'Geen informatie'; alleen in: 'Open'."
    )
