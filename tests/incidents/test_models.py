# SPDX-License-Identifier: EUPL-1.2
"""The incident's clock: 72 hours from discovery (AVG art. 33), in time or late."""

from __future__ import annotations

import datetime

from ketentafel.incidents.models import SecurityIncident


def test_the_incident_clock_runs_72_hours_from_discovery() -> None:
    found = datetime.datetime(2024, 3, 29, 23, 30, tzinfo=datetime.UTC)  # over a DST change
    incident = SecurityIncident(discovered_at=found)
    assert incident.notification_deadline == datetime.datetime(
        2024, 4, 1, 23, 30, tzinfo=datetime.UTC
    )
    assert incident.seconds_remaining(found + datetime.timedelta(hours=70)) == 2 * 3600
    assert incident.seconds_remaining(found + datetime.timedelta(hours=73)) == -3600
    incident.authority_notified_at = found + datetime.timedelta(hours=71)
    assert incident.seconds_remaining(found + datetime.timedelta(hours=80)) is None
    assert incident.notified_in_time is True
    incident.authority_notified_at = found + datetime.timedelta(hours=72, seconds=1)
    assert incident.notified_in_time is False
    incident.authority_notified_at = None
    incident.must_notify_authority = False
    assert incident.seconds_remaining(found) is None
