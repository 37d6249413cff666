# SPDX-License-Identifier: EUPL-1.2
"""One declared mechanism for every process with states.

A `Machine` is a table: the states of one model field (its `TextChoices`), and the steps of
the process, each with a name, a label, the states it may be taken in, the state it leads to
(none: the step keeps the state, as recording a notice on an open request does) and the
guards it needs besides the state. It holds no code of the steps themselves: a service locks
the record, checks its version (`core.versions`), asks the machine to `take` the step, writes
what the step changes and its audit event, in one transaction. Why a table of our own and not
a library: docs/adr/0015-declared-state-machines.md.

The same table answers three questions, so none can drift from the others:
- `allowed_steps(subject)`: what a screen offers and the API lists;
- `take(subject, name)`: the step, or a refusal that names the step and the current state by
  their labels in the reader's language (`InvalidTransition`, 409; a guard may refuse with
  `NotAllowed`, 403, for a role that may not take the step);
- `steps`: every (state, step) pair, for a test to walk them all.

The subject is what the guards read: the record itself, or something that carries it (a case's
`CaseAccess`, which knows the actor's roles), with `record` to reach the record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from ketentafel.core.errors import DomainError, InvalidTransition

T = TypeVar("T")


@dataclass(frozen=True)
class Guard(Generic[T]):
    """A condition a step needs besides the state, and the reason the step is refused when it
    does not hold. `error` is the kind of refusal: `InvalidTransition` (409) for a condition of
    the record, `NotAllowed` (403) for a role that may not take the step."""

    holds: Callable[[T], bool]
    reason: StrOrPromise
    error: type[DomainError] = InvalidTransition


@dataclass(frozen=True)
class Step(Generic[T]):
    """A step of a process: taken in one of `sources`, it leads to `target` (None: the state
    stays). `reason` is said first when the step is refused in another state."""

    name: str
    label: StrOrPromise
    sources: tuple[str, ...]
    target: str | None = None
    reason: StrOrPromise = ""
    guards: tuple[Guard[T], ...] = ()


class Machine(Generic[T]):
    """The states and steps of one process; see the module's docstring.

    `noun` names the state in a refusal ("fase" for a case, "status" elsewhere); `field` is the
    model field that holds the state; `record` reaches the record from the subject (default: the
    subject is the record)."""

    def __init__(
        self,
        *,
        states: type[models.TextChoices],
        noun: StrOrPromise,
        field: str,
        steps: Sequence[Step[T]],
        record: Callable[[T], Any] | None = None,
        labels: Mapping[str, StrOrPromise] | None = None,
    ) -> None:
        self.states = states
        # The words a process uses for some of its states (a region's phase names).
        self.labels = dict(labels or {})
        self.noun = noun
        self.field = field
        self._record = record
        self.steps: dict[str, Step[T]] = {}
        known = set(states.values)
        for step in steps:
            # A table loaded from elsewhere (issue 14) is checked the same way as one in code.
            if step.name in self.steps:
                raise ImproperlyConfigured(f"Step {step.name!r} is declared twice.")
            named = {*step.sources, *([step.target] if step.target is not None else [])}
            if not step.sources or not named <= known:
                raise ImproperlyConfigured(f"Step {step.name!r} names unknown states.")
            self.steps[step.name] = step

    def record(self, subject: T) -> Any:
        return subject if self._record is None else self._record(subject)

    def state(self, subject: T) -> str:
        return str(getattr(self.record(subject), self.field))

    def state_label(self, state: str) -> str:
        return str(self.labels.get(state) or self.states(state).label)

    def allowed_steps(self, subject: T) -> list[str]:
        """The steps `take` lets through now, in the table's order: what a screen offers."""
        return [name for name, step in self.steps.items() if self._refusal(subject, step) is None]

    def check(self, subject: T, name: str) -> Step[T]:
        """The step, or its refusal raised: taken in another state, or a guard that fails."""
        step = self.steps[name]
        refusal = self._refusal(subject, step)
        if refusal is not None:
            raise refusal
        return step

    def take(self, subject: T, name: str) -> str:
        """Check the step, then set the record's state to its target; returns the state the
        record was in. Nothing is saved: the service saves the state with what else the step
        changes, in its transaction."""
        step = self.check(subject, name)
        current = self.state(subject)
        if step.target is not None:
            setattr(self.record(subject), self.field, step.target)
        return current

    def refuse(self, subject: T, name: str, reason: StrOrPromise) -> InvalidTransition:
        """The refusal of a step for a rule that depends on what the step is given (the
        recipients a closing request must have informed), worded as a guard's."""
        refusal = self._guard_refusal(subject, self.steps[name], reason, InvalidTransition)
        assert isinstance(refusal, InvalidTransition)
        return refusal

    def _refusal(self, subject: T, step: Step[T]) -> DomainError | None:
        current = self.state(subject)
        if current not in step.sources:
            naming = _(
                "De stap '%(step)s' kan niet in %(noun)s '%(state)s'; alleen in: %(sources)s."
            )
            message = naming % {
                "step": step.label,
                "noun": self.noun,
                "state": self.state_label(current),
                "sources": ", ".join(f"'{self.state_label(s)}'" for s in step.sources),
            }
            if step.reason:
                message = f"{step.reason} {message}"
            return InvalidTransition(message, step=step.name, state=current)
        for guard in step.guards:
            if not guard.holds(subject):
                return self._guard_refusal(subject, step, guard.reason, guard.error)
        return None

    def _guard_refusal(
        self, subject: T, step: Step[T], reason: StrOrPromise, error: type[DomainError]
    ) -> DomainError:
        current = self.state(subject)
        naming = _("Stap: '%(step)s'; %(noun)s: '%(state)s'.") % {
            "step": step.label,
            "noun": self.noun,
            "state": self.state_label(current),
        }
        message = f"{reason} {naming}"
        if issubclass(error, InvalidTransition):
            return error(message, step=step.name, state=current)
        return error(message)
