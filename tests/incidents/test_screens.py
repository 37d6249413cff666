# SPDX-License-Identifier: EUPL-1.2
"""The incident screens through Django's test client: the 72-hour clock, what is refused, and
what the log records."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent
from ketentafel.incidents import services
from ketentafel.incidents.models import IncidentStatus, SecurityIncident
from tests.cases.conftest import World, api_client
from tests.incidents.flows import incident_registered
from tests.privacy.screen_flows import incident_at, local_minutes, ok

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _events_since(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def _text(response: Any) -> str:
    return str(response.content.decode())


def test_the_incident_list_shows_the_72_hour_clock(officer: User) -> None:
    late = incident_registered(officer, hours_ago=80)
    soon = incident_registered(officer, hours_ago=70)
    fresh = incident_registered(officer, hours_ago=1)
    decided = incident_registered(officer, hours_ago=100)
    services.incident_decide(
        actor=officer, incident_id=decided.pk, must_notify_authority=False, reason="Versleuteld."
    )
    po = api_client(officer)
    before = _head()
    page = ok(po.get("/privacy/incidenten/"))
    rows = page.context["rows"]
    assert [row.incident.pk for row in rows] == [decided.pk, late.pk, soon.pk, fresh.pk]
    by_id = {row.incident.pk: row for row in rows}
    assert by_id[late.pk].is_overdue
    assert by_id[late.pk].hours_overdue >= 8
    assert by_id[soon.pk].is_due_soon
    assert not by_id[soon.pk].is_overdue
    assert by_id[fresh.pk].hours_left >= 24
    assert by_id[decided.pk].seconds_left is None
    html = _text(page)
    assert "uur te laat" in html
    assert "Niet melden (besluit)" in html
    [event] = _events_since(before)
    assert (event.action, event.object_type) == (AuditAction.SEARCH, "securityincident")
    assert len(event.object_ids) == 4


def test_bad_incident_input_is_shown_at_the_field(world: World, officer: User) -> None:
    po = api_client(officer)
    future = po.post(
        "/privacy/incidenten/nieuw/",
        {
            "house": world.house.pk,
            "discovered_at": local_minutes(timezone.now() + datetime.timedelta(days=1)),
            "description": "Brief kwijt.",
            "people_affected": "1",
        },
    )
    assert future.status_code == 400
    assert "toekomst" in " ".join(future.context["form"].errors["discovered_at"])
    assert "Brief kwijt." in _text(future)  # nothing typed is lost
    negative = po.post(
        "/privacy/incidenten/nieuw/",
        {
            "house": world.house.pk,
            "discovered_at": local_minutes(timezone.now()),
            "description": "",
            "people_affected": "-1",
            "data_categories": ["nonsense"],
        },
    )
    assert negative.status_code == 400
    assert set(negative.context["form"].errors) == {
        "description",
        "people_affected",
        "data_categories",
    }
    assert not SecurityIncident.objects.exists()


def test_an_incident_closes_only_when_decided_and_notified(officer: User) -> None:
    incident = incident_registered(officer)
    po = api_client(officer)
    url = f"/privacy/incidenten/{incident.pk}/"

    before = _head()
    page = ok(po.get(url))
    [event] = _events_since(before)
    assert (event.action, event.object_type) == (AuditAction.READ, "securityincident")
    assert page.context["actions"] == {"decide", "notify", "notify_authority", "entry"}
    assert "Besluit eerst of de AP gemeld moet worden." in _text(page)

    refused = po.post(f"{url}afsluiten/", incident_at(incident.pk), follow=True)
    assert "Besluit eerst of de AP gemeld moet worden." in _text(refused)
    ok(
        po.post(
            f"{url}besluit/",
            incident_at(incident.pk, must_notify="yes", reason="Risico voor betrokkenen."),
        ),
        302,
    )
    refused = po.post(f"{url}afsluiten/", incident_at(incident.pk), follow=True)
    assert "Leg eerst de melding bij de AP vast." in _text(refused)

    early = po.post(
        f"{url}melding/",
        incident_at(
            incident.pk,
            recipient="authority",
            notified_at=local_minutes(timezone.now() - datetime.timedelta(days=3)),
        ),
    )
    assert early.status_code == 400
    assert "vóór het ontdekken" in _text(early)
    ok(
        po.post(
            f"{url}melding/",
            incident_at(
                incident.pk, recipient="authority", notified_at=local_minutes(timezone.now())
            ),
        ),
        302,
    )
    page = ok(po.get(url))
    assert "notify_authority" not in page.context["actions"]
    assert "close" in page.context["actions"]
    again = po.post(
        f"{url}melding/",
        incident_at(incident.pk, recipient="authority", notified_at=local_minutes(timezone.now())),
    )
    assert again.status_code == 400
    assert "al vastgelegd" in _text(again)
    no_reason = po.post(f"{url}besluit/", incident_at(incident.pk, must_notify="no", reason=""))
    assert no_reason.status_code == 400
    assert "reason" in no_reason.context["decision_form"].errors

    ok(po.post(f"{url}logboek/", {"kind": "note", "text": "Betrokkenen gebeld."}), 302)
    ok(po.post(f"{url}afsluiten/", incident_at(incident.pk)), 302)
    page = ok(po.get(url))
    assert page.context["actions"] == frozenset()
    assert [e.kind for e in page.context["page"].entries] == ["decision", "notification", "note"]
    after = po.post(f"{url}logboek/", {"kind": "note", "text": "Nog iets."})
    assert after.status_code == 400
    assert "Dit incident is afgesloten." in _text(after)
    assert SecurityIncident.objects.get(pk=incident.pk).status == IncidentStatus.CLOSED
