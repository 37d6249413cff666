# SPDX-License-Identifier: EUPL-1.2
"""A security incident registered through the service, as the officer's screens would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.incidents import services
from ketentafel.incidents.models import SecurityIncident


def incident_registered(officer: User, hours_ago: float = 1) -> SecurityIncident:
    """A laptop lost `hours_ago` hours ago in the officer's one house, three people affected."""
    return services.incident_register(
        actor=officer,
        house_id=officer.house_roles.get().house_id,
        discovered_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        description="Laptop gestolen.",
        people_affected=3,
        data_categories=["ordinary"],
    )
