# SPDX-License-Identifier: EUPL-1.2
"""The work queue puts the longest-waiting referral first, so none drops off the list; its
rows and the case list's show what the cases hold and are recorded whole."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ketentafel.audit.models import AuditEvent
from ketentafel.cases import services
from ketentafel.cases.models import Case, Person, SubjectKind
from ketentafel.cases.selectors import case_page_for
from ketentafel.desk.selectors import work_queue_for
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action
from tests.cases.conftest import World, api_client
from tests.cases.flows import active_case, in_triage, referred
from tests.web.flows import ok

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def _person(n: int) -> services.PersonInput:
    return services.PersonInput(
        given_names=f"Persoon{n}", surname="Voorbeeld", birth_date=datetime.date(1980, 1, n + 1)
    )


def test_waiting_referrals_come_longest_waiting_first_and_the_limit_keeps_the_oldest(
    world: World,
) -> None:
    cases = [referred(world, person=_person(n)) for n in range(4)]
    base = Case.objects.get(pk=cases[0].pk).referred_at
    for age, case in zip((3, 1, 4, 2), cases, strict=True):
        Case.objects.filter(pk=case.pk).update(referred_at=base - datetime.timedelta(days=age))
    by_age = [cases[2].pk, cases[0].pk, cases[3].pk, cases[1].pk]

    full = work_queue_for(world.pc)
    assert [c.pk for c in full.new_referrals] == by_age
    short = work_queue_for(world.pc, limit=2)
    assert [c.pk for c in short.new_referrals] == by_age[:2]
    # The count is the whole queue's, while the event names only the cases shown.
    assert (full.new_referrals_total, short.new_referrals_total) == (4, 4)
    shown = {str(pk) for pk in by_age[:2]}
    assert set(_event(world.pc.pk, "work_queue").object_ids) == shown


def test_the_page_counts_the_whole_queue_and_says_how_many_it_shows(
    world: World,
) -> None:
    for n in range(3):
        referred(world, person=_person(n))
    client = api_client(world.pc)
    page = ok(client.get(reverse("desk:work-queue"))).content.decode()
    assert '<span class="status">3</span>' in page
    assert "getoond" not in page

    for n in range(3, 27):
        referred(world, person=_person(n))
    page = ok(client.get(reverse("desk:work-queue"))).content.decode()
    assert '<span class="status">27</span>' in page
    assert "(25 getoond)" in page


def _event(user_id: int, purpose: str) -> AuditEvent:
    return AuditEvent.objects.filter(actor_id=user_id, purpose=purpose).order_by("-seq")[0]


def test_rows_show_the_first_person_and_the_event_names_every_case_and_person(
    world: World,
) -> None:
    family = services.case_refer(
        actor=world.police,
        house_id=world.house.pk,
        track_id=world.track.pk,
        subject_kind=SubjectKind.FAMILY,
        persons=[_person(1), _person(2), _person(3)],
        municipality_id=world.municipality.pk,
        problem_statement="Overlast.",
        goal="Plan.",
    )
    triage = in_triage(world)
    active_id, _action_id = active_case(world)
    overdue = plan_services.action_add(
        actor=world.pc,
        case_id=active_id,
        owner_party_id=world.party["pro-persona"].pk,
        owner_id=None,
        what="Zorgbezoek",
        due_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    Action.objects.filter(pk=overdue.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )

    queue = work_queue_for(world.pc)

    row = next(r for r in queue.new_referrals if r.pk == family.pk)
    first = Case.objects.get(pk=family.pk).persons.all()[0]
    assert row.title == f"{first.given_names} {first.surname}"
    assert row.others == 2
    assert (row.phase, row.house) == ("Aangemeld", world.house.name)
    assert row.referring_party == world.police.party.name
    assert [r.pk for r in queue.triage_due] == [triage.pk]
    assert row.url == reverse("cases:detail", args=[family.pk])
    referred_at = Case.objects.get(pk=family.pk).referred_at
    assert row.referred_on == f"{timezone.localtime(referred_at):%d-%m-%Y}"
    assert [(a.party, a.what, a.plan_url) for a in queue.overdue_actions] == [
        ("Pro Persona", "Zorgbezoek", reverse("plans:plan", args=[active_id]))
    ]
    shown = {r.pk for r in [*queue.new_referrals, *queue.triage_due, *queue.coordinated]}
    event = _event(world.pc.pk, "work_queue")
    assert sorted(event.object_ids) == sorted(str(pk) for pk in shown)
    touched = Person.objects.filter(case_id__in=shown | {active_id})
    assert sorted(event.person_ids) == sorted(str(p.pk) for p in touched)


def test_the_case_list_shows_rows_and_records_them(world: World) -> None:
    cases = [referred(world, person=_person(n)) for n in range(3)]
    rows = case_page_for(world.police).rows
    assert [r.pk for r in rows] == [c.pk for c in reversed(cases)]
    assert [r.title for r in rows] == [
        "Persoon2 Voorbeeld",
        "Persoon1 Voorbeeld",
        "Persoon0 Voorbeeld",
    ]
    event = _event(world.police.pk, "case_list")
    assert sorted(event.object_ids) == sorted(str(c.pk) for c in cases)
    persons = Person.objects.filter(case__in=cases)
    assert sorted(event.person_ids) == sorted(str(p.pk) for p in persons)
