# SPDX-License-Identifier: EUPL-1.2
"""No lost updates on the privacy officer's screens: a step sent from a page that showed an
older version of the request or the incident, or without a version, changes nothing and
answers 409 with the page as it is now (docs/web.md, "Changes made at the same time")."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.core.idempotency import FORM_TOKEN
from ketentafel.privacy import services
from ketentafel.privacy.models import (
    DataSubjectRequest,
    IncidentStatus,
    RequestKind,
    RequestStatus,
    SecurityIncident,
)
from tests.cases.conftest import World, api_client, make_staff
from tests.privacy.conftest import officer  # noqa: F401
from tests.privacy.screen_flows import local_minutes

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

STALE = "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer opnieuw."


def _request(officer: User) -> DataSubjectRequest:  # noqa: F811
    return services.request_register(
        actor=officer,
        house_id=officer.house_roles.get().house_id,
        kind=RequestKind.ACCESS,
        received_on=timezone.localdate(),
        subject_surname="Jansen",
        subject_birth_date=datetime.date(1980, 5, 1),
    )


def _incident(officer: User) -> SecurityIncident:  # noqa: F811
    return services.incident_register(
        actor=officer,
        house_id=officer.house_roles.get().house_id,
        discovered_at=timezone.now() - datetime.timedelta(hours=1),
        description="Laptop gestolen.",
        people_affected=3,
        data_categories=["ordinary"],
    )


def _colleague(world: World) -> User:
    """A second privacy officer of the same house, who changes the record in between."""
    return make_staff("po-2", world.municipality, world.house, Role.PRIVACY_OFFICER)


def _updates(object_id: object) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(object_id), result=Result.ALLOWED
    ).count()


def _assert_stale(response: Any, current: int | None) -> str:
    """409, the message, and forms that now carry the current version (None: the record is
    closed and the page offers no form that changes it)."""
    assert response.status_code == 409, response.content.decode()[:3000]
    html = str(response.content.decode())
    assert STALE in html
    if current is None:
        assert 'name="version"' not in html
    else:
        assert f'name="version" value="{current}"' in html
        assert 'name="version" value="1"' not in html
        assert f'name="{FORM_TOKEN}"' in html  # the new page's forms, each with a new token
    return html


def test_a_stale_extension_of_a_request_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _request(officer)
    url = f"/privacy/verzoeken/{request.pk}/verlengen/"
    services.request_start(actor=_colleague(world), request_id=request.pk)  # version 2
    updates = _updates(request.pk)

    po = api_client(officer)
    html = _assert_stale(po.post(url, {"reason": "Complex.", "version": "1"}), current=2)
    assert "Complex." not in html  # the page as it is now, not what was sent
    # A submit without a version came from no page that showed the request: the same answer.
    _assert_stale(po.post(url, {"reason": "Complex."}), current=2)
    _assert_stale(po.post(url, {"reason": "Complex.", "version": "x"}), current=2)

    stored = DataSubjectRequest.objects.get(pk=request.pk)
    assert (stored.extended_to, stored.extension_reason, stored.version) == (None, "", 2)
    assert _updates(request.pk) == updates
    # From the current version the same extension is saved.
    assert po.post(url, {"reason": "Complex.", "version": "2"}).status_code == 302
    assert DataSubjectRequest.objects.get(pk=request.pk).extended_to is not None


def test_a_stale_start_of_a_request_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _request(officer)
    url = f"/privacy/verzoeken/{request.pk}/in-behandeling/"
    colleague = _colleague(world)
    services.request_extend(actor=colleague, request_id=request.pk, reason="Veel.")

    po = api_client(officer)
    html = _assert_stale(po.post(url, {"version": "1"}), current=2)
    assert f'action="{url}"' in html  # still received: the button, at version 2
    _assert_stale(po.post(url), current=2)
    assert DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.RECEIVED

    # Started by the colleague in between: the message, and no button any more.
    services.request_start(actor=colleague, request_id=request.pk)
    html = _assert_stale(po.post(url, {"version": "2"}), current=3)
    assert f'action="{url}"' not in html
    stored = DataSubjectRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.version) == (RequestStatus.IN_PROGRESS, 3)


def test_a_stale_close_of_a_request_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _request(officer)
    url = f"/privacy/verzoeken/{request.pk}/afsluiten/"
    services.request_start(actor=_colleague(world), request_id=request.pk)
    body = {"status": "refused", "outcome": "Geen gegevens gevonden."}

    po = api_client(officer)
    _assert_stale(po.post(url, body | {"version": "1"}), current=2)
    _assert_stale(po.post(url, body), current=2)
    stored = DataSubjectRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.outcome, stored.closed_at) == (
        RequestStatus.IN_PROGRESS,
        "",
        None,
    )
    assert po.post(url, body | {"version": "2"}).status_code == 302
    assert DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.REFUSED


def test_a_stale_incident_decision_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    incident = _incident(officer)
    url = f"/privacy/incidenten/{incident.pk}/besluit/"
    services.incident_decide(
        actor=_colleague(world),
        incident_id=incident.pk,
        must_notify_authority=True,
        reason="Gezondheidsgegevens.",
    )
    updates = _updates(incident.pk)

    po = api_client(officer)
    body = {"must_notify": "no", "reason": "Versleuteld."}
    html = _assert_stale(po.post(url, body | {"version": "1"}), current=2)
    assert "Versleuteld." not in html
    _assert_stale(po.post(url, body), current=2)
    stored = SecurityIncident.objects.get(pk=incident.pk)
    assert (stored.must_notify_authority, stored.version) == (True, 2)
    assert [e.kind for e in stored.entries.all()] == ["decision"]
    assert _updates(incident.pk) == updates


def test_a_stale_incident_notification_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    incident = _incident(officer)
    url = f"/privacy/incidenten/{incident.pk}/melding/"
    services.incident_decide(
        actor=_colleague(world), incident_id=incident.pk, must_notify_authority=False, reason="-"
    )
    po = api_client(officer)
    body = {"recipient": "subjects", "notified_at": local_minutes(timezone.now())}
    _assert_stale(po.post(url, body | {"version": "1"}), current=2)
    _assert_stale(po.post(url, body), current=2)
    assert SecurityIncident.objects.get(pk=incident.pk).subjects_notified_at is None


def test_a_stale_incident_close_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    incident = _incident(officer)
    url = f"/privacy/incidenten/{incident.pk}/afsluiten/"
    colleague = _colleague(world)
    services.incident_decide(
        actor=colleague, incident_id=incident.pk, must_notify_authority=False, reason="Gering."
    )
    services.incident_notify(
        actor=colleague, incident_id=incident.pk, recipient="subjects", notified_at=timezone.now()
    )  # version 3: decided and the subjects told, so it may close

    po = api_client(officer)
    html = _assert_stale(po.post(url, {"version": "2"}), current=3)
    assert f'action="{url}"' in html
    _assert_stale(po.post(url), current=3)
    assert SecurityIncident.objects.get(pk=incident.pk).status == IncidentStatus.OPEN

    # Closed by the colleague in between: the message, no button, and it stays closed once.
    services.incident_close(actor=colleague, incident_id=incident.pk)
    html = _assert_stale(po.post(url, {"version": "3"}), current=None)
    assert f'action="{url}"' not in html
    stored = SecurityIncident.objects.get(pk=incident.pk)
    assert (stored.status, stored.version) == (IncidentStatus.CLOSED, 4)
