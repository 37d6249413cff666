# SPDX-License-Identifier: EUPL-1.2
"""Races on one record, on PostgreSQL: one change wins, the other hears why, nothing is lost.

Each contender runs in its own thread with its own database connection; a barrier lets them
start together, and row locks decide the order. The loser of a race on a record that still
exists answers 409 (a step another took first) or 412 (a change made from a version another
replaced), never 404 (docs/adr/0014-versions-and-conditional-updates.md). The figures are
printed for docs/reliability.md.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from ketentafel.accounts.models import Role
from ketentafel.cases import services
from ketentafel.cases.models import Phase, TriageOutcome
from ketentafel.core.api_views import declared_query_parameters
from ketentafel.core.errors import DomainError
from ketentafel.information.models import InformationItem, Sharing
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaItem, AgendaPurpose
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action
from tests.cases.conftest import World, api_client, make_staff
from tests.cases.flows import (
    accepted,
    active_case,
    consulted,
    held_meeting_with,
    in_triage,
    supply,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need row locks and concurrent connections: run with a PostgreSQL "
        "DATABASE_URL (SQLite serialises every writer)",
    ),
]

ROUNDS = 20
#: How long a contender waits for the others at the start line, and the test for a thread.
WAIT_SECONDS = 30


def _race(*contenders: Callable[[], Any]) -> list[str]:
    """Run the contenders at once; each one's outcome: "ok" or the status of its refusal."""
    barrier = threading.Barrier(len(contenders), timeout=WAIT_SECONDS)
    outcomes: list[str] = [""] * len(contenders)

    def run(index: int, contender: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            contender()
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = str(error.status)
        except BaseException as error:
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, contender))
        for index, contender in enumerate(contenders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_SECONDS)
        assert not thread.is_alive(), "a contender did not finish in time"
    return outcomes


def test_two_triage_decisions_the_loser_hears_409_never_404(world: World) -> None:
    second = make_staff("manager2", world.municipality, world.house, Role.LOCATION_MANAGER)
    tally: Counter[str] = Counter()
    for _ in range(ROUNDS):
        case = in_triage(world)

        def decide(actor: Any, case_id: Any = case.pk) -> Any:
            return services.triage_decide(
                actor=actor,
                case_id=case_id,
                serious_area_problem=False,
                system_impact=False,
                multiple_chains_needed=False,
                multiple_problems=False,
                outcome=TriageOutcome.NOT_FOR_HOUSE,
                explanation="Lokaal oppakken.",
                **consulted(),
            )

        outcomes = _race(lambda: decide(world.manager), lambda: decide(second))
        tally.update(outcomes)
        assert sorted(outcomes) == ["409", "ok"], outcomes
        case.refresh_from_db()
        assert case.phase == Phase.DECLINED
        assert case.triage_decisions.count() == 1
    print(f"\ntriage races: {ROUNDS} rounds, {dict(tally)}")
    assert tally == Counter({"ok": ROUNDS, "409": ROUNDS})


def test_two_changes_of_an_action_from_one_version_the_loser_hears_412(world: World) -> None:
    _case_id, action_id = active_case(world)
    tally: Counter[str] = Counter()
    for round_ in range(ROUNDS):
        version = Action.objects.get(pk=action_id).version

        def change(what: str, version: int = version) -> Any:
            return plan_services.action_update(
                actor=world.pc, action_id=action_id, what=what, expected_version=version
            )

        texts = (f"Ronde {round_}: huisbezoek", f"Ronde {round_}: telefonisch contact")
        outcomes = _race(lambda t=texts[0]: change(t), lambda t=texts[1]: change(t))
        tally.update(outcomes)
        assert sorted(outcomes) == ["412", "ok"], outcomes
        action = Action.objects.get(pk=action_id)
        assert action.what == texts[outcomes.index("ok")]
        assert action.version == version + 1
    print(f"\naction races: {ROUNDS} rounds, {dict(tally)}")


def test_two_records_of_the_minutes_from_one_version_the_loser_hears_412(world: World) -> None:
    case = accepted(world)
    item_id = held_meeting_with(world, case, AgendaPurpose.FIRST_DISCUSSION)
    tally: Counter[str] = Counter()
    for round_ in range(ROUNDS):
        version = AgendaItem.objects.get(pk=item_id).version

        def record(minutes: str, version: int = version) -> Any:
            return meeting_services.agenda_item_record(
                actor=world.secretary,
                agenda_item_id=item_id,
                minutes=minutes,
                expected_version=version,
            )

        texts = (f"Ronde {round_}: verslag A", f"Ronde {round_}: verslag B")
        outcomes = _race(lambda t=texts[0]: record(t), lambda t=texts[1]: record(t))
        tally.update(outcomes)
        assert sorted(outcomes) == ["412", "ok"], outcomes
        assert AgendaItem.objects.get(pk=item_id).minutes == texts[outcomes.index("ok")]
    print(f"\nminutes races: {ROUNDS} rounds, {dict(tally)}")


UPDATERS = 8


def test_many_updaters_of_one_item_one_wins_and_no_update_is_lost(world: World) -> None:
    """The stale-update fault scenario: N clients change an item's sharing through the API
    from the same ETag; exactly one is saved, every other answers 412 naming the new version,
    and the stored sharing is the winner's."""
    item_id = supply(world, accepted(world), world.police, Sharing.PRE_MEETING)
    clients = [api_client(world.police) for _ in range(UPDATERS)]
    choices = [Sharing.COORDINATION, Sharing.AFTER_MEETING, Sharing.PRE_MEETING]
    wanted = [choices[index % len(choices)] for index in range(UPDATERS)]
    answers: list[Any] = [None] * UPDATERS

    def put(index: int) -> None:
        answers[index] = clients[index].put(
            f"/api/v1/items/{item_id}/sharing/",
            {"sharing": wanted[index]},
            format="json",
            HTTP_IF_MATCH='"1"',
        )

    # The first request of a process builds the OpenAPI description the API checks query
    # parameters against; drf-spectacular's generator is not thread-safe, so build it first.
    declared_query_parameters()
    outcomes = _race(*[lambda index=index: put(index) for index in range(UPDATERS)])
    assert outcomes == ["ok"] * UPDATERS, outcomes
    codes = Counter(answer.status_code for answer in answers)
    print(f"\n{UPDATERS} concurrent updaters of one item: {dict(codes)}")
    assert codes == Counter({200: 1, 412: UPDATERS - 1})
    [winner] = [index for index, answer in enumerate(answers) if answer.status_code == 200]
    item = InformationItem.objects.get(pk=item_id)
    assert (item.sharing, item.version) == (wanted[winner], 2)
    for answer in answers:
        if answer.status_code == 412:
            assert answer.json()["current_version"] == 2
            assert answer["ETag"] == '"2"'
