# SPDX-License-Identifier: EUPL-1.2
"""The process of a meeting, walked through the services.

The table is written out by hand from Bijlage 3 (casusoverleg: a planned meeting gets its
agenda, what it said and decided is recorded, it is held on its day, a cancelled one takes no
record); `meetings.workflow` must declare exactly it. Every (status, step) pair is taken through
the service: allowed, it succeeds; refused, the refusal names the step and the status and
nothing changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Meeting, MeetingStatus
from ketentafel.meetings.workflow import MEETING
from tests.cases.conftest import World
from tests.cases.conftest import world as world  # the fixture
from tests.cases.flows import accepted
from tests.workflow import declared, refused

pytestmark = pytest.mark.django_db

PLANNED, HELD, CANCELLED = (s.value for s in MeetingStatus)

TABLE: dict[str, tuple[set[str], str | None]] = {
    "add_agenda_item": ({PLANNED}, None),
    "record": ({PLANNED, HELD}, None),
    "hold": ({PLANNED}, HELD),
}


def test_the_machine_declares_exactly_the_expected_table() -> None:
    assert declared(MEETING) == TABLE


def _meeting_in(world: World, status: str) -> tuple[Meeting, AgendaItem, Case]:
    """A meeting of today with one agenda item (a review: no first-discussion data needed to
    hold it), and a second accepted case not yet on it; then put in `status`."""
    on_agenda = accepted(world)
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    item = meeting_services.agenda_item_add(
        actor=world.pc,
        meeting_id=meeting.pk,
        case_id=on_agenda.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    meeting_services.agenda_item_record(
        actor=world.secretary,
        agenda_item_id=item.pk,
        informs_client="Reclassering",
        on_arrest="Melden.",
        closure_criteria="Doel bereikt.",
        case_coordinator_party_id=world.party["reclassering-nederland"].pk,
    )
    waiting = accepted(world)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    return Meeting.objects.get(pk=meeting.pk), item, waiting


def _steps(
    world: World, meeting: Meeting, item: AgendaItem, waiting: Case
) -> dict[str, Callable[[], object]]:
    return {
        "add_agenda_item": lambda: meeting_services.agenda_item_add(
            actor=world.pc,
            meeting_id=meeting.pk,
            case_id=waiting.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        ),
        "record": lambda: meeting_services.agenda_item_record(
            actor=world.secretary, agenda_item_id=item.pk, minutes="Besproken."
        ),
        "hold": lambda: meeting_services.meeting_hold(actor=world.secretary, meeting_id=meeting.pk),
    }


def _snapshot(meeting: Meeting) -> tuple[Any, ...]:
    return (
        Meeting.objects.values().get(pk=meeting.pk),
        list(AgendaItem.objects.filter(meeting=meeting).values().order_by("position")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("state", [PLANNED, HELD, CANCELLED])
@pytest.mark.parametrize("step", list(TABLE))
def test_every_step_in_every_status(world: World, step: str, state: str) -> None:
    meeting, item, waiting = _meeting_in(world, state)
    sources, target = TABLE[step]
    take = _steps(world, meeting, item, waiting)[step]
    if state in sources:
        take()
        assert Meeting.objects.get(pk=meeting.pk).status == (target or state)
    else:
        refused(take, lambda: _snapshot(meeting), MEETING, step, state)


def test_a_meeting_is_held_on_its_day_and_not_before(world: World) -> None:
    meeting, _item, _waiting = _meeting_in(world, PLANNED)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    refusal = refused(
        lambda: meeting_services.meeting_hold(actor=world.secretary, meeting_id=meeting.pk),
        lambda: _snapshot(meeting),
        MEETING,
        "hold",
        PLANNED,
    )
    assert "op de dag zelf" in refusal.message
