# SPDX-License-Identifier: EUPL-1.2
"""Parts of the case page that the rooms above `cases` contribute.

The case page is the case's, but some of what a coordinator does there belongs to another
room: putting the case on a meeting's agenda is the meetings app's. That app registers a panel
in its `ready()`, so the page shows it without `cases` importing the room (ADR 0016). A panel
is a template included where the page lists its panels and a function giving that template's
context for the reader and the case.

A room may also start a case its own way (the aftercare room from DJI's detention
notification): it registers a `ReferralStart`, which the referral form offers to the users it
is for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise

from ketentafel.accounts.models import User
from ketentafel.cases.policies import CaseAccess


@dataclass(frozen=True)
class CasePanel:
    template: str
    context: Callable[[User, CaseAccess], dict[str, Any]]


_panels: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    """Show `panel` on every case page, after the panels registered before it."""
    if panel not in _panels:
        _panels.append(panel)


def case_panels() -> list[CasePanel]:
    return list(_panels)


@dataclass(frozen=True)
class ReferralStart:
    """Another way to start a case, offered as a link on the referral form to the users for
    whom `offered_to` holds."""

    url_name: str
    label: StrOrPromise
    offered_to: Callable[[User], bool]


_starts: list[ReferralStart] = []


def register_referral_start(start: ReferralStart) -> None:
    if start not in _starts:
        _starts.append(start)


def referral_starts_for(user: User) -> list[ReferralStart]:
    """The other ways to start a case that `user` may take."""
    return [start for start in _starts if start.offered_to(user)]
