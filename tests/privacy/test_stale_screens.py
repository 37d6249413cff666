# SPDX-License-Identifier: EUPL-1.2
"""No lost updates on the privacy officer's screens: a step sent from a page that showed an
older version of the request, or without a version, changes nothing and
answers 409 with the page as it is now (docs/web.md, "Changes made at the same time")."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.privacy import services
from ketentafel.privacy.models import (
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
)
from tests.cases.conftest import World, api_client
from tests.privacy.conftest import officer  # noqa: F401
from tests.privacy.screen_flows import assert_stale, second_officer, updates_of

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _request(officer: User) -> DataSubjectRequest:  # noqa: F811
    return services.request_register(
        actor=officer,
        house_id=officer.house_roles.get().house_id,
        kind=RequestKind.ACCESS,
        received_on=timezone.localdate(),
        subject_surname="Jansen",
        subject_birth_date=datetime.date(1980, 5, 1),
    )


def test_a_stale_extension_of_a_request_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _request(officer)
    url = f"/privacy/verzoeken/{request.pk}/verlengen/"
    services.request_start(actor=second_officer(world), request_id=request.pk)  # version 2
    updates = updates_of(request.pk)

    po = api_client(officer)
    html = assert_stale(po.post(url, {"reason": "Complex.", "version": "1"}), current=2)
    assert "Complex." not in html  # the page as it is now, not what was sent
    # A submit without a version came from no page that showed the request: the same answer.
    assert_stale(po.post(url, {"reason": "Complex."}), current=2)
    assert_stale(po.post(url, {"reason": "Complex.", "version": "x"}), current=2)

    stored = DataSubjectRequest.objects.get(pk=request.pk)
    assert (stored.extended_to, stored.extension_reason, stored.version) == (None, "", 2)
    assert updates_of(request.pk) == updates
    # From the current version the same extension is saved.
    assert po.post(url, {"reason": "Complex.", "version": "2"}).status_code == 302
    assert DataSubjectRequest.objects.get(pk=request.pk).extended_to is not None


def test_a_stale_start_of_a_request_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _request(officer)
    url = f"/privacy/verzoeken/{request.pk}/in-behandeling/"
    colleague = second_officer(world)
    services.request_extend(actor=colleague, request_id=request.pk, reason="Veel.")

    po = api_client(officer)
    html = assert_stale(po.post(url, {"version": "1"}), current=2)
    assert f'action="{url}"' in html  # still received: the button, at version 2
    assert_stale(po.post(url), current=2)
    assert DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.RECEIVED

    # Started by the colleague in between: the message, and no button any more.
    services.request_start(actor=colleague, request_id=request.pk)
    html = assert_stale(po.post(url, {"version": "2"}), current=3)
    assert f'action="{url}"' not in html
    stored = DataSubjectRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.version) == (RequestStatus.IN_PROGRESS, 3)


def test_a_stale_close_of_a_request_changes_nothing(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    request = _request(officer)
    url = f"/privacy/verzoeken/{request.pk}/afsluiten/"
    services.request_start(actor=second_officer(world), request_id=request.pk)
    body = {"status": "refused", "outcome": "Geen gegevens gevonden."}

    po = api_client(officer)
    assert_stale(po.post(url, body | {"version": "1"}), current=2)
    assert_stale(po.post(url, body), current=2)
    stored = DataSubjectRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.outcome, stored.closed_at) == (
        RequestStatus.IN_PROGRESS,
        "",
        None,
    )
    assert po.post(url, body | {"version": "2"}).status_code == 302
    assert DataSubjectRequest.objects.get(pk=request.pk).status == RequestStatus.REFUSED
