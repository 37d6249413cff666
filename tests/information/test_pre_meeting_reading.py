# SPDX-License-Identifier: EUPL-1.2
"""Reading before the meeting takes two keys (Gelderland-Midden art. 13.2d): the supplier's
approval (`Sharing.PRE_MEETING`) and the process coordinator's assessment, made in
consultation with the party that referred the case or holds its casusregie."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import pytest
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from ketentafel.information import selectors, services
from ketentafel.information.models import PreMeetingAssessment, Sharing
from ketentafel.meetings.models import AgendaPurpose
from tests.cases.conftest import World, api_client
from tests.cases.conftest import world as world  # the fixture
from tests.cases.flows import accepted, assess_for_pre_meeting, held_meeting_with, supply
from tests.web.flows import ok

pytestmark = pytest.mark.django_db


def _readable_by_care(world: World, case: Case) -> set[UUID]:
    _access, items = selectors.dossier_for(world.care, case.pk)
    return {item.pk for item in items}


def _assess(world: World, item_id: UUID, **overrides: Any) -> PreMeetingAssessment:
    arguments: dict[str, Any] = {
        "actor": world.pc,
        "item_id": item_id,
        "may_read_before_meeting": True,
        "consulted_party_id": world.police.party_id,
        "consulted_on": timezone.localdate(),
        "assessment": "Met de aanmelder besproken.",
    }
    arguments.update(overrides)
    return services.pre_meeting_assess(**arguments)


@pytest.mark.parametrize(
    ("sharing", "assessed", "readable"),
    [
        (Sharing.PRE_MEETING, None, False),  # the supplier's approval alone
        (Sharing.PRE_MEETING, True, True),  # both keys
        (Sharing.PRE_MEETING, False, False),  # the coordinator assessed: after the meeting
        (Sharing.AFTER_MEETING, True, False),  # the coordinator's assessment alone
        (Sharing.COORDINATION, True, False),
    ],
)
def test_an_item_is_read_before_the_meeting_only_when_both_hold(
    world: World, sharing: Sharing, assessed: bool | None, readable: bool
) -> None:
    case = accepted(world)  # care (pro-persona) takes part; police referred it
    item_id = supply(world, case, world.probation, sharing)
    if assessed is not None:
        assess_for_pre_meeting(world, item_id, may_read=assessed)
    assert (item_id in _readable_by_care(world, Case.objects.get(pk=case.pk))) is readable
    care = api_client(world.care)
    assert care.get(f"/api/v1/items/{item_id}/").status_code == (200 if readable else 404)


def test_after_the_meeting_the_supplier_s_approval_suffices(world: World) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.PRE_MEETING)
    held_meeting_with(world, case, AgendaPurpose.FIRST_DISCUSSION)
    assert item_id in _readable_by_care(world, Case.objects.get(pk=case.pk))


def test_a_later_assessment_replaces_the_earlier_one_and_each_is_audited(world: World) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.PRE_MEETING)
    before = AuditEvent.objects.filter(reason="pre_meeting_assessment").count()
    _assess(world, item_id)
    assert item_id in _readable_by_care(world, case)
    _assess(world, item_id, may_read_before_meeting=False, assessment="Toch niet.")
    assert item_id not in _readable_by_care(world, case)
    assert PreMeetingAssessment.objects.filter(item_id=item_id).count() == 1
    assert AuditEvent.objects.filter(reason="pre_meeting_assessment").count() == before + 2


@pytest.mark.parametrize(
    ("actor", "error"),
    [("ic", NotAllowed), ("probation", NotAllowed), ("care", NotFound), ("housing", NotFound)],
)
def test_only_the_case_s_process_coordinator_assesses(
    world: World, actor: str, error: type[Exception]
) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.PRE_MEETING)
    with pytest.raises(error):
        _assess(world, item_id, actor=getattr(world, actor))
    assert not PreMeetingAssessment.objects.filter(item_id=item_id).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consulted_party": "pro-persona"}, "consulted_party"),
        ({"consulted_on": datetime.date.today() + datetime.timedelta(days=1)}, "consulted_on"),
        ({"consulted_on": datetime.date.today() - datetime.timedelta(days=30)}, "consulted_on"),
        ({"assessment": " "}, "assessment"),
    ],
)
def test_the_assessment_is_made_with_the_referrer_or_the_casusregie_and_explained(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.PRE_MEETING)
    if party := overrides.pop("consulted_party", None):
        overrides["consulted_party_id"] = world.party[party].pk
    with pytest.raises(InvalidInput) as refused:
        _assess(world, item_id, **overrides)
    assert refused.value.field == field


def test_the_casusregie_s_party_may_be_the_one_consulted(world: World) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.PRE_MEETING)
    Case.objects.filter(pk=case.pk).update(
        case_coordinator_party=world.party["reclassering-nederland"]
    )
    assessed = _assess(world, item_id, consulted_party_id=world.party["reclassering-nederland"].pk)
    assert assessed.consulted_party_id == world.party["reclassering-nederland"].pk


def test_a_closed_case_is_not_assessed(world: World) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.PRE_MEETING)
    Case.objects.filter(pk=case.pk).update(phase="declined")
    with pytest.raises(InvalidTransition):
        _assess(world, item_id)


def test_the_assessment_screen_shows_both_keys_and_records_the_coordinator_s(
    world: World,
) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.PRE_MEETING)
    pc = api_client(world.pc)
    dossier = ok(pc.get(f"/casussen/{case.pk}/dossier/")).content.decode()
    assert f"/items/{item_id}/beoordelen/" in dossier
    assert "nog niet beoordeeld" in dossier
    page = ok(pc.get(f"/items/{item_id}/beoordelen/")).content.decode()
    assert "Akkoord van de leverancier" in page
    assert "ja, ook vóór het overleg" in page
    refused = pc.post(
        f"/items/{item_id}/beoordelen/",
        {
            "may_read_before_meeting": "yes",
            "consulted_party": world.police.party_id,
            "consulted_on": timezone.localdate().isoformat(),
            "assessment": "",
        },
    )
    assert refused.status_code == 400
    done = pc.post(
        f"/items/{item_id}/beoordelen/",
        {
            "may_read_before_meeting": "yes",
            "consulted_party": world.police.party_id,
            "consulted_on": timezone.localdate().isoformat(),
            "assessment": "Met de politie besproken.",
        },
    )
    assert done.status_code == 302
    assert item_id in _readable_by_care(world, case)
    # A participant reads both keys on the item's page, and may not assess.
    care_page = ok(api_client(world.care).get(f"/items/{item_id}/beoordelen/")).content.decode()
    assert "Met de politie besproken." in care_page
    assert "Beoordeling vastleggen" not in care_page


def test_the_api_records_the_assessment_beside_the_supplier_s_approval(world: World) -> None:
    case = accepted(world)
    item_id = supply(world, case, world.probation, Sharing.AFTER_MEETING)
    body = {
        "may_read_before_meeting": True,
        "consulted_party": world.police.party_id,
        "consulted_on": timezone.localdate().isoformat(),
        "assessment": "Nodig ter voorbereiding.",
    }
    probation = api_client(world.probation)
    assert (
        probation.put(
            f"/api/v1/items/{item_id}/pre-meeting-assessment/", body, format="json"
        ).status_code
        == 403
    )
    answer = ok(
        api_client(world.pc).put(
            f"/api/v1/items/{item_id}/pre-meeting-assessment/", body, format="json"
        )
    ).json()
    assert answer["may_read_before_meeting"] is True
    assert answer["supplier_approved"] is False
    assert item_id not in _readable_by_care(world, case)
