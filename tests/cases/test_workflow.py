# SPDX-License-Identifier: EUPL-1.2
"""The case's state machine, walked phase by phase at its entry point `cases.workflow.transition`.

`tests/cases/test_transitions.py` takes every step through the services against a table written
out by hand; this test adds what the declared machine promises: in every phase each of its
steps either moves the case to the step's target or is refused with a message naming the step
and the phase by their labels, leaving the case as it was, and `allowed_transitions` lists
exactly the steps that went through. A role that may not take a step hears which step, too.
Steps the general route decides in a held case meeting (`discuss`, `review`, `close`) are taken
with such a session; without one they are refused (`test_a_meeting_step_needs_a_session`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from uuid import UUID

import pytest
from django.db import transaction

from ketentafel.cases.models import Case, Phase
from ketentafel.cases.policies import CaseAccess, Session
from ketentafel.cases.selectors import access_for_update
from ketentafel.cases.workflow import CASE, allowed_transitions, transition
from ketentafel.core.errors import InvalidTransition, NotAllowed
from ketentafel.covenants.models import Body, BodyKind
from ketentafel.covenants.process import TRIAGE_STEPS
from tests.cases.conftest import World
from tests.cases.conftest import world as world  # the fixture
from tests.cases.flows import accepted, in_enrichment
from tests.privacy.conftest import active, closed, declined, in_triage, referred, someone
from tests.workflow import assert_names_step_and_state, rolled_back

pytestmark = pytest.mark.django_db

BUILD: dict[str, Callable[[World], Case]] = {
    Phase.REFERRED: lambda w: referred(w, someone(701)),
    Phase.ENRICHMENT: in_enrichment,
    Phase.TRIAGE: lambda w: in_triage(w, someone(702)),
    Phase.DECLINED: lambda w: declined(w, someone(703)),
    Phase.ACCEPTED: accepted,
    Phase.ACTIVE: lambda w: active(w, someone(704)),
    Phase.CLOSED: lambda w: closed(w, someone(705)),
}


def _row(case_id: UUID) -> dict[str, object]:
    return Case.objects.filter(pk=case_id).values().get()


def _in_a_case_meeting(access: CaseAccess) -> CaseAccess:
    """The access as a held session of a case meeting serving the case's track sees it."""
    case = access.case
    body = Body.objects.filter(
        kind=BodyKind.CASE_MEETING, houses=case.house_id, tracks=case.track_id
    ).first()
    assert body is not None
    session = Session(
        body_id=body.pk,
        slug=body.slug,
        kind=body.kind,
        track_ids=frozenset(body.tracks.values_list("pk", flat=True)),
        agenda_item_id=UUID(int=0),
    )
    return replace(access, session=session)


def test_every_step_of_the_case_in_every_phase(world: World) -> None:
    assert set(BUILD) == set(Phase.values)
    for phase, build in BUILD.items():
        case_id = build(world).pk
        assert Case.objects.get(pk=case_id).phase == phase
        went_through = []
        for name, step in CASE.steps.items():
            before = _row(case_id)
            with rolled_back():
                # The case's process coordinator is triage staff and may take every step; the
                # weging outside a session (Gelderland-Midden's Triage-overleg decides it, or the
                # triage staff record it: `session = "optional"`), the rest in a case meeting.
                access = access_for_update(world.pc, case_id)
                if name not in TRIAGE_STEPS:
                    access = _in_a_case_meeting(access)
                if phase not in step.sources:
                    with pytest.raises(InvalidTransition) as refusal:
                        transition(access, name)
                    assert type(refusal.value) is InvalidTransition
                    assert_names_step_and_state(refusal.value, CASE, name, phase)
                    assert _row(case_id) == before, (phase, name)
                    continue
                assert transition(access, name) == phase
                assert Case.objects.get(pk=case_id).phase == (step.target or phase)
                went_through.append(name)
        with transaction.atomic():
            access = access_for_update(world.pc, case_id)
            if phase != Phase.TRIAGE:
                access = _in_a_case_meeting(access)
            assert allowed_transitions(access) == went_through


@pytest.mark.parametrize(("phase", "name"), [(Phase.ACCEPTED, "discuss"), (Phase.ACTIVE, "close")])
def test_a_meeting_step_needs_a_session(world: World, phase: str, name: str) -> None:
    """The general route decides the first discussion and the closure in a held case meeting
    (Bijlage 3): the case's process coordinator alone is refused, naming the step."""
    case_id = BUILD[phase](world).pk
    before = _row(case_id)
    with transaction.atomic():
        access = access_for_update(world.pc, case_id)
        with pytest.raises(InvalidTransition) as refusal:
            transition(access, name)
    assert "gehouden overleg: een casusoverleg" in refusal.value.message
    assert f"'{CASE.steps[name].label}'" in refusal.value.message
    assert _row(case_id) == before


@pytest.mark.parametrize(
    ("phase", "name", "who"),
    [
        (Phase.TRIAGE, "accept", "ic"),  # coordinator of the case, not triage staff
        (Phase.ENRICHMENT, "submit_to_triage", "police"),  # the referrer
        (Phase.ACTIVE, "close", "secretary"),  # on the agenda, not the case's coordinator
    ],
)
def test_a_role_that_may_not_take_a_step_hears_which_step(
    world: World, phase: str, name: str, who: str
) -> None:
    case_id = BUILD[phase](world).pk
    before = _row(case_id)
    with transaction.atomic():
        access = access_for_update(getattr(world, who), case_id)
        assert name not in allowed_transitions(access)
        with pytest.raises(NotAllowed) as refusal:
            transition(access, name)
    message = refusal.value.message
    assert "mag alleen" in message
    assert f"'{CASE.steps[name].label}'" in message
    assert f"'{Phase(phase).label}'" in message
    assert _row(case_id) == before
