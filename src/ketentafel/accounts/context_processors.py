# SPDX-License-Identifier: EUPL-1.2
"""What the signed-in user's roles in force open up, so the navigation shows only their screens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ketentafel.accounts.models import CASE_ROLES as ACCOUNT_CASE_ROLES
from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force

CASE_ROLES = frozenset(ACCOUNT_CASE_ROLES)
QUEUE_ROLES = frozenset(
    {
        Role.MANAGER,
        Role.LOCATION_MANAGER,
        Role.PROCESS_COORDINATOR,
        Role.INFORMATION_COORDINATOR,
        Role.MEETING_SECRETARY,
    }
)

REPORT_ROLES = frozenset({Role.MANAGER, Role.LOCATION_MANAGER, Role.STEERING_MEMBER})


@dataclass(frozen=True)
class Navigation:
    works_on_cases: bool = False
    has_queue: bool = False
    manages: bool = False
    reads_audit: bool = False
    reads_reports: bool = False


def _navigation(request: HttpRequest) -> Navigation:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return Navigation()
    roles = set(roles_in_force(user).values_list("role", flat=True))
    return Navigation(
        works_on_cases=bool(roles & CASE_ROLES),
        has_queue=bool(roles & QUEUE_ROLES),
        manages=bool(roles & {Role.MANAGER, Role.LOCATION_MANAGER}),
        reads_audit=Role.PRIVACY_OFFICER in roles,
        # The steering group's incident report (incidents.policies.steering_report_houses) and
        # the management information (reporting.selectors.REPORTING_ROLES); privacy officers
        # reach the incident report through the privacy screens.
        reads_reports=bool(roles & REPORT_ROLES),
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav": SimpleLazyObject(lambda: _navigation(request))}
