# SPDX-License-Identifier: EUPL-1.2
"""The lean reads behind the meeting and own-actions screens give what the full reads give:
the same items for the same reader, the same audit event, the same overdue marks."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case
from ketentafel.covenants.models import DecisionType
from ketentafel.meetings import selectors as meeting_selectors
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose, Meeting
from ketentafel.plans import selectors as plan_selectors
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.web.flows import ok

pytestmark = pytest.mark.django_db


def _meeting_with_two_cases(world: World) -> tuple[Meeting, Case, Case]:
    first = flows.accepted(world)
    second = flows.accepted(world)
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    items = [
        meeting_services.agenda_item_add(
            actor=world.pc, meeting_id=meeting.pk, case_id=case.pk, purpose=purpose
        )
        for case, purpose in (
            (first, AgendaPurpose.FIRST_DISCUSSION),
            (second, AgendaPurpose.FIRST_DISCUSSION),
        )
    ]
    decision_type = DecisionType.objects.first()
    assert decision_type is not None
    meeting_services.agenda_item_record(
        actor=world.secretary,
        agenda_item_id=items[1].pk,
        minutes="Besproken <met> iedereen.",
        progress="Gaat goed.",
        decisions=[
            meeting_services.DecisionInput(text="Zonder soort."),
            meeting_services.DecisionInput(text="Met soort.", decision_type_id=decision_type.pk),
        ],
    )
    return meeting, first, second


def _last_meeting_event(user_id: int) -> AuditEvent:
    return AuditEvent.objects.filter(actor_id=user_id, object_type="meeting").order_by("-seq")[0]


def test_the_meeting_screen_shows_and_records_what_the_full_read_does(world: World) -> None:
    meeting, _first, second = _meeting_with_two_cases(world)
    for user in (world.secretary, world.probation):
        full = meeting_selectors.meeting_for(user, meeting.pk)
        full_event = _last_meeting_event(user.pk)
        page = meeting_selectors.meeting_page_for(user, meeting.pk)
        page_event = _last_meeting_event(user.pk)
        assert page_event.seq > full_event.seq
        assert [row.pk for row in page.items] == [item.pk for item in full.items]
        assert page_event.object_ids == full_event.object_ids
        assert page_event.person_ids == full_event.person_ids
        assert page_event.person_ids
        assert (page_event.action, page_event.purpose) == (full_event.action, full_event.purpose)
        assert page.may_organise == full.may_organise
        for row, item in zip(page.items, full.items, strict=True):
            persons = list(item.case.persons.all())
            assert row.title == (
                f"{persons[0].given_names} {persons[0].surname}"
                if persons
                else item.case.get_subject_kind_display()
            )
            assert row.purpose == item.get_purpose_display()
            assert row.parties == [
                f"{cp.party.name} ({cp.role})" for cp in item.case.case_parties.all()
            ]
            assert row.decisions == [
                (d.decision_type.label if d.decision_type else None, d.text)
                for d in item.decisions.all()
            ]
            assert (row.minutes, row.progress) == (item.minutes, item.progress)
    # Probation takes part in both cases; housing in neither.
    assert len(meeting_selectors.meeting_page_for(world.housing, meeting.pk).items) == 0
    assert second.pk in {
        row.case_id for row in meeting_selectors.meeting_page_for(world.probation, meeting.pk).items
    }


def test_the_meeting_page_escapes_and_marks_untyped_decisions(world: World) -> None:
    meeting, _first, _second = _meeting_with_two_cases(world)
    html = ok(api_client(world.secretary).get(f"/overleggen/{meeting.pk}/")).content.decode()
    assert "Besproken &lt;met&gt; iedereen." in html
    assert '<li class="utrecht-unordered-list__item">Zonder soort.</li>' in html
    assert "</strong> Met soort.</li>" in html
    assert "Genodigde partijen" in html
    assert "), " in html


def test_own_actions_mark_overdue_and_keep_one_order(world: World) -> None:
    case_id, first = flows.active_case(world)
    due = timezone.localdate() + datetime.timedelta(days=5)
    more = [
        plan_services.action_add(
            actor=world.pc,
            case_id=case_id,
            owner_party_id=world.party["reclassering-nederland"].pk,
            owner_id=None,
            what=f"Actie {n}",
            due_on=due,
        ).pk
        for n in range(3)
    ]
    # Time passes for one of them: its due date is now behind us.
    late = more[0]
    Action.objects.filter(pk=late).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    actions = plan_selectors.actions_of_party_for(world.probation)
    assert actions[0].pk == late
    assert [a.is_overdue for a in actions] == [True, False, False, False]
    assert [a.pk for a in actions[1:]] == sorted([first, *more[1:]])
    assert [a.pk for a in plan_selectors.actions_of_party_for(world.probation, limit=2)] == [
        a.pk for a in actions[:2]
    ]
    html = ok(api_client(world.probation).get("/acties/")).content.decode()
    assert html.count("verlopen") == 1
    assert html.count('<option value="open" selected>') == 4
    # Each row: its due date as every screen shows dates, its status form and its plan.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert actions[0].due_on == f"{yesterday:%d-%m-%Y}"
    for row in actions:
        status_url = reverse("plans:action-status", args=[row.pk])
        assert f'<form method="post" action="{status_url}" hx-post="{status_url}"' in html
        assert row.plan_url == reverse("plans:plan", args=[case_id])
    assert html.count(f'href="{reverse("plans:plan", args=[case_id])}"') == 4
    event = AuditEvent.objects.filter(actor_id=world.probation.pk, purpose="own_actions").order_by(
        "-seq"
    )[0]
    assert event.object_ids == [str(row.pk) for row in actions]
    assert event.person_ids == sorted(
        str(pk) for pk in Case.objects.get(pk=case_id).persons.values_list("pk", flat=True)
    )
