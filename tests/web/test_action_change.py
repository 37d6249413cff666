# SPDX-License-Identifier: EUPL-1.2
"""The process coordinator changes an action of the plan on its own page: what, when and its
status. The plan before the change stays as a version; bad input keeps what was typed; others
are refused, and every read and change is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.core.errors import InvalidInput, InvalidTransition
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action, ActionPlan, ActionStatus
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.web.flows import ok

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _form(action_id: object = None, **overrides: str) -> dict[str, str]:
    """The change form as the page shows it: with the action's stored version."""
    later = timezone.localdate() + datetime.timedelta(days=20)
    version = Action.objects.get(pk=action_id).version if action_id else 1
    return {
        "what": "Huisbezoek met wijkagent",
        "due_on": later.isoformat(),
        "status": "open",
        "version": str(version),
    } | overrides


def _events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type="action").order_by("seq"))


def test_the_coordinator_changes_an_action_from_the_plan_page(world: World) -> None:
    case_id, action_id = flows.active_case(world)
    pc = api_client(world.pc)
    change_url = reverse("plans:action-change", args=[action_id])
    plan_page = ok(pc.get(reverse("plans:plan", args=[case_id]))).content.decode()
    assert change_url in plan_page

    page = ok(pc.get(change_url)).content.decode()
    assert "Huisbezoek" in page
    [read] = _events(AuditAction.READ)
    assert (read.actor_id, read.object_id, read.case_id) == (
        world.pc.pk,
        str(action_id),
        str(case_id),
    )

    response = pc.post(change_url, _form(action_id))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan", args=[case_id])
    action = Action.objects.get(pk=action_id)
    assert (action.what, action.due_on) == (
        "Huisbezoek met wijkagent",
        timezone.localdate() + datetime.timedelta(days=20),
    )
    plan = ActionPlan.objects.get(case_id=case_id)
    assert plan.versions.order_by("-number").first().change == "actie gewijzigd"
    assert [e.object_id for e in _events(AuditAction.UPDATE)] == [str(action_id)]

    # Saving the same values again changes nothing and makes no version.
    version = plan.version
    assert pc.post(change_url, _form(action_id)).status_code == 302
    assert ActionPlan.objects.get(pk=plan.pk).version == version
    assert len(_events(AuditAction.UPDATE)) == 1


def test_bad_input_is_refused_at_its_field_and_keeps_what_was_typed(world: World) -> None:
    _case_id, action_id = flows.active_case(world)
    pc = api_client(world.pc)
    url = reverse("plans:action-change", args=[action_id])
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    page = ok(pc.post(url, _form(due_on=yesterday, what="Nieuw gesprek")), 400).content.decode()
    assert "De einddatum ligt in het verleden." in page
    assert "Nieuw gesprek" in page
    page = ok(pc.post(url, _form(what="  ")), 400).content.decode()
    assert "Wat: Dit veld is vereist." in page
    assert Action.objects.get(pk=action_id).what == "Huisbezoek"
    assert _events(AuditAction.UPDATE) == []


def test_only_the_coordinator_opens_the_page_and_outsiders_do_not_see_the_action(
    world: World,
) -> None:
    _case_id, action_id = flows.active_case(world)
    url = reverse("plans:action-change", args=[action_id])
    # The owner party reports a status from its list, but does not change what and when.
    assert api_client(world.probation).get(url).status_code == 403
    assert api_client(world.probation).post(url, _form()).status_code == 403
    # A party that does not take part in the case does not see the action at all.
    assert api_client(world.housing).get(url).status_code == 404
    assert Action.objects.get(pk=action_id).what == "Huisbezoek"
    denials = AuditEvent.objects.filter(result=Result.DENIED).order_by("seq")
    assert [e.actor_id for e in denials] == [world.probation.pk] * 2 + [world.housing.pk]
    assert _events(AuditAction.READ) == []


def test_a_drafted_plan_can_be_corrected_but_no_status_is_reported_before_it_runs(
    world: World,
) -> None:
    case = flows.accepted(world)
    plan_services.action_plan_set_goal(actor=world.pc, case_id=case.pk, goal="Stabiel wonen.")
    action = plan_services.action_add(
        actor=world.pc,
        case_id=case.pk,
        owner_party_id=world.party["reclassering-nederland"].pk,
        owner_id=None,
        what="Huisbezoek",
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    changed = plan_services.action_update(actor=world.pc, action_id=action.pk, what="Intake")
    assert changed.what == "Intake"
    with pytest.raises(InvalidTransition):
        plan_services.action_update(actor=world.pc, action_id=action.pk, status=ActionStatus.DONE)
    with pytest.raises(InvalidInput):
        plan_services.action_update(
            actor=world.pc,
            action_id=action.pk,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN


def test_the_plan_names_each_earlier_version_and_its_change_in_the_readers_language(
    world: World,
) -> None:
    case_id, action_id = flows.active_case(world)
    pc = api_client(world.pc)
    ok(pc.post(reverse("plans:action-change", args=[action_id]), _form(action_id)), 302)
    page = ok(pc.get(reverse("plans:plan", args=[case_id]))).content.decode()
    assert "(daarna: actie gewijzigd)" in page
    pc.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = ok(pc.get(reverse("plans:plan", args=[case_id]))).content.decode()
    assert "(then: action changed)" in page
    assert "(then: action added)" in page
