# SPDX-License-Identifier: EUPL-1.2
"""The privacy officer's screens, every route answered with success once, as an officer
clicks them (used by tests/privacy/test_screens.py and the route inventory in tests/audit)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.core.idempotency import FORM_TOKEN
from ketentafel.incidents.models import SecurityIncident
from ketentafel.privacy.models import DataSubjectRequest
from ketentafel.privacy.purge import purge_run
from tests.cases.conftest import World, api_client, make_staff
from tests.privacy.conftest import Someone, active, closed, someone

UUID_IN_PATH = re.compile(r"/([0-9a-f-]{36})/")


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (
        response.status_code,
        response.content.decode(errors="replace")[:4000],
    )
    return response


def created_id(response: Any) -> UUID:
    """The id a register form redirected to (only an opaque UUID stands in the URL)."""
    assert response.status_code == 302, response.content.decode(errors="replace")[:4000]
    match = UUID_IN_PATH.search(response["Location"])
    assert match, response["Location"]
    return UUID(match.group(1))


def local_minutes(moment: datetime.datetime) -> str:
    """A moment as a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def request_at(request_id: object, **data: Any) -> dict[str, Any]:
    """A step's body with the hidden version the request's page shows now."""
    return {**data, "version": str(DataSubjectRequest.objects.get(pk=request_id).version)}


def incident_at(incident_id: object, **data: Any) -> dict[str, Any]:
    """A step's body with the hidden version the incident's page shows now."""
    return {**data, "version": str(SecurityIncident.objects.get(pk=incident_id).version)}


@dataclass(frozen=True)
class ScreenFlowResult:
    request_id: UUID
    incident_id: UUID
    subject: Someone


def privacy_screen_flow(world: World) -> ScreenFlowResult:
    """An officer registers a rectification request and an incident and takes both to the
    end through the screens; a purge leaves a deletion record to list; the officer reads both
    reports."""
    officer = make_staff("po-screens", world.municipality, world.house, Role.PRIVACY_OFFICER)
    po = api_client(officer)
    subject = someone(600)
    active(world, subject)
    closed(world, someone(601))
    today = timezone.localdate()
    purge_run(today=today)
    ok(po.get("/privacy/vernietigingsverklaringen/"))

    # A data subject asks for rectification.
    ok(po.get("/privacy/verzoeken/nieuw/"))
    request_id = created_id(
        po.post(
            "/privacy/verzoeken/nieuw/",
            {
                "house": world.house.pk,
                "kind": "rectification",
                "received_on": today.isoformat(),
                "subject_bsn": subject.bsn,
                "description": "Adres klopt niet.",
            },
        )
    )
    url = f"/privacy/verzoeken/{request_id}/"
    ok(po.get("/privacy/verzoeken/"))
    ok(po.get(url))
    ok(po.post(f"{url}verlengen/", request_at(request_id, reason="Veel partijen betrokken.")), 302)
    ok(po.post(f"{url}in-behandeling/", request_at(request_id)), 302)
    found = ok(po.get(f"{url}gevonden/")).context["found"]
    ok(po.get(f"{url}inzage/?formaat=json"))
    for party_id, _name in found.recipients:
        ok(
            po.post(f"{url}ontvangers/", {"party": party_id, "informed_on": today.isoformat()}),
            302,
        )
    ok(
        po.post(
            f"{url}afsluiten/",
            request_at(request_id, status="completed", outcome="Adres hersteld."),
        ),
        302,
    )

    # A security incident.
    ok(po.get("/privacy/incidenten/nieuw/"))
    incident_id = created_id(
        po.post(
            "/privacy/incidenten/nieuw/",
            {
                "house": world.house.pk,
                "discovered_at": local_minutes(timezone.now() - datetime.timedelta(hours=2)),
                "description": "Een verslag is naar een verkeerd adres gemaild.",
                "people_affected": "1",
                "data_categories": ["ordinary", "justice"],
            },
        )
    )
    url = f"/privacy/incidenten/{incident_id}/"
    ok(po.get("/privacy/incidenten/"))
    ok(po.get(url))
    ok(po.post(f"{url}logboek/", {"kind": "measure", "text": "Ontvanger verzocht te wissen."}), 302)
    ok(
        po.post(
            f"{url}besluit/",
            incident_at(incident_id, must_notify="yes", reason="Justitiële gegevens."),
        ),
        302,
    )
    ok(
        po.post(
            f"{url}melding/",
            incident_at(
                incident_id,
                recipient="authority",
                notified_at=local_minutes(timezone.now()),
                reference="M-2026-0042",
            ),
        ),
        302,
    )
    ok(po.post(f"{url}afsluiten/", incident_at(incident_id)), 302)

    # The reports: the steering group's incident report and the disclosures to third parties.
    ok(po.get("/privacy/rapportage/"))
    today_only = f"?van={today.isoformat()}&tot={today.isoformat()}"
    ok(po.get(f"/privacy/rapportage/{today_only}"))
    ok(po.get(f"/privacy/verstrekkingen/{today_only}"))
    return ScreenFlowResult(request_id=request_id, incident_id=incident_id, subject=subject)


STALE = "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer opnieuw."


def second_officer(world: World) -> User:
    """A second privacy officer of the same house, who changes the record in between."""
    return make_staff("po-2", world.municipality, world.house, Role.PRIVACY_OFFICER)


def updates_of(object_id: object) -> int:
    """How many allowed updates the audit log holds of the object."""
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(object_id), result=Result.ALLOWED
    ).count()


def assert_stale(response: Any, current: int | None) -> str:
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
