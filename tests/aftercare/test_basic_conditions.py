# SPDX-License-Identifier: EUPL-1.2
"""The traffic light on the five basic conditions, with its history and who set it
(Gelderland-Midden Bijlage 3, Proces nazorg, Uitvoeringsfase)."""

from __future__ import annotations

import pytest

from ketentafel.aftercare import selectors, services
from ketentafel.aftercare.models import BasicCondition, BasicConditionStatus, Light
from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case, ClosureReason, Phase
from ketentafel.cases.services import case_close as close_without_meeting
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from tests.aftercare.conftest import Nazorg, nazorg, notified, taken_up, world
from tests.cases import flows

__all__ = ["nazorg", "world"]

pytestmark = pytest.mark.django_db


def test_every_light_is_unknown_until_set_and_the_latest_setting_counts(nazorg: Nazorg) -> None:
    world = nazorg.world
    case = taken_up(nazorg)
    start = selectors.aftercare_for(world.pc, case.pk)
    assert [(light.condition, light.status) for light in start.lights] == [
        (condition, Light.UNKNOWN) for condition in BasicCondition
    ]
    assert start.history == []

    first = services.basic_condition_set(
        actor=world.pc, case_id=case.pk, condition="housing", status="red", note="Geen woning."
    )
    second = services.basic_condition_set(
        actor=world.ic, case_id=case.pk, condition="housing", status="orange", note="Urgentie."
    )
    services.basic_condition_set(
        actor=world.ic, case_id=case.pk, condition="identity", status="green"
    )

    now = selectors.aftercare_for(world.pc, case.pk)
    lights = {light.condition: light for light in now.lights}
    assert lights[BasicCondition.HOUSING].status == Light.ORANGE
    assert (lights[BasicCondition.HOUSING].note, lights[BasicCondition.HOUSING].set_by) == (
        "Urgentie.",
        world.ic,
    )
    assert lights[BasicCondition.IDENTITY].status == Light.GREEN
    assert lights[BasicCondition.DEBTS].status == Light.UNKNOWN
    assert lights[BasicCondition.DEBTS].set_by is None
    # The history keeps every setting, newest first, with who set it.
    assert [(row.condition, row.status, row.set_by) for row in now.history] == [
        ("identity", "green", world.ic),
        ("housing", "orange", world.ic),
        ("housing", "red", world.pc),
    ]
    assert {first.pk, second.pk} <= {row.pk for row in now.history}
    written = AuditEvent.objects.filter(case_id=case.pk, object_type="basiccondition")
    assert written.filter(object_id=str(first.pk), reason="housing").exists()


def test_only_the_case_coordinators_set_a_light(nazorg: Nazorg) -> None:
    world = nazorg.world
    case = taken_up(nazorg)
    # DJI, the referrer, sees the case but sets nothing.
    with pytest.raises(NotAllowed):
        services.basic_condition_set(
            actor=nazorg.dji, case_id=case.pk, condition="care", status="red"
        )
    # A partner professional without a part in the case does not see it at all.
    with pytest.raises(NotFound):
        services.basic_condition_set(
            actor=world.probation, case_id=case.pk, condition="care", status="red"
        )
    assert not BasicConditionStatus.objects.exists()


def test_a_referred_case_has_no_coordinator_to_set_its_lights_yet(nazorg: Nazorg) -> None:
    case = notified(nazorg).case
    with pytest.raises(NotAllowed):
        services.basic_condition_set(
            actor=nazorg.world.pc, case_id=case.pk, condition="care", status="red"
        )


def test_a_closed_case_keeps_its_lights(nazorg: Nazorg) -> None:
    world = nazorg.world
    case = taken_up(nazorg)
    services.basic_condition_set(actor=world.pc, case_id=case.pk, condition="debts", status="red")
    # The nazorg route closes by the case's process coordinator, without a meeting (Bijlage 3,
    # Proces nazorg: no case meeting, no plan).
    close_without_meeting(
        actor=world.pc,
        case_id=case.pk,
        reason=ClosureReason.GOAL_REACHED,
        referrer_notice="DJI is gemeld dat de nazorg is afgerond.",
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED
    with pytest.raises(InvalidTransition):
        services.basic_condition_set(
            actor=world.pc, case_id=case.pk, condition="debts", status="green"
        )
    assert BasicConditionStatus.objects.get().status == "red"


def test_unknown_conditions_and_other_tracks_are_refused(nazorg: Nazorg) -> None:
    world = nazorg.world
    case = taken_up(nazorg)
    with pytest.raises(InvalidInput) as condition:
        services.basic_condition_set(actor=world.pc, case_id=case.pk, condition="x", status="red")
    assert condition.value.field == "condition"
    with pytest.raises(InvalidInput) as light:
        services.basic_condition_set(
            actor=world.pc, case_id=case.pk, condition="care", status="blue"
        )
    assert light.value.field == "status"
    complex_case = flows.in_enrichment(world)
    with pytest.raises(InvalidTransition):
        services.basic_condition_set(
            actor=world.pc, case_id=complex_case.pk, condition="care", status="red"
        )
    with pytest.raises(NotFound):
        selectors.aftercare_for(world.pc, complex_case.pk)
    assert not BasicConditionStatus.objects.exists()
