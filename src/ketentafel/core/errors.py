# SPDX-License-Identifier: EUPL-1.2
"""Errors a service raises for a user to read; views and the API turn them into answers.

Each carries a message in the user's language and, where one field is at fault, its name, so
an API problem response (RFC 9457) and a form can both point at it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    status = 400
    title: StrOrPromise = _("Ongeldige invoer")

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """Input that breaks a rule of the domain (a date order, an unknown party, ...)."""


class NotAllowed(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403
    title = _("Niet toegestaan")


class NotFound(DomainError):
    """Missing or not visible to the actor: the two look the same on purpose."""

    status = 404
    title = _("Niet gevonden")


class InvalidTransition(DomainError):
    """A step that a process refuses in its current state or phase.

    A refusal of `core.workflow` names the step and the state (their values in `step` and
    `state`, their labels in the message); other refusals leave both empty."""

    status = 409
    title = _("Niet mogelijk in deze fase")

    def __init__(
        self, message: str, *, field: str | None = None, step: str = "", state: str = ""
    ) -> None:
        super().__init__(message, field=field)
        self.step = step
        self.state = state
