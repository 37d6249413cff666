# SPDX-License-Identifier: EUPL-1.2
"""The management information screen and its downloads, through Django's test client."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ketentafel.accounts.models import Role
from ketentafel.accounts.services import house_role_grant
from ketentafel.privacy.purge import purge_run
from tests.cases.conftest import World, api_client, make_staff
from tests.cases.flows import referred
from tests.privacy.conftest import closed, days_later, someone

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

URL = "/managementinformatie/"


def _text(response: Any) -> str:
    return str(response.content.decode())


def _period() -> dict[str, str]:
    today = timezone.localdate()
    return {"van": (today - datetime.timedelta(days=7)).isoformat(), "tot": today.isoformat()}


def _world_with_cases(world: World) -> None:
    closed(world, someone(1))
    purge_run(today=days_later(400))
    for _ in range(5):
        referred(world)


def test_a_manager_reads_the_figures_of_this_year_without_personal_data(world: World) -> None:
    _world_with_cases(world)

    response = api_client(world.manager).get(URL)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = _text(response)
    assert "Managementinformatie" in page
    assert f'value="{timezone.localdate().replace(month=1, day=1).isoformat()}"' in page
    assert "<caption>" in page
    assert '<th scope="row">Aangemeld</th><td>6</td>' in page
    assert '<th scope="row">Geaccepteerd</th><td>&lt;5</td>' in page
    assert "te weinig casussen" in page
    assert '<meter class="bar" aria-hidden="true" min="0" max="6" value="6">' in page
    assert "de Vries" not in page
    assert "111222333" not in page


def test_the_navigation_offers_the_figures_to_managers_and_the_steering_group(
    world: World,
) -> None:
    steering = make_staff("stuur", world.municipality, world.house, Role.STEERING_MEMBER)
    for user in (world.manager, steering):
        assert f'href="{URL}"' in _text(api_client(user).get("/")), user.username
        assert api_client(user).get(URL).status_code == 200
    for user in (world.police, world.pc):
        assert f'href="{URL}"' not in _text(api_client(user).get("/")), user.username


def test_partners_and_process_coordinators_are_refused(world: World) -> None:
    for user in (world.police, world.pc):
        assert api_client(user).get(URL).status_code == 403, user.username
        assert api_client(user).get(URL, {**_period(), "formaat": "csv"}).status_code == 403


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"van": "2026-03-01", "tot": "2026-02-01"}, "tot", "De einddatum ligt vóór de begindatum"),
        ({"van": "gisteren", "tot": "2026-02-01"}, "van", "Vul een geldige datum in"),
        ({"van": "2026-03-01", "tot": ""}, "tot", ""),
        ({"van": "1900-01-01", "tot": "2026-02-01"}, "van", "hoogstens tien jaar"),
    ],
)
def test_a_bad_period_is_shown_at_the_field(
    world: World, data: dict[str, str], field: str, message: str
) -> None:
    response = api_client(world.manager).get(URL, data)

    assert response.status_code == 400
    page = _text(response)
    assert f'id="id_{field}-error"' in page
    assert message in page
    assert 'id="error-summary"' in page or "error-summary" in page
    assert "<caption>" not in page
    # No download either.
    again = api_client(world.manager).get(URL, {**data, "formaat": "csv"})
    assert again.status_code == 400
    assert again["Content-Type"].startswith("text/html")


def test_a_house_choice_for_several_houses_and_no_other_house(world: World) -> None:
    manager = world.manager
    house_role_grant(actor=None, user=manager, house_id=world.other_house.pk, role=Role.MANAGER)
    referred(world)
    client = api_client(manager)

    page = _text(client.get(URL))
    assert 'name="huis"' in page
    only_other = _text(client.get(URL, {**_period(), "huis": world.other_house.pk}))
    assert '<th scope="row">Aangemeld</th><td>0</td>' in only_other
    both = _text(client.get(URL, _period()))
    assert '<th scope="row">Aangemeld</th><td>&lt;5</td>' in both
    # A single-house manager has no choice, and another house is not a valid one.
    single = api_client(make_staff("solo", world.municipality, world.house, Role.MANAGER))
    assert 'name="huis"' not in _text(single.get(URL))
    assert single.get(URL, {**_period(), "huis": world.other_house.pk}).status_code == 200
    assert client.get(URL, {**_period(), "huis": 999999}).status_code == 400


def test_the_csv_download_holds_the_suppressed_figures(world: World) -> None:
    _world_with_cases(world)

    response = api_client(world.manager).get(URL, {**_period(), "formaat": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="managementinfo')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Onderdeel", "Omschrijving", "Aantal of mediaan (dagen)", "Casussen"]
    values = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert values[("Totalen", "Aangemeld")] == "6"
    assert values[("Totalen", "Geaccepteerd")] == "<5"
    assert values[("Totalen", "Afgeschaald: Overgedragen aan een partij")] == "0"
    assert values[("Aanmeldingen per thema", world.themes[0].name)] == "6"
    assert values[("Doorlooptijd (mediaan in dagen)", "Aanmelding tot afschaling")] == ""
    counts = [r[2] for r in rows[1:] if r[0] != "Periode"] + [r[3] for r in rows[1:]]
    assert not {"1", "2", "3", "4"} & set(counts)


def test_the_xlsx_download_holds_the_same_rows(world: World) -> None:
    _world_with_cases(world)
    client = api_client(world.manager)

    response = client.get(URL, {**_period(), "formaat": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    values = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert values[("Totalen", "Aangemeld")] == 6
    assert values[("Totalen", "Geaccepteerd")] == "<5"
    assert values[("Totalen", "Bij triage afgewezen (geen casus voor het huis)")] == 0
    assert not any(isinstance(r[2], int) and 0 < r[2] < 5 for r in rows[1:])
    as_csv = client.get(URL, {**_period(), "formaat": "csv"}).content.decode("utf-8-sig")
    assert len(rows) == len(as_csv.strip().splitlines())


def test_a_name_that_looks_like_a_formula_is_not_evaluated_by_a_spreadsheet(
    world: World,
) -> None:
    theme = world.themes[0]
    theme.name = "=HYPERLINK(1)"
    theme.save()
    for _ in range(5):
        referred(world)
    client = api_client(world.manager)

    as_csv = client.get(URL, {**_period(), "formaat": "csv"}).content.decode("utf-8-sig")
    assert ";'=HYPERLINK(1);5;" in as_csv
    book = load_workbook(io.BytesIO(client.get(URL, {**_period(), "formaat": "xlsx"}).content))
    labels = [row[1] for row in book.active.iter_rows(values_only=True)]
    assert "'=HYPERLINK(1)" in labels
