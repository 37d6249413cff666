# SPDX-License-Identifier: EUPL-1.2
"""The rows behind the information-requests and meeting screens say what the model instances
said through the template before: the same requests and items, texts, links and marks, and
the same audit event."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case, Person
from ketentafel.core.errors import NotFound
from ketentafel.information import services as information
from ketentafel.information.models import InformationRequest, RequestStatus
from ketentafel.information.selectors import request_overview_for, requests_for_party
from ketentafel.meetings import selectors as meeting_selectors
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose
from tests.cases import flows
from tests.cases.conftest import World, api_client, make_staff
from tests.web.flows import ok

pytestmark = pytest.mark.django_db

LONG = "Welke <b>afspraken</b> lopen er? " * 6  # longer than the 120 characters shown


def _ask(world: World, case: Case, party: str, question: str, days: int) -> InformationRequest:
    return information.information_request_send(
        actor=world.ic,
        case_id=case.pk,
        party_id=world.party[party].pk,
        question=question,
        reason="Weging voor triage.",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
    )


def _requests(world: World) -> list[InformationRequest]:
    """Two cases in enrichment; requests to probation (one long, one overdue, one declined)
    and to the police."""
    first, second = flows.in_enrichment(world), flows.in_enrichment(world)
    asked = [
        _ask(world, first, "reclassering-nederland", LONG, 3),
        _ask(world, first, "reclassering-nederland", "Loopt er toezicht?", 1),
        _ask(world, second, "reclassering-nederland", "Is er een rapport?", 2),
        _ask(world, second, "politie-oost-nederland", "Zijn er meldingen?", 4),
        _ask(world, first, "reclassering-nederland", "Is er contact?", 5),
    ]
    # Time passes for one of them: its deadline is now behind us.
    InformationRequest.objects.filter(pk=asked[1].pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    information.information_request_decline(
        actor=world.probation, request_id=asked[4].pk, note="Niets bekend."
    )
    return asked


def _event(user: User) -> AuditEvent:
    return AuditEvent.objects.filter(
        actor_id=user.pk, object_type="informationrequest", purpose="information_requests"
    ).order_by("-seq")[0]


def _persons_of(requests: list[InformationRequest]) -> list[str]:
    return sorted(
        str(pk)
        for pk in Person.objects.filter(case_id__in={r.case_id for r in requests}).values_list(
            "pk", flat=True
        )
    )


def test_the_requests_to_a_party_read_as_the_instances_showed_them(world: World) -> None:
    _requests(world)
    overview = request_overview_for(world.probation)
    shown = list(requests_for_party(world.probation))
    assert len(shown) == 3
    assert [row.pk for row in overview.to_my_party] == [r.pk for r in shown]
    today = timezone.localdate()
    for row, request in zip(overview.to_my_party, shown, strict=True):
        assert row.question == Truncator(request.question).chars(120)
        assert row.deadline == f"{request.deadline:%d-%m-%Y}"
        assert row.status == request.get_status_display()
        assert row.is_open == (request.status == RequestStatus.OPEN)
        assert row.is_overdue == (row.is_open and request.deadline < today)
        assert row.url == reverse("information:request", args=[request.pk])
    assert [row.is_overdue for row in overview.to_my_party] == [True, False, False]
    assert len(overview.to_my_party[2].question) < len(LONG)
    assert overview.coordinated == []
    event = _event(world.probation)
    assert event.object_ids == [str(r.pk) for r in shown]
    assert event.person_ids == _persons_of(shown)
    assert event.person_ids

    html = ok(api_client(world.probation).get("/informatieverzoeken/")).content.decode()
    assert Truncator(LONG).chars(120).replace("<", "&lt;").replace(">", "&gt;") in html
    assert "<b>" not in html
    assert html.count("verlopen</span>") == 1
    assert html.count(">Beantwoorden</a>") == 3
    for request in shown:
        assert f'href="{reverse("information:request", args=[request.pk])}"' in html


def test_the_coordinated_requests_read_per_party_as_the_instances_showed_them(
    world: World,
) -> None:
    asked = _requests(world)
    overview = request_overview_for(world.ic)
    assert overview.to_my_party == []
    every = list(
        InformationRequest.objects.filter(pk__in=[r.pk for r in asked]).order_by(
            "party__name", "deadline", "pk"
        )
    )
    assert [(group.party, [row.pk for row in group.rows]) for group in overview.coordinated] == [
        (world.party["politie-oost-nederland"].name, [asked[3].pk]),
        (world.party["reclassering-nederland"].name, [r.pk for r in every[1:]]),
    ]
    rows = [row for group in overview.coordinated for row in group.rows]
    for row, request in zip(rows, every, strict=True):
        assert row.question == Truncator(request.question).chars(120)
        assert row.deadline == f"{request.deadline:%d-%m-%Y}"
        assert row.status == request.get_status_display()
        assert row.url == reverse("information:case-requests", args=[request.case_id])
    assert rows[-1].status == "Geen informatie"
    event = _event(world.ic)
    assert event.object_ids == [str(r.pk) for r in every]
    assert event.person_ids == _persons_of(every)

    html = ok(api_client(world.ic).get("/informatieverzoeken/")).content.decode()
    assert html.count('<h3 class="utrecht-heading-3">') == 2
    assert html.count(">Verzoeken van de casus</a>") == len(every)
    assert "Er zijn geen open verzoeken aan uw partij." in html
    # Only the coordinators of the cases see them: the process coordinator too, no one else.
    assert [row.pk for g in request_overview_for(world.pc).coordinated for row in g.rows] == [
        r.pk for r in every
    ]
    assert request_overview_for(world.manager).coordinated == []
    assert request_overview_for(world.probation).coordinated == []


def test_the_meeting_rows_carry_their_links_heading_and_parties(world: World) -> None:
    case = flows.accepted(world)  # probation and care invited
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    item = meeting_services.agenda_item_add(
        actor=world.pc,
        meeting_id=meeting.pk,
        case_id=case.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    record_url = reverse("meetings:agenda-item", args=[item.pk])
    for user, organises in ((world.secretary, True), (world.pc, True), (world.probation, False)):
        page = meeting_selectors.meeting_page_for(user, meeting.pk)
        assert page.may_organise is organises
        assert page.may_organise == meeting_selectors.meeting_for(user, meeting.pk).may_organise
        [row] = page.items
        assert row.case_url == reverse("cases:detail", args=[case.pk])
        assert row.record_url == record_url
        assert row.heading == f"{item.position}. {row.title} — {row.purpose}"
        assert row.invited == ", ".join(row.parties)
        assert row.parties
        html = ok(api_client(user).get(f"/overleggen/{meeting.pk}/")).content.decode()
        assert f'<h3 class="utrecht-heading-3" id="ai-{item.pk}">{row.heading}</h3>' in html
        assert f"Genodigde partijen: {row.invited}</p>" in html
        assert (f'href="{record_url}"' in html) is organises


def test_the_meeting_is_found_for_whom_meetings_visible_to_lets_see_it(world: World) -> None:
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    elsewhere = make_staff(
        "elsewhere", world.municipality, world.other_house, Role.PROCESS_COORDINATOR
    )
    for user in (world.admin, world.police, world.manager, elsewhere):
        visible = meeting_selectors.meetings_visible_to(user).filter(pk=meeting.pk).exists()
        if visible:
            page = meeting_selectors.meeting_page_for(user, meeting.pk)
            assert page.items == []
            assert page.may_organise is False
        else:
            with pytest.raises(NotFound):
                meeting_selectors.meeting_page_for(user, meeting.pk)
            with pytest.raises(NotFound):
                meeting_selectors.meeting_for(user, meeting.pk)
    assert not meeting_selectors.meetings_visible_to(elsewhere).filter(pk=meeting.pk).exists()
    assert meeting_selectors.meetings_visible_to(world.admin).filter(pk=meeting.pk).exists()
