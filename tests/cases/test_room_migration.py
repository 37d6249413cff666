# SPDX-License-Identifier: EUPL-1.2
"""The move of advice, meetings and plans out of `cases` keeps every row (ADR 0016).

A database of the schema before the split, with a case in every room, is migrated forward;
every row is found again through the new apps' models under its own id, the foreign keys
between the rooms still hold, and the content types (and so any permission granted on them)
moved with their models. Runs on SQLite and on PostgreSQL (the CI's second run).
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.advice.models import AdviceRequest
from ketentafel.cases.models import Case, Closure
from ketentafel.covenants.models import Body, House, Party, Track
from ketentafel.covenants.services import region_load
from ketentafel.meetings.models import AgendaItem, Decision, Meeting
from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion
from tests.conftest import MINI_REGION

BEFORE_SPLIT = [
    ("cases", "0005_versions"),
    ("advice", None),
    ("meetings", None),
    ("plans", None),
]
MOVED = {
    "advicerequest": "advice",
    "meeting": "meetings",
    "agendaitem": "meetings",
    "decision": "meetings",
    "actionplan": "plans",
    "action": "plans",
    "actionplanversion": "plans",
}


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_rows_of_every_room_survive_the_split() -> None:
    region_load(path=MINI_REGION)
    house = House.objects.get(slug="noord")
    municipality = Party.objects.get(slug="gemeente-noordstad")
    police = Party.objects.get(slug="politie-test")
    body = Body.objects.get(slug="mdo", covenant=house.covenant)
    track = Track.objects.get(slug="complex-cases", covenant=house.covenant)
    user = User.objects.create(username="migratie", party=municipality)
    content_types = {
        model: ContentType.objects.get(app_label=app, model=model).pk
        for model, app in MOVED.items()
    }

    executor = _migrate(BEFORE_SPLIT)
    tables = connection.introspection.table_names()
    assert "cases_meeting" in tables
    assert "meetings_meeting" not in tables
    old = executor.loader.project_state([("cases", "0005_versions")]).apps
    ids = {name: uuid.uuid4() for name in ["case", "advice", "meeting", "item", "action"]}
    now = timezone.now()
    old.get_model("cases", "Case").objects.create(
        id=ids["case"],
        house_id=house.pk,
        track_id=track.pk,
        phase="closed",
        subject_kind="person",
        municipality_id=municipality.pk,
        referring_party_id=police.pk,
        referred_by_id=user.pk,
        problem_statement="Synthetisch probleem.",
        goal="Synthetisch doel.",
        closed_at=now,
    )
    old.get_model("cases", "AdviceRequest").objects.create(
        id=ids["advice"],
        house_id=house.pk,
        requesting_party_id=police.pk,
        recorded_by_id=user.pk,
        question="Synthetische vraag.",
        outcome="referred",
        case_id=ids["case"],
    )
    old.get_model("cases", "Meeting").objects.create(
        id=ids["meeting"],
        body_id=body.pk,
        house_id=house.pk,
        starts_at=now,
        status="held",
        scheduled_by_id=user.pk,
        held_at=now,
    )
    old.get_model("cases", "AgendaItem").objects.create(
        id=ids["item"],
        meeting_id=ids["meeting"],
        case_id=ids["case"],
        position=1,
        purpose="closure",
        minutes="Synthetisch verslag.",
    )
    decision = old.get_model("cases", "Decision").objects.create(
        agenda_item_id=ids["item"], text="Afschalen.", recorded_by_id=user.pk
    )
    plan = old.get_model("cases", "ActionPlan").objects.create(
        case_id=ids["case"], goal="Synthetisch plan.", version=2
    )
    old.get_model("cases", "Action").objects.create(
        id=ids["action"],
        plan_id=plan.pk,
        owner_party_id=police.pk,
        what="Synthetische actie.",
        due_on=datetime.date(2026, 1, 31),
        status="done",
    )
    version = old.get_model("cases", "ActionPlanVersion").objects.create(
        plan_id=plan.pk, number=1, goal="Eerder doel.", changed_by_id=user.pk, change="doel"
    )
    old.get_model("cases", "Closure").objects.create(
        case_id=ids["case"],
        agenda_item_id=ids["item"],
        reason="goal_reached",
        referrer_notice="Aanmelder ingelicht.",
        referrer_informed_at=now,
        decided_by_id=user.pk,
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    for model, app in MOVED.items():
        assert f"{app}_{model}" in tables
        assert f"cases_{model}" not in tables
    case = Case.objects.get(pk=ids["case"])
    assert AdviceRequest.objects.get(pk=ids["advice"]).case == case
    item = AgendaItem.objects.select_related("meeting").get(pk=ids["item"])
    assert (item.case, item.meeting.pk, item.minutes) == (
        case,
        ids["meeting"],
        "Synthetisch verslag.",
    )
    assert Meeting.objects.get(pk=ids["meeting"]).status == "held"
    assert Decision.objects.get(pk=decision.pk).agenda_item == item
    assert ActionPlan.objects.get(pk=plan.pk).case == case
    assert Action.objects.get(pk=ids["action"]).plan_id == plan.pk
    assert ActionPlanVersion.objects.get(pk=version.pk).goal == "Eerder doel."
    assert Closure.objects.get(case=case).agenda_item == item
    assert {
        model: ContentType.objects.get(app_label=app, model=model).pk
        for model, app in MOVED.items()
    } == content_types
    # New rows still get ids after the rename (the integer keys' sequences moved along).
    assert Decision.objects.create(agenda_item=item, text="Nog een.", recorded_by=user).pk
