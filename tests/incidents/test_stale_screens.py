# SPDX-License-Identifier: EUPL-1.2
"""No lost updates on the incident screens: a step sent from a page that showed an older
version of the incident, or without a version, changes nothing and answers 409 with the page
as it is now (docs/web.md, "Changes made at the same time")."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.incidents import services
from ketentafel.incidents.models import IncidentStatus, SecurityIncident
from tests.cases.conftest import World, api_client
from tests.incidents.flows import incident_registered
from tests.privacy.screen_flows import assert_stale, local_minutes, second_officer, updates_of

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_a_stale_incident_decision_changes_nothing(
    world: World,
    officer: User,
) -> None:
    incident = incident_registered(officer)
    url = f"/privacy/incidenten/{incident.pk}/besluit/"
    services.incident_decide(
        actor=second_officer(world),
        incident_id=incident.pk,
        must_notify_authority=True,
        reason="Gezondheidsgegevens.",
    )
    updates = updates_of(incident.pk)

    po = api_client(officer)
    body = {"must_notify": "no", "reason": "Versleuteld."}
    html = assert_stale(po.post(url, body | {"version": "1"}), current=2)
    assert "Versleuteld." not in html
    assert_stale(po.post(url, body), current=2)
    stored = SecurityIncident.objects.get(pk=incident.pk)
    assert (stored.must_notify_authority, stored.version) == (True, 2)
    assert [e.kind for e in stored.entries.all()] == ["decision"]
    assert updates_of(incident.pk) == updates


def test_a_stale_incident_notification_changes_nothing(
    world: World,
    officer: User,
) -> None:
    incident = incident_registered(officer)
    url = f"/privacy/incidenten/{incident.pk}/melding/"
    services.incident_decide(
        actor=second_officer(world),
        incident_id=incident.pk,
        must_notify_authority=False,
        reason="-",
    )
    po = api_client(officer)
    body = {"recipient": "subjects", "notified_at": local_minutes(timezone.now())}
    assert_stale(po.post(url, body | {"version": "1"}), current=2)
    assert_stale(po.post(url, body), current=2)
    assert SecurityIncident.objects.get(pk=incident.pk).subjects_notified_at is None


def test_a_stale_incident_close_changes_nothing(
    world: World,
    officer: User,
) -> None:
    incident = incident_registered(officer)
    url = f"/privacy/incidenten/{incident.pk}/afsluiten/"
    colleague = second_officer(world)
    services.incident_decide(
        actor=colleague, incident_id=incident.pk, must_notify_authority=False, reason="Gering."
    )
    services.incident_notify(
        actor=colleague, incident_id=incident.pk, recipient="subjects", notified_at=timezone.now()
    )  # version 3: decided and the subjects told, so it may close

    po = api_client(officer)
    html = assert_stale(po.post(url, {"version": "2"}), current=3)
    assert f'action="{url}"' in html
    assert_stale(po.post(url), current=3)
    assert SecurityIncident.objects.get(pk=incident.pk).status == IncidentStatus.OPEN

    # Closed by the colleague in between: the message, no button, and it stays closed once.
    services.incident_close(actor=colleague, incident_id=incident.pk)
    html = assert_stale(po.post(url, {"version": "3"}), current=None)
    assert f'action="{url}"' not in html
    stored = SecurityIncident.objects.get(pk=incident.pk)
    assert (stored.status, stored.version) == (IncidentStatus.CLOSED, 4)
