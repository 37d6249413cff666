# SPDX-License-Identifier: EUPL-1.2
"""Every privacy route answered with success once, for the route inventory (tests/audit)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Case
from ketentafel.privacy.purge import purge_run
from tests.cases.conftest import World, make_staff
from tests.privacy.conftest import active, closed, someone


def _ok(response, code: int = 200):  # type: ignore[no-untyped-def]
    assert response.status_code == code, response.content.decode()
    return response.json() if response["Content-Type"].startswith("application/json") else None


def privacy_flow(world: World) -> None:
    officer = make_staff("po-flow", world.municipality, world.house, Role.PRIVACY_OFFICER)
    po = world.api(officer)
    subject = someone(500)
    active(world, subject)
    old = active(world, someone(501))
    Case.objects.filter(pk=old.pk).update(referred_at=timezone.now() - datetime.timedelta(days=700))
    closed(world, someone(502))
    today = timezone.localdate()
    period = f"since={today.isoformat()}&until={(today + datetime.timedelta(days=1)).isoformat()}"
    _ok(po.get(f"/api/v1/privacy/disclosures/?{period}"))
    purge_run(today=today)

    _ok(po.get("/api/v1/privacy/deletions/"))
    _ok(world.api(world.pc).get("/api/v1/privacy/open-case-flags/"))

    base = "/api/v1/privacy/requests/"
    request = _ok(
        po.post(
            base,
            {
                "house": world.house.pk,
                "kind": "rectification",
                "received_on": today.isoformat(),
                "subject_bsn": subject.bsn,
            },
            format="json",
        ),
        201,
    )
    url = f"{base}{request['id']}/"
    _ok(po.get(base))
    _ok(po.get(url))
    extended = _ok(
        po.post(
            f"{url}extend/",
            {"reason": "Veel partijen betrokken"},
            format="json",
            HTTP_IF_MATCH=f'"{request["version"]}"',
        )
    )
    started = _ok(
        po.post(
            f"{url}status/",
            {"status": "in_progress"},
            format="json",
            HTTP_IF_MATCH=f'"{extended["version"]}"',
        )
    )
    found = _ok(po.get(f"{url}matches/"))
    _ok(po.get(f"{url}export/?as=json"))
    _ok(po.get(f"{url}export/?as=pdf"))
    for recipient in found["recipients"]:
        _ok(
            po.post(
                f"{url}notices/",
                {"party": recipient["party_id"], "informed_on": today.isoformat()},
                format="json",
            ),
            201,
        )
    _ok(
        po.post(
            f"{url}status/",
            {"status": "completed", "outcome": "Hersteld."},
            format="json",
            HTTP_IF_MATCH=f'"{started["version"]}"',
        )
    )

    incidents = "/api/v1/privacy/incidents/"
    incident = _ok(
        po.post(
            incidents,
            {
                "house": world.house.pk,
                "discovered_at": timezone.now().isoformat(),
                "description": "USB-stick kwijt.",
                "people_affected": 2,
                "data_categories": ["ordinary"],
            },
            format="json",
        ),
        201,
    )
    url = f"{incidents}{incident['id']}/"
    _ok(po.get(incidents))
    tag = po.get(url)["ETag"]
    _ok(
        po.post(
            f"{url}entries/", {"kind": "measure", "text": "Wachtwoorden gewijzigd."}, format="json"
        )
    )
    tag = po.post(
        f"{url}decision/",
        {"must_notify_authority": False, "reason": "Versleuteld."},
        format="json",
        HTTP_IF_MATCH=tag,
    )["ETag"]
    tag = po.post(
        f"{url}notifications/",
        {"recipient": "subjects", "notified_at": timezone.now().isoformat()},
        format="json",
        HTTP_IF_MATCH=tag,
    )["ETag"]
    _ok(po.post(f"{url}close/", HTTP_IF_MATCH=tag))
    _ok(po.get(f"{incidents}report/?{period}"))
