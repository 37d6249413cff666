# SPDX-License-Identifier: EUPL-1.2
"""Parts of the case page that the rooms above `cases` contribute.

The case page is the case's, but some of what a coordinator does there belongs to another
room: putting the case on a meeting's agenda is the meetings app's. That app registers a panel
in its `ready()`, so the page shows it without `cases` importing the room (ADR 0016). A panel
is a template included where the page lists its panels and a function giving that template's
context for the reader and the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
