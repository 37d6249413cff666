# SPDX-License-Identifier: EUPL-1.2
"""The process of an advice question, walked through the services.

The table is written out by hand from Gelderland-Midden Bijlage 3 (adviesfase: a question is
answered once, with advice or by a referral); `advice.workflow` must declare exactly it. Every
(status, step) pair is taken through the service that takes the step: allowed, it succeeds;
refused, the refusal names the step and the status and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ketentafel.advice import services as advice_services
from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.advice.workflow import ADVICE_REQUEST
from ketentafel.audit.models import AuditEvent
from ketentafel.cases import services
from ketentafel.cases.models import Case, SubjectKind
from tests.cases.conftest import World
from tests.cases.conftest import world as world  # the fixture
from tests.cases.flows import PERSON
from tests.workflow import declared, refused

pytestmark = pytest.mark.django_db

OPEN, LOCAL, REFERRED = (o.value for o in AdviceOutcome)

TABLE: dict[str, tuple[set[str], str | None]] = {
    "conclude": ({OPEN}, LOCAL),
    "refer": ({OPEN}, REFERRED),
}


def test_the_machine_declares_exactly_the_expected_table() -> None:
    assert declared(ADVICE_REQUEST) == TABLE


def _conclude(world: World, advice: AdviceRequest) -> object:
    return advice_services.advice_conclude(
        actor=world.pc, advice_id=advice.pk, advice="Wijkteam laten aanbellen."
    )


def _refer(world: World, advice: AdviceRequest) -> object:
    return services.case_refer(
        actor=world.pc,
        house_id=world.house.pk,
        track_id=world.track.pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=world.municipality.pk,
        problem_statement="Overlast en schulden.",
        goal="Gezamenlijk plan.",
        advice_request_id=advice.pk,
    )


STEPS: dict[str, Callable[[World, AdviceRequest], object]] = {
    "conclude": _conclude,
    "refer": _refer,
}


def _advice_in(world: World, outcome: str) -> AdviceRequest:
    advice = advice_services.advice_record(
        actor=world.police, house_id=world.house.pk, question="Is dit iets voor het huis?"
    )
    AdviceRequest.objects.filter(pk=advice.pk).update(outcome=outcome)
    return AdviceRequest.objects.get(pk=advice.pk)


def _snapshot(advice: AdviceRequest) -> tuple[Any, ...]:
    row = AdviceRequest.objects.values().get(pk=advice.pk)
    return (row, Case.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize("state", [OPEN, LOCAL, REFERRED])
@pytest.mark.parametrize("step", list(TABLE))
def test_every_step_in_every_status(world: World, step: str, state: str) -> None:
    advice = _advice_in(world, state)
    sources, target = TABLE[step]
    if state in sources:
        events = AuditEvent.objects.count()
        STEPS[step](world, advice)
        assert AdviceRequest.objects.get(pk=advice.pk).outcome == target
        assert AuditEvent.objects.count() > events
    else:
        refusal = refused(
            lambda: STEPS[step](world, advice),
            lambda: _snapshot(advice),
            ADVICE_REQUEST,
            step,
            state,
        )
        assert "al afgehandeld" in refusal.message
