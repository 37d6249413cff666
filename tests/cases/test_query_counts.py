# SPDX-License-Identifier: EUPL-1.2
"""Lists cost the same number of queries for few rows as for many (no N+1).

Each test measures a list with a few rows, adds many more, and asserts that the exact number
of queries did not change, through the selector and through the API (whose number includes
the session, the second factor and the one audit event of the call). Audit checkpoints are
switched off so a checkpoint falling inside a measured call cannot add its queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketentafel.cases import selectors, services
from ketentafel.cases.models import Case, SubjectKind
from ketentafel.desk import selectors as desk_selectors
from ketentafel.information import selectors as information_selectors
from ketentafel.information import services as information
from ketentafel.information.models import DataCategory, LifeDomain, Sharing
from ketentafel.plans import selectors as plan_selectors
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action
from tests.cases.conftest import World
from tests.cases.flows import PERSON, accepted, active_case, in_enrichment, referred

pytestmark = pytest.mark.django_db

AssertNum = Callable[..., Any]


@pytest.fixture(autouse=True)
def _no_checkpoints(settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_EVERY = 0


def queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def same_for_more(
    django_assert_num_queries: AssertNum, call: Callable[[], Any], grow: Callable[[], None]
) -> int:
    """Count `call` now, add rows with `grow`, and assert `call` costs exactly the same."""
    call()  # warm: first-use lookups (content types, sites) are not what is measured
    few = queries(call)
    grow()
    with django_assert_num_queries(few):
        call()
    return few


def _listed(response: Any) -> list[Any]:
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    return list(body["results"] if isinstance(body, dict) else body)


def _family(world: World, by: Any) -> Case:
    """A family referral (two persons), so persons per case vary too."""
    return services.case_refer(
        actor=by,
        house_id=world.house.pk,
        track_id=world.track.pk,
        subject_kind=SubjectKind.FAMILY,
        persons=[PERSON, services.PersonInput("Els", "de Vries", datetime.date(1992, 1, 3))],
        municipality_id=world.municipality.pk,
        problem_statement="Zorgen om het gezin.",
        goal="Rust in het gezin.",
        theme_ids=[world.themes[0].pk],
    )


# Case lists ------------------------------------------------------------------------------


def test_the_process_coordinators_case_list(
    world: World, django_assert_num_queries: AssertNum
) -> None:
    for _ in range(2):
        referred(world)
    in_enrichment(world)
    client = world.api(world.pc)

    def grow() -> None:
        for _ in range(12):
            referred(world)
            _family(world, world.care)
        for _ in range(4):
            in_enrichment(world)

    counted: list[int] = []

    def api() -> None:
        counted.append(len(_listed(client.get("/api/v1/cases/"))))

    same_for_more(django_assert_num_queries, api, grow)
    assert counted[-1] == 3 + 12 * 2 + 4
    selector = same_for_more(
        django_assert_num_queries,
        lambda: list(selectors.cases_visible_to(world.pc).prefetch_related("persons")),
        lambda: [referred(world) for _ in range(10)],
    )
    assert selector <= 3


def test_a_partners_case_list(world: World, django_assert_num_queries: AssertNum) -> None:
    referred(world)
    client = world.api(world.police)

    def grow() -> None:
        for _ in range(15):
            referred(world)
        for _ in range(3):
            accepted(world)

    counted: list[int] = []
    same_for_more(
        django_assert_num_queries,
        lambda: counted.append(len(_listed(client.get("/api/v1/cases/")))),
        grow,
    )
    assert counted[-1] == 1 + 15 + 3
    # Care sees only the cases it was invited to.
    care = world.api(world.care)
    same_for_more(
        django_assert_num_queries,
        lambda: counted.append(len(_listed(care.get("/api/v1/cases/")))),
        lambda: [accepted(world) for _ in range(4)],
    )
    assert counted[-1] == 3 + 4


def test_the_work_queue_and_the_case_list_screen(
    world: World, django_assert_num_queries: AssertNum
) -> None:
    """The screens' rows: the work queue's lists and overdue actions, the case list page."""
    referred(world)
    first, _ = active_case(world)
    _overdue(world, first, 1)

    def grow() -> None:
        for _ in range(6):
            referred(world)
            _family(world, world.care)
        for _ in range(3):
            in_enrichment(world)
        case_id, _ = active_case(world)
        _overdue(world, case_id, 4)

    shown: list[int] = []

    def queue() -> None:
        work = desk_selectors.work_queue_for(world.pc)
        shown.append(len(work.new_referrals) + len(work.coordinated) + len(work.overdue_actions))

    same_for_more(django_assert_num_queries, queue, grow)
    assert shown[-1] > shown[0]
    same_for_more(
        django_assert_num_queries,
        lambda: selectors.case_page_for(world.police),
        lambda: [referred(world) for _ in range(5)],
    )


# The dossier -------------------------------------------------------------------------------

PARTNERS = ("police", "probation", "care")


def _items(world: World, case_id: UUID, count: int, start: int = 0) -> None:
    """Items of three suppliers with every sharing choice, some naming parties; the
    pre-meeting ones assessed by the process coordinator as readable before it (art. 13.2d)."""
    sharings = list(Sharing)
    for n in range(start, start + count):
        sharing = sharings[n % len(sharings)]
        named = (
            [world.party["pro-persona"].pk, world.party["vivare"].pk]
            if sharing == Sharing.NAMED
            else []
        )
        item = information.information_item_supply(
            actor=getattr(world, PARTNERS[n % len(PARTNERS)]),
            case_id=case_id,
            life_domain=list(LifeDomain)[n % len(LifeDomain)],
            text=f"Fictieve waarneming {n}.",
            legal_basis="AVG art. 6 lid 1 sub e",
            data_category=DataCategory.ORDINARY,
            sharing=sharing,
            named_party_ids=named,
        )
        if sharing == Sharing.PRE_MEETING:
            information.pre_meeting_assess(
                actor=world.pc,
                item_id=item.pk,
                may_read_before_meeting=True,
                consulted_party_id=world.police.party_id,
                consulted_on=timezone.localdate(),
                assessment="Nodig ter voorbereiding.",
            )


@pytest.mark.parametrize("reader", ["pc", "care"])
def test_the_dossier_of_5_and_of_60_items(
    world: World, django_assert_num_queries: AssertNum, reader: str
) -> None:
    case = accepted(world)
    _items(world, case.pk, 5)
    user = getattr(world, reader)
    client = world.api(user)
    seen: list[int] = []

    def api() -> None:
        seen.append(len(_listed(client.get(f"/api/v1/cases/{case.pk}/items/"))))

    grown: list[int] = [5]

    def grow() -> None:
        _items(world, case.pk, 60 - grown[-1], start=grown[-1])
        grown.append(60)

    same_for_more(django_assert_num_queries, api, grow)
    # The coordinator reads all 60; care its own items (every third), the pre-meeting ones and
    # those naming it (every second of every four).
    own_or_shared = sum(1 for n in range(60) if n % 3 == 2 or n % 4 in (1, 3))
    assert seen[-1] == (60 if reader == "pc" else own_or_shared)
    same_for_more(
        django_assert_num_queries,
        lambda: information_selectors.dossier_for(user, case.pk),
        lambda: _items(world, case.pk, 20, start=60),
    )


# Already known elsewhere ---------------------------------------------------------------------


def test_the_already_known_check(world: World, django_assert_num_queries: AssertNum) -> None:
    case = in_enrichment(world)
    in_enrichment(world)  # the same person, known once already
    client = world.api(world.pc)
    found: list[int] = []

    def grow() -> None:
        for _ in range(4):
            in_enrichment(world)
            accepted(world)
            _family(world, world.housing)

    same_for_more(
        django_assert_num_queries,
        lambda: found.append(len(_listed(client.get(f"/api/v1/cases/{case.pk}/already-known/")))),
        grow,
    )
    assert found[-1] == 1 + 4 * 3
    same_for_more(
        django_assert_num_queries,
        lambda: selectors.already_known_for(world.pc, case.pk),
        lambda: [referred(world) for _ in range(5)],
    )


# Overdue actions -----------------------------------------------------------------------------


def _overdue(world: World, case_id: UUID, count: int) -> None:
    """Actions of probation, then time passes: their due dates are moved into the past (the
    service refuses a past due date, which is what makes them overdue later)."""
    for n in range(count):
        action = plan_services.action_add(
            actor=world.pc,
            case_id=case_id,
            owner_party_id=world.party["reclassering-nederland"].pk,
            owner_id=world.probation.pk if n % 2 else None,
            what=f"Actie {n}",
            due_on=timezone.localdate() + datetime.timedelta(days=1),
        )
        Action.objects.filter(pk=action.pk).update(
            due_on=timezone.localdate() - datetime.timedelta(days=n + 1)
        )


def test_overdue_actions(world: World, django_assert_num_queries: AssertNum) -> None:
    first, _ = active_case(world)
    _overdue(world, first, 2)
    client = world.api(world.probation)
    listed: list[int] = []

    def grow() -> None:
        for _ in range(3):
            case_id, _ = active_case(world)
            _overdue(world, case_id, 6)

    same_for_more(
        django_assert_num_queries,
        lambda: listed.append(len(_listed(client.get("/api/v1/actions/overdue/")))),
        grow,
    )
    assert listed[-1] == 2 + 3 * 6
    same_for_more(
        django_assert_num_queries,
        lambda: [a.owner_party.name for a in plan_selectors.overdue_actions_for(world.probation)],
        lambda: _overdue(world, first, 5),
    )
    same_for_more(
        django_assert_num_queries,
        lambda: [
            (a.owner_party.name, a.plan.case_id)
            for a in plan_selectors.overdue_actions_by_party(world.pc)
        ],
        lambda: _overdue(world, first, 5),
    )


# Information requests to a party ---------------------------------------------------------------


def _ask(world: World, case_id: UUID, count: int) -> None:
    for n in range(count):
        information.information_request_send(
            actor=world.ic,
            case_id=case_id,
            party_id=world.party["reclassering-nederland"].pk,
            question=f"Vraag {n}",
            reason="Weging voor triage.",
            deadline=timezone.localdate() + datetime.timedelta(days=n + 1),
        )


def test_information_requests_for_a_party(
    world: World, django_assert_num_queries: AssertNum
) -> None:
    _ask(world, in_enrichment(world).pk, 2)
    client = world.api(world.probation)
    listed: list[int] = []

    def grow() -> None:
        for _ in range(5):
            _ask(world, in_enrichment(world).pk, 5)

    same_for_more(
        django_assert_num_queries,
        lambda: listed.append(len(_listed(client.get("/api/v1/information-requests/")))),
        grow,
    )
    assert listed[-1] == 2 + 5 * 5
    same_for_more(
        django_assert_num_queries,
        lambda: [
            (r.party.name, r.case.phase)
            for r in information_selectors.requests_for_party(world.probation)
        ],
        lambda: _ask(world, in_enrichment(world).pk, 10),
    )
