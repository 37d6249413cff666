# SPDX-License-Identifier: EUPL-1.2
"""The screens offer a case only meetings of bodies that discuss its track, and a meeting only
cases of its body's tracks; what is posted anyway is refused at the field, nothing stored. The
covenant page shows which tracks each body serves."""

from __future__ import annotations

import re

import pytest

from ketentafel.meetings.models import AgendaItem, AgendaPurpose
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.meetings.test_body_tracks import meeting_of, radicalisation
from tests.web.flows import ok

pytestmark = pytest.mark.django_db


def test_the_case_page_offers_only_meetings_of_the_cases_track(world: World) -> None:
    complex_case = flows.accepted(world)
    radical_case = flows.accepted(radicalisation(world))
    mdo = meeting_of(world, "mdo-arnhem")
    radical_meeting = meeting_of(world, "casusoverleg-radicalisering")
    pc = api_client(world.pc)

    page = ok(pc.get(f"/casussen/{complex_case.pk}/")).content.decode()
    assert f'value="{mdo.pk}"' in page
    assert f'value="{radical_meeting.pk}"' not in page
    page = ok(pc.get(f"/casussen/{radical_case.pk}/")).content.decode()
    assert f'value="{radical_meeting.pk}"' in page
    assert f'value="{mdo.pk}"' not in page

    # Posted anyway: refused at the meeting field, nothing on any agenda.
    refused = pc.post(
        f"/casussen/{complex_case.pk}/agenderen/",
        {"meeting": str(radical_meeting.pk), "purpose": "first_discussion"},
    )
    assert refused.status_code == 400
    assert 'href="#id_meeting"' in refused.content.decode()
    # Only the weegploeg's item of the radicalisation case's weging.
    assert not AgendaItem.objects.exclude(purpose=AgendaPurpose.TRIAGE).exists()


def test_the_agenda_search_offers_only_cases_of_the_bodys_tracks(world: World) -> None:
    complex_case = flows.accepted(world)  # both cases: Jan de Vries
    radical_case = flows.accepted(radicalisation(world))
    radical_meeting = meeting_of(world, "casusoverleg-radicalisering")
    pc = api_client(world.pc)

    html = ok(
        pc.post(f"/overleggen/{radical_meeting.pk}/zoeken/", {"search": "Vries"})
    ).content.decode()
    assert f'value="{radical_case.pk}"' in html
    assert f'value="{complex_case.pk}"' not in html


def test_a_case_of_another_track_posted_to_a_meeting_is_refused_at_the_search(
    world: World,
) -> None:
    complex_case = flows.accepted(world)
    radical_meeting = meeting_of(world, "casusoverleg-radicalisering")
    response = api_client(world.pc).post(
        f"/overleggen/{radical_meeting.pk}/",
        {"case": str(complex_case.pk), "purpose": "first_discussion"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_search"' in html
    assert "bespreekt geen casussen van het werkproces" in html
    assert not AgendaItem.objects.exists()


def test_the_covenant_page_shows_the_tracks_each_body_serves(world: World) -> None:
    html = ok(api_client(world.pc).get("/convenant/gelderland-midden/")).content.decode()
    assert '<th scope="col">Werkprocessen</th>' in html
    rows = {
        label: row
        for row in re.findall(r"<tr><td>.*?</tr>", html)
        for label in [row[8:].split("<")[0]]
    }
    assert "<td>Radicalisering</td>" in rows["Casusoverleg radicalisering"]
    assert "<td>Integrale veiligheid en Complexe Multi-Problematiek</td>" in rows["MDO"]
    assert (
        "<td>Casus Overleg Beschermd (COB), Integrale veiligheid en Complexe "
        "Multi-Problematiek</td>"
    ) in rows["Triage-overleg"]
    assert (
        '<td>\N{EN DASH}</td><td class="muted">Convenant 2020, art. 6' in rows["Kerngroep overleg"]
    )


def test_the_case_screens_name_the_bodies_of_the_cases_track(world: World) -> None:
    manager = api_client(world.manager)
    complex_case = flows.in_triage(world)
    radical_case = flows.in_triage(radicalisation(world))
    triage = ok(manager.get(f"/casussen/{complex_case.pk}/triage/")).content.decode()
    assert '<h1 class="utrecht-heading-1">Triage-overleg</h1>' in triage
    triage = ok(manager.get(f"/casussen/{radical_case.pk}/triage/")).content.decode()
    assert '<h1 class="utrecht-heading-1">Weegploeg radicalisering</h1>' in triage
    # Accepted, with no meeting planned: the case page names the track's own case meeting
    # (before, the first by label: the Casusoverleg radicalisering for every case).
    pc = api_client(world.pc)
    case = flows.accepted(radicalisation(world))
    page = ok(pc.get(f"/casussen/{case.pk}/")).content.decode()
    assert "Er is geen gepland Casusoverleg radicalisering." in page
    page = ok(pc.get(f"/casussen/{flows.accepted(world).pk}/")).content.decode()
    assert "Er is geen gepland MDO." in page


def test_the_scheduling_form_names_the_tracks_each_case_meeting_serves(world: World) -> None:
    page = ok(api_client(world.secretary).get("/overleggen/")).content.decode()
    options = {
        value: label.strip()
        for value, label in re.findall(
            r'<option value="(\d+)"[^>]*>([^<]*)</option>',
            page.split('name="body"')[1].split("</select>")[0],
        )
    }
    assert "MDO (Integrale veiligheid en Complexe Multi-Problematiek)" in options.values()
    assert "Casusoverleg radicalisering (Radicalisering)" in options.values()
