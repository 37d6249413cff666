# SPDX-License-Identifier: EUPL-1.2
"""A role that ended takes the case off every screen and out of every notice at once.

The one access rule (`cases.policies.case_access_q`) decides; the work queue, the case list,
the requests and actions screens and the e-mail notices are parts of it. A coordinator whose
role was removed or changed keeps no view of the cases it coordinated, and people of a party
who hold no case role there (a functional administrator, a privacy officer) are never told of
a case they cannot open. The property test (`test_access_properties.py`) checks the same for
generated houses; these tests walk the screens as the users would.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ketentafel.accounts.models import HouseRole, Role, User
from ketentafel.accounts.services import (
    house_role_confirm,
    house_role_grant,
    house_role_revoke,
    user_deactivate,
)
from ketentafel.cases import services
from ketentafel.core.errors import NotAllowed, NotFound
from ketentafel.information import services as information
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action
from ketentafel.plans.notices import overdue_actions_notify
from tests.cases.conftest import World, api_client, make_staff
from tests.cases.flows import active_case, in_enrichment

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

SURNAME = "de Vries"  # the person of tests/cases/flows.py


def _change_roles(user: User, world: World, *roles: Role) -> None:
    """The user's roles in the house become `roles` (none: removed): the functional
    administrator revokes the old ones and grants the new, the location manager confirms."""
    for held in HouseRole.objects.filter(user=user, house=world.house, revoked_at__isnull=True):
        house_role_revoke(actor=world.admin, house_role_id=held.pk)
    for role in roles:
        granted = house_role_grant(actor=world.admin, user=user, house_id=world.house.pk, role=role)
        house_role_confirm(actor=world.manager, house_role_id=granted.pk)


def _screens(world: World, case_id: object) -> list[str]:
    return [
        reverse("desk:work-queue"),
        reverse("cases:list"),
        reverse("plans:actions"),
        reverse("information:requests"),
    ]


def _overdue(action_id: object) -> None:
    """Time passes: the action's date lies three days back."""
    Action.objects.filter(pk=action_id).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )


@pytest.mark.parametrize(
    "after", [(), (Role.PARTNER_PROFESSIONAL,)], ids=["role removed", "moved to partner work"]
)
def test_a_coordinator_whose_role_ended_finds_its_cases_on_no_screen(
    world: World, after: tuple[Role, ...]
) -> None:
    case_id, action_id = active_case(world)
    _overdue(action_id)
    client = api_client(world.pc)
    queue = client.get(reverse("desk:work-queue")).content.decode()
    assert SURNAME in queue
    assert "Huisbezoek" in queue

    _change_roles(world.pc, world, *after)

    for url in _screens(world, case_id):
        page = client.get(url)
        assert page.status_code in (200, 403), url
        text = page.content.decode()
        assert SURNAME not in text, url
        assert "Huisbezoek" not in text, url
    assert client.get(reverse("cases:detail", kwargs={"case_id": case_id})).status_code == 404
    assert client.get(reverse("plans:plan", kwargs={"case_id": case_id})).status_code == 404
    with pytest.raises((NotFound, NotAllowed)):
        plan_services.action_plan_set_goal(actor=world.pc, case_id=case_id, goal="Nog steeds?")


def test_a_coordinator_moved_to_partner_work_in_a_case_party_sees_it_but_coordinates_nothing(
    world: World,
) -> None:
    """The process coordinator's party takes part in the case: after the move the person sees
    the case as its party does, but no longer as coordinator: not among its own cases, not
    the overdue actions, not every item, and no plan changes."""
    case_id, action_id = active_case(world)
    _overdue(action_id)
    services.case_party_invite(
        actor=world.pc,
        case_id=case_id,
        party_id=world.municipality.pk,
        role="Gemeente",
        information_need="Woonsituatie",
    )
    _change_roles(world.pc, world, Role.PARTNER_PROFESSIONAL)

    client = api_client(world.pc)
    queue = client.get(reverse("desk:work-queue")).content.decode()
    assert SURNAME not in queue
    assert "Huisbezoek" not in queue
    assert SURNAME in client.get(reverse("cases:list")).content.decode()
    with pytest.raises(NotAllowed):
        plan_services.action_plan_set_goal(actor=world.pc, case_id=case_id, goal="Nog steeds?")
    change = reverse("plans:action-change", kwargs={"action_id": action_id})
    assert client.get(change).status_code == 403


def test_a_deactivated_coordinator_is_refused_everywhere(world: World) -> None:
    case_id, _action_id = active_case(world)
    client = api_client(world.pc)
    user_deactivate(actor=world.admin, user=User.objects.get(pk=world.pc.pk))
    for url in _screens(world, case_id):
        page = client.get(url)
        assert SURNAME not in page.content.decode(), url


def test_a_request_notice_reaches_only_people_who_may_open_the_case(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = in_enrichment(world)
    care = world.party["pro-persona"]
    officer = make_staff("careofficer", care, world.house, Role.PRIVACY_OFFICER)
    steering = make_staff("caresteering", care, world.house, Role.STEERING_MEMBER)
    elsewhere = make_staff("careelsewhere", care, world.other_house, Role.PARTNER_PROFESSIONAL)
    with django_capture_on_commit_callbacks(execute=True):
        information.information_request_send(
            actor=world.ic,
            case_id=case.pk,
            party_id=care.pk,
            question="Wat is bekend?",
            reason="Weging voor triage.",
            deadline=timezone.localdate() + datetime.timedelta(days=7),
        )
    told = sorted(to for message in mail.outbox for to in message.to)
    assert told == [world.care.email]
    assert not {officer.email, steering.email, elsewhere.email} & set(told)


def test_an_expired_role_takes_the_cases_off_the_screens(world: World) -> None:
    case_id, action_id = active_case(world)
    _overdue(action_id)
    client = api_client(world.pc)
    # Time passes: the end date given with the role lies behind us.
    HouseRole.objects.filter(user=world.pc, house=world.house).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    for url in _screens(world, case_id):
        assert SURNAME not in client.get(url).content.decode(), url
    assert client.get(reverse("cases:detail", kwargs={"case_id": case_id})).status_code == 404


def test_an_overdue_notice_reaches_only_people_who_see_the_action(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _case_id, action_id = active_case(world)
    _overdue(action_id)
    probation = world.party["reclassering-nederland"]
    colleague = make_staff("probation2", probation, world.house, Role.PARTNER_PROFESSIONAL)
    officer = make_staff("probationofficer", probation, world.house, Role.PRIVACY_OFFICER)
    gone = make_staff("probationgone", probation, world.house, Role.PARTNER_PROFESSIONAL)
    _change_roles(gone, world)
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_actions_notify() == 1
    told = sorted(to for message in mail.outbox for to in message.to)
    assert told == sorted([world.probation.email, colleague.email])
    assert officer.email not in told
    assert gone.email not in told
    assert all("1 verlopen actie" in message.body for message in mail.outbox)
