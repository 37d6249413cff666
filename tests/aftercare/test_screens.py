# SPDX-License-Identifier: EUPL-1.2
"""The nazorg screens through Django's test client: registering the notification, and the case
page's panel with the traffic light."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from ketentafel.aftercare.models import BasicConditionStatus, DetentionNotification
from ketentafel.cases.models import Case, Phase
from tests.aftercare.conftest import Nazorg, days_ago, nazorg, notified, taken_up, world
from tests.cases import flows
from tests.cases.conftest import api_client
from tests.web.flows import ok

__all__ = ["nazorg", "world"]

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def notification_form(nazorg: Nazorg, **overrides: str) -> dict[str, str]:
    form = {
        "given_names": "Karim",
        "surname": "Voorbeeld-Nazorg",
        "birth_date": "1988-03-09",
        "bsn": "123456782",
        "institution": "PI Arnhem",
        "detention_start": days_ago(60).isoformat(),
        "detention_end": "",
        "expected_release": (timezone.localdate()).isoformat(),
        "municipality": str(nazorg.world.municipality.pk),
        "house": "",
        "dji_party": "",
    }
    form.update(overrides)
    return form


def test_dji_registers_a_notification_on_its_screen(nazorg: Nazorg) -> None:
    dji = api_client(nazorg.dji)
    referral = ok(dji.get("/aanmelden/")).content.decode()
    assert 'href="/nazorg/detentiemelding/"' in referral
    page = ok(dji.get("/nazorg/detentiemelding/")).content.decode()
    assert "Gemeente van terugkeer" in page
    # DJI reports for its own institution: the screen offers no choice of one.
    assert 'name="dji_party"' not in page

    response = dji.post("/nazorg/detentiemelding/", notification_form(nazorg))
    assert response.status_code == 302, response.content.decode()
    notification = DetentionNotification.objects.get()
    assert response["Location"] == f"/casussen/{notification.case_id}/"
    assert notification.case.phase == Phase.REFERRED


def test_a_wrong_date_is_shown_at_its_field_and_nothing_is_stored(nazorg: Nazorg) -> None:
    response = api_client(nazorg.dji).post(
        "/nazorg/detentiemelding/",
        notification_form(nazorg, expected_release=days_ago(90).isoformat()),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_expected_release"' in html
    assert "vóór het begin van de detentie" in html
    assert not Case.objects.exists()


def test_the_screen_is_for_dji_and_process_coordinators(nazorg: Nazorg) -> None:
    world = nazorg.world
    police = api_client(world.police)
    assert police.get("/nazorg/detentiemelding/").status_code == 403
    assert "/nazorg/detentiemelding/" not in ok(police.get("/aanmelden/")).content.decode()
    # The referral form does not offer the nazorg track: that case starts from the notification.
    referral = ok(police.get("/aanmelden/")).content.decode()
    assert f'value="{nazorg.track.pk}">{nazorg.track.name}</option>' not in referral
    assert f"{world.track.name}</option>" in referral
    pc = api_client(world.pc)
    page = ok(pc.get("/nazorg/detentiemelding/")).content.decode()
    assert f'value="{nazorg.dji_party.pk}"' in page  # on whose behalf the coordinator reports


def test_the_case_page_shows_the_notification_and_the_lights_to_set(nazorg: Nazorg) -> None:
    world = nazorg.world
    case = taken_up(nazorg)
    pc = api_client(world.pc)
    page = ok(pc.get(f"/casussen/{case.pk}/")).content.decode()
    assert "Detentiemelding" in page
    assert "PI Arnhem" in page
    assert page.count("Onbekend</span>") == 5
    assert 'action="/casussen/' + str(case.pk) + '/basisvoorwaarden/"' in page

    response = pc.post(
        f"/casussen/{case.pk}/basisvoorwaarden/",
        {"condition": "housing", "status": "red", "note": "Geen woning na vrijlating."},
    )
    assert response.status_code == 302
    page = ok(pc.get(f"/casussen/{case.pk}/")).content.decode()
    assert re.search(r"Huisvesting</th><td><span class=\"status status--error\">Rood", page)
    assert "Geen woning na vrijlating." in page
    assert "Geschiedenis (1 wijziging)" in page
    assert world.pc.get_full_name() in page

    # A refused setting comes back on the case page, at its field.
    refused = pc.post(f"/casussen/{case.pk}/basisvoorwaarden/", {"condition": "housing"})
    assert refused.status_code == 400
    assert 'href="#id_status_0"' in refused.content.decode()

    # DJI reads the lights but gets no form, and posting anyway is refused.
    dji = api_client(nazorg.dji)
    seen = ok(dji.get(f"/casussen/{case.pk}/")).content.decode()
    assert "Geen woning na vrijlating." in seen
    assert "/basisvoorwaarden/" not in seen
    denied = dji.post(
        f"/casussen/{case.pk}/basisvoorwaarden/", {"condition": "care", "status": "green"}
    )
    assert denied.status_code == 403
    assert BasicConditionStatus.objects.count() == 1


def test_no_panel_on_a_case_of_another_track(nazorg: Nazorg) -> None:
    world = nazorg.world
    case = flows.in_enrichment(world)
    page = ok(api_client(world.pc).get(f"/casussen/{case.pk}/")).content.decode()
    assert "Basisvoorwaarden" not in page
    referred = notified(nazorg).case
    page = ok(api_client(world.pc).get(f"/casussen/{referred.pk}/")).content.decode()
    assert "Basisvoorwaarden" in page
    assert "/basisvoorwaarden/" not in page  # no coordinator yet: nobody sets a light
