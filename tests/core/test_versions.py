# SPDX-License-Identifier: EUPL-1.2
"""No lost updates: a change made from a replaced version is refused and changes nothing."""

from __future__ import annotations

import re

import pytest

from ketentafel.accounts.models import Role
from ketentafel.core.errors import DomainError
from ketentafel.core.versions import expected_version
from ketentafel.information.models import InformationItem, Sharing
from ketentafel.plans.models import Action
from tests.cases.conftest import World, api_client, make_staff, world  # noqa: F401
from tests.cases.flows import accepted, active_case, consulted_form, in_triage, supply

pytestmark = pytest.mark.django_db

STALE = "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer opnieuw."


@pytest.mark.parametrize(
    ("header", "version"),
    [('"3"', 3), ("*", None), (' "12" ', 12), ('W/"3"', -1), ('"a"', -1), ('"1", "2"', -1)],
)
def test_if_match_names_one_strong_version_or_any(header: str, version: int | None) -> None:
    assert expected_version(header) == version


@pytest.mark.parametrize("header", [None, "", "  "])
def test_a_missing_if_match_is_428(header: str | None) -> None:
    with pytest.raises(DomainError) as raised:
        expected_version(header)
    assert raised.value.status == 428


def test_two_sharing_changes_from_one_etag_the_second_is_412_and_the_first_stays(
    world: World,  # noqa: F811
) -> None:
    item_id = supply(world, accepted(world), world.police, Sharing.PRE_MEETING)
    police = api_client(world.police)
    url = f"/api/v1/items/{item_id}/sharing/"
    read = police.get(f"/api/v1/items/{item_id}/")
    assert read["ETag"] == '"1"'

    first = police.put(url, {"sharing": "coordination"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert first.status_code == 200, first.content
    assert first["ETag"] == '"2"'
    second = police.put(
        url, {"sharing": "after_meeting"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert second.status_code == 412
    assert second["Content-Type"] == "application/problem+json"
    problem = second.json()
    assert (problem["status"], problem["current_version"]) == (412, 2)
    assert "De huidige versie is 2" in problem["detail"]
    assert second["ETag"] == '"2"'
    item = InformationItem.objects.get(pk=item_id)
    assert (item.sharing, item.version) == (Sharing.COORDINATION, 2)

    missing = police.put(url, {"sharing": "after_meeting"}, format="json")
    assert missing.status_code == 428
    assert missing.json()["title"] == "Versie vereist"
    assert InformationItem.objects.get(pk=item_id).sharing == Sharing.COORDINATION


def test_a_stale_sharing_form_shows_the_message_and_the_current_state(
    world: World,  # noqa: F811
) -> None:
    item_id = supply(world, accepted(world), world.police, Sharing.PRE_MEETING)
    police = api_client(world.police)
    page = police.get(f"/items/{item_id}/delen/").content.decode()
    assert f'name="s-{item_id}-version" value="1"' in page
    # A colleague saves first, from the same page.
    saved = police.post(
        f"/items/{item_id}/delen/",
        {f"s-{item_id}-sharing": "coordination", f"s-{item_id}-version": "1"},
    )
    assert saved.status_code == 302
    stale = police.post(
        f"/items/{item_id}/delen/",
        {f"s-{item_id}-sharing": "after_meeting", f"s-{item_id}-version": "1"},
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    assert STALE in html
    # The form shows the state as it is now, with its version, ready for a new try.
    assert f'name="s-{item_id}-version" value="2"' in html
    assert re.search(r'<input[^>]*value="coordination"[^>]*checked', html), html
    item = InformationItem.objects.get(pk=item_id)
    assert (item.sharing, item.version) == (Sharing.COORDINATION, 2)


def test_a_stale_action_change_form_changes_nothing(world: World) -> None:  # noqa: F811
    _case_id, action_id = active_case(world)
    pc = api_client(world.pc)
    url = f"/acties/{action_id}/wijzigen/"
    due = Action.objects.get(pk=action_id).due_on.isoformat()
    form = {"what": "Eerst", "due_on": due, "status": "open", "version": "1"}
    assert pc.post(url, form).status_code == 302
    stale = pc.post(url, form | {"what": "Daarna"})
    assert stale.status_code == 409
    assert STALE in stale.content.decode()
    assert 'name="version" value="2"' in stale.content.decode()
    # A submit without a version came from no page that showed the action: the same answer.
    assert STALE in pc.post(url, {k: v for k, v in form.items() if k != "version"}).content.decode()
    assert Action.objects.get(pk=action_id).what == "Eerst"


def test_a_stale_status_report_answers_the_row_as_it_is_now(world: World) -> None:  # noqa: F811
    _case_id, action_id = active_case(world)
    probation = api_client(world.probation)
    url = f"/acties/{action_id}/status/"
    assert probation.post(url, {"status": "done", "version": "1"}).status_code == 302
    row = probation.post(url, {"status": "cancelled", "version": "1"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    html = row.content.decode()
    assert STALE in html
    assert 'name="version" value="2"' in html
    assert Action.objects.get(pk=action_id).status == "done"


def test_the_loser_of_two_triage_decisions_on_the_screen_reads_what_happened(
    world: World,  # noqa: F811
) -> None:
    case = in_triage(world)
    other = make_staff("manager2", world.municipality, world.house, Role.LOCATION_MANAGER)
    body = {"outcome": "not_for_house", "explanation": "Lokaal oppakken.", **consulted_form()}
    first = api_client(world.manager).post(f"/casussen/{case.pk}/triage/", body)
    assert first.status_code == 302
    late = api_client(other)
    second = late.post(f"/casussen/{case.pk}/triage/", body)
    assert (second.status_code, second["Location"]) == (302, "/casussen/")
    page = late.get("/casussen/").content.decode()
    assert "Over deze casus is al besloten (Geen casus voor het huis)" in page
    assert case.triage_decisions.count() == 1
