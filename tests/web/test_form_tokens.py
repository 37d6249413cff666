# SPDX-License-Identifier: EUPL-1.2
"""A screen form saves once (issue 12, item 3): a double submit or a reload of the same form
makes one record and says so, through the screens as the people of a house use them."""

from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from ketentafel.cases.models import Case
from ketentafel.core import views as core_views
from ketentafel.core.models import FormSubmission
from ketentafel.information.models import InformationRequest
from ketentafel.plans.models import Action
from tests.cases.flows import active_case, in_enrichment
from tests.web.conftest import World, api_client
from tests.web.flows import later, ok, referral_form

pytestmark = pytest.mark.django_db

ALREADY_SENT = "Dit formulier is al verstuurd."


def token_of(page: str, action: str | None = None) -> str:
    """The one-time token of the form posting to `action` (the page's first form if None)."""
    start = page.index(f'action="{action}"') if action else page.index('<form method="post"')
    match = re.compile(r'name="form_token" value="([0-9a-f]{32})"').search(page, start)
    assert match, page[start : start + 2000]
    return match.group(1)


def twice(client: Any, url: str, data: dict[str, Any]) -> tuple[Any, Any]:
    return client.post(url, data), client.post(url, data)


def test_adding_the_same_action_twice_adds_it_once_and_says_so(world: World) -> None:
    case_id, _action = active_case(world)
    pc = api_client(world.pc)
    plan_url = reverse("plans:plan", args=[case_id])
    add_url = reverse("plans:action-add", args=[case_id])
    page = ok(pc.get(plan_url)).content.decode()
    form = {
        "owner_party": world.party["reclassering-nederland"].pk,
        "what": "Gesprek met de huisarts",
        "due_on": later(14),
        "form_token": token_of(page, add_url),
    }
    first, second = twice(pc, add_url, form)
    assert (first.status_code, first["Location"]) == (302, plan_url)
    assert (second.status_code, second["Location"]) == (302, plan_url)
    assert Action.objects.filter(what="Gesprek met de huisarts").count() == 1
    shown = ok(pc.get(plan_url)).content.decode()
    assert ALREADY_SENT in shown

    # A newly rendered form has a new token: adding the same action on purpose still works.
    again = {**form, "form_token": token_of(shown, add_url)}
    assert pc.post(add_url, again).status_code == 302
    assert Action.objects.filter(what="Gesprek met de huisarts").count() == 2


def test_a_reloaded_information_request_is_sent_once(world: World) -> None:
    case = in_enrichment(world)
    ic = api_client(world.ic)
    url = f"/casussen/{case.pk}/informatieverzoeken/"
    form = {
        "party": world.party["politie-oost-nederland"].pk,
        "question": "Welke meldingen zijn er?",
        "reason": "Voorbereiding triage",
        "deadline": later(10),
        "form_token": token_of(ok(ic.get(url)).content.decode()),
    }
    first, reload = twice(ic, url, form)
    assert first.status_code == 302
    assert reload["Location"] == first["Location"]
    assert InformationRequest.objects.filter(case=case).count() == 1
    assert ALREADY_SENT in ok(ic.get(reload["Location"])).content.decode()


def test_a_double_submitted_referral_makes_one_case_and_leads_to_it(world: World) -> None:
    police = api_client(world.police)
    form = referral_form(world, form_token=token_of(ok(police.get("/aanmelden/")).content.decode()))
    first, second = twice(police, "/aanmelden/", form)
    [case] = Case.objects.all()
    assert first["Location"] == second["Location"] == f"/casussen/{case.pk}/"
    page = ok(police.get(second["Location"])).content.decode()
    assert ALREADY_SENT in page
    assert "De aanmelding is ontvangen." in page  # the first submit's message, shown once


def test_a_refused_submit_does_not_use_up_its_token(world: World) -> None:
    police = api_client(world.police)
    token = token_of(ok(police.get("/aanmelden/")).content.decode())
    refused = police.post("/aanmelden/", referral_form(world, goal=" ", form_token=token))
    assert refused.status_code == 400
    assert not FormSubmission.objects.exists()
    corrected = police.post("/aanmelden/", referral_form(world, form_token=token))
    assert corrected.status_code == 302
    assert Case.objects.count() == 1


def test_the_loser_of_a_race_between_two_submits_saves_nothing(world: World) -> None:
    """Both submits pass the look-up before either committed; the token's unique index makes
    the second roll back, and it leads to the first one's result without its own message."""
    case_id, _action = active_case(world)
    pc = api_client(world.pc)
    add_url = reverse("plans:action-add", args=[case_id])
    form = {
        "owner_party": world.party["reclassering-nederland"].pk,
        "what": "Overleg met de wijkagent",
        "due_on": later(7),
        "form_token": token_of(ok(pc.get(reverse("plans:plan", args=[case_id]))).content.decode()),
    }
    assert pc.post(add_url, form).status_code == 302
    first_submit = core_views.form_submission_for(world.pc.pk, form["form_token"])
    with mock.patch.object(core_views, "form_submission_for", side_effect=[None, first_submit]):
        lost = pc.post(add_url, form)
    assert lost.status_code == 302
    assert Action.objects.filter(what="Overleg met de wijkagent").count() == 1
    page = ok(pc.get(lost["Location"])).content.decode()
    assert ALREADY_SENT in page
    assert "De actie is toegevoegd." not in page


def test_a_post_without_a_token_works_as_before(world: World) -> None:
    case_id, _action = active_case(world)
    add_url = reverse("plans:action-add", args=[case_id])
    form = {
        "owner_party": world.party["reclassering-nederland"].pk,
        "what": "Huisbezoek samen",
        "due_on": later(5),
    }
    pc = api_client(world.pc)
    assert pc.post(add_url, form).status_code == 302
    assert pc.post(add_url, form).status_code == 302
    assert Action.objects.filter(what="Huisbezoek samen").count() == 2
    assert not FormSubmission.objects.exists()
