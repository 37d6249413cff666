# SPDX-License-Identifier: EUPL-1.2
"""What every test of a declared process (`core.workflow`) checks of a refused step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction

from ketentafel.core.errors import InvalidTransition
from ketentafel.core.workflow import Machine


def declared(machine: Machine[Any]) -> dict[str, tuple[set[str], str | None]]:
    """The machine's table as {step: (from-states, to-state)}, to compare with one written out
    by hand from the rules."""
    return {
        name: ({str(s) for s in step.sources}, None if step.target is None else str(step.target))
        for name, step in machine.steps.items()
    }


def assert_names_step_and_state(
    refusal: InvalidTransition, machine: Machine[Any], step: str, state: str
) -> None:
    """The refusal says which step was refused in which state: by value for the API, by label
    (in the active language) for the reader."""
    assert (refusal.step, refusal.state) == (step, state), refusal.message
    assert str(machine.steps[step].label) in refusal.message, refusal.message
    assert f"'{machine.state_label(state)}'" in refusal.message, refusal.message


def refused(
    take: Callable[[], object],
    snapshot: Callable[[], object],
    machine: Machine[Any],
    step: str,
    state: str,
) -> InvalidTransition:
    """Take a step that must be refused: the refusal names it and the state, and the snapshot
    (the record, its log rows and the audit log's length) is as it was."""
    before = snapshot()
    with pytest.raises(InvalidTransition) as refusal:
        take()
    assert_names_step_and_state(refusal.value, machine, step, state)
    assert snapshot() == before, (step, state)
    return refusal.value


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each generated example starts from the same database: what it built is undone after."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def taken(take: Callable[[], object], allowed: bool, snapshot: Callable[[], object]) -> None:
    """An allowed step changes what `snapshot` reads; any other is refused and changes nothing."""
    before = snapshot()
    if allowed:
        take()
        assert snapshot() != before
        return
    with pytest.raises(InvalidTransition):
        take()
    assert snapshot() == before
