# SPDX-License-Identifier: EUPL-1.2
"""The mechanism itself, on a small process of its own: a table is checked when declared,
steps are taken or refused as declared, and a refusal names the step and the state."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import translation

from ketentafel.core.errors import InvalidTransition, NotAllowed
from ketentafel.core.workflow import Guard, Machine, Step


class Light(models.TextChoices):
    RED = "red", "Rood"
    GREEN = "green", "Groen"
    BROKEN = "broken", "Stuk"


@dataclass
class Lamp:
    state: str = Light.RED
    repaired: bool = True
    may_switch: bool = True


def _machine(*steps: Step[Lamp]) -> Machine[Lamp]:
    return Machine[Lamp](states=Light, noun="stand", field="state", steps=steps)


LAMP = _machine(
    Step(
        "go",
        "Op groen",
        (Light.RED,),
        Light.GREEN,
        reason="Hij staat al op groen.",
        guards=(Guard(lambda lamp: lamp.may_switch, "Alleen de wegbeheerder.", NotAllowed),),
    ),
    Step("stop", "Op rood", (Light.GREEN,), Light.RED),
    Step("inspect", "Nakijken", (Light.RED, Light.GREEN, Light.BROKEN)),
    Step(
        "repair",
        "Repareren",
        (Light.BROKEN,),
        Light.RED,
        guards=(Guard(lambda lamp: lamp.repaired, "Eerst een nieuwe lamp."),),
    ),
)


def test_a_table_naming_an_unknown_state_or_a_step_twice_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="unknown states"):
        _machine(Step("fly", "Vliegen", (Light.RED,), "sky"))
    with pytest.raises(ImproperlyConfigured, match="unknown states"):
        _machine(Step("nowhere", "Nergens", ()))
    with pytest.raises(ImproperlyConfigured, match="twice"):
        _machine(Step("stop", "Op rood", (Light.GREEN,)), Step("stop", "Stop", (Light.RED,)))


def test_allowed_steps_are_those_take_lets_through_in_the_tables_order() -> None:
    assert LAMP.allowed_steps(Lamp()) == ["go", "inspect"]
    assert LAMP.allowed_steps(Lamp(may_switch=False)) == ["inspect"]
    assert LAMP.allowed_steps(Lamp(state=Light.BROKEN, repaired=False)) == ["inspect"]
    assert LAMP.allowed_steps(Lamp(state=Light.BROKEN)) == ["inspect", "repair"]


def test_take_sets_the_target_and_returns_the_state_left() -> None:
    lamp = Lamp()
    assert LAMP.take(lamp, "go") == Light.RED
    assert lamp.state == Light.GREEN
    assert LAMP.take(lamp, "inspect") == Light.GREEN
    assert lamp.state == Light.GREEN  # a step without a target keeps the state


def test_refusals_name_the_step_and_the_state() -> None:
    with translation.override("nl"):
        with pytest.raises(InvalidTransition) as wrong_state:
            LAMP.take(Lamp(state=Light.GREEN), "go")
        assert wrong_state.value.message == (
            "Hij staat al op groen. De stap 'Op groen' kan niet in stand 'Groen'; "
            "alleen in: 'Rood'."
        )
        assert (wrong_state.value.step, wrong_state.value.state) == ("go", "green")
        with pytest.raises(InvalidTransition) as no_reason:
            LAMP.check(Lamp(), "repair")
        assert no_reason.value.message == (
            "De stap 'Repareren' kan niet in stand 'Rood'; alleen in: 'Stuk'."
        )
        with pytest.raises(InvalidTransition) as guard:
            LAMP.take(Lamp(state=Light.BROKEN, repaired=False), "repair")
        assert guard.value.message == "Eerst een nieuwe lamp. Stap: 'Repareren'; stand: 'Stuk'."
        with pytest.raises(NotAllowed) as role:
            LAMP.take(Lamp(may_switch=False), "go")
        assert role.value.message == "Alleen de wegbeheerder. Stap: 'Op groen'; stand: 'Rood'."
        given = LAMP.refuse(Lamp(), "inspect", "Geen ladder.")
        assert given.message == "Geen ladder. Stap: 'Nakijken'; stand: 'Rood'."
        assert (given.step, given.state) == ("inspect", "red")
    lamp = Lamp(state=Light.GREEN)
    with pytest.raises(InvalidTransition):
        LAMP.take(lamp, "go")
    assert lamp.state == Light.GREEN


def test_a_refusal_is_worded_in_the_active_language() -> None:
    with translation.override("en"), pytest.raises(InvalidTransition) as refusal:
        LAMP.take(Lamp(state=Light.BROKEN, repaired=False), "repair")
    assert refusal.value.message == "Eerst een nieuwe lamp. Step: 'Repareren'; stand: 'Stuk'."
