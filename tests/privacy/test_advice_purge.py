# SPDX-License-Identifier: EUPL-1.2
"""Advice requests handled locally disappear like a referral not taken up (PRODUCT.md 4): hard
deleted `declined_days` after they were concluded, with a deletion record and a purge event,
idempotent; open ones stay, and one that became a case goes with its case (docs/adr/0009)."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from ketentafel.advice import services as advice_services
from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.audit.models import Action, AuditEvent
from ketentafel.audit.verify import chain_verify
from ketentafel.cases import services
from ketentafel.cases.models import Case, SubjectKind
from ketentafel.covenants.models import Track
from ketentafel.privacy.models import CaseStatistic, DeletionRecord, Stage
from ketentafel.privacy.purge import purge_run
from tests.cases.conftest import World
from tests.privacy.conftest import days_later, declined, fake, someone
from tests.privacy.test_purge import AUDIT_TABLES, table_rows, tables_holding, uuid_forms

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

NOON = datetime.time(12, 0)


def asked(world: World, question: str = "") -> AdviceRequest:
    return advice_services.advice_record(
        actor=world.police,
        house_id=world.house.pk,
        question=question or f"Zorgen om {fake.name()} in de wijk.",
    )


def handled(world: World, question: str = "", advice: str = "") -> AdviceRequest:
    request = asked(world, question)
    return advice_services.advice_conclude(
        actor=world.pc, advice_id=request.pk, advice=advice or "Lokaal zorgnetwerk inschakelen."
    )


def test_a_locally_handled_request_goes_after_its_period_without_a_trace(world: World) -> None:
    question = "Meneer Pietersma-7731 aan de Lindelaan 12 verwaarloost zich."
    advice_text = "Wijkteam Pietersma-7731 laten aanbellen."
    request = handled(world, question, advice_text)
    assert set(tables_holding(["Pietersma-7731"])) == {"advice_advicerequest"}

    assert purge_run(today=days_later(89)).cases == Counter()
    assert AdviceRequest.objects.filter(pk=request.pk).exists()

    report = purge_run(today=days_later(90))

    assert report.cases == Counter({"advice": 1})
    assert report.rows == Counter({"advice_request": 1})
    assert not AdviceRequest.objects.filter(pk=request.pk).exists()
    assert tables_holding(["Pietersma-7731", "Lindelaan 12"]) == {}
    assert set(tables_holding(uuid_forms(request.pk))) <= AUDIT_TABLES | {"privacy_deletionrecord"}
    assert chain_verify().is_intact


def test_the_deletion_record_and_the_purge_event(world: World) -> None:
    request = handled(world)
    purge_run(today=days_later(90))

    record = DeletionRecord.objects.get(case_id=request.pk)
    assert record.stage == Stage.ADVICE
    assert record.house_id == world.house.pk
    assert record.track_id == world.track.pk  # the house's complex-case track
    assert record.rule == "complex-cases: declined_days=90"
    assert record.rule_is_example
    assert record.rule_source.startswith("Voorbeeldwaarden")
    assert record.due_on == days_later(90)
    assert record.counts == {"advice_request": 1}
    [event] = AuditEvent.objects.filter(action=Action.PURGE)
    assert (event.object_type, event.object_ids) == ("advicerequest", [str(request.pk)])
    assert event.house_id == world.house.pk
    assert event.actor_id is None
    assert event.reason == "advice: 1 advicerequest"
    # A record outside any case: no case, no persons, no statistic.
    assert (event.case_id, event.person_ids) == ("", [])
    assert not CaseStatistic.objects.exists()


def test_progress_counts_the_records_per_batch(world: World) -> None:
    for _ in range(3):
        handled(world)
    lines: list[str] = []
    purge_run(today=days_later(90), batch_size=2, progress=lines.append)
    assert lines == ["advice: 2 advicerequest", "advice: 3 advicerequest"]


def test_open_requests_are_never_purged(world: World) -> None:
    request = asked(world)
    assert purge_run(today=days_later(5000)).cases == Counter()
    assert AdviceRequest.objects.get(pk=request.pk).outcome == AdviceOutcome.OPEN


def test_a_request_that_became_a_case_goes_with_its_case(world: World) -> None:
    request = asked(world)
    case = services.case_refer(
        actor=world.police,
        house_id=world.house.pk,
        track_id=world.track.pk,
        subject_kind=SubjectKind.PERSON,
        persons=[someone(40).as_input()],
        municipality_id=world.municipality.pk,
        problem_statement="Overlast.",
        goal="Plan.",
        advice_request_id=request.pk,
    )
    assert purge_run(today=days_later(5000)).cases == Counter()  # an open case is kept
    assert AdviceRequest.objects.get(pk=request.pk).case_id == case.pk
    assert not DeletionRecord.objects.filter(stage=Stage.ADVICE).exists()


def test_a_request_linked_to_a_declined_referral_goes_in_the_declined_stage(world: World) -> None:
    case = declined(world, someone(41))
    request = asked(world)
    AdviceRequest.objects.filter(pk=request.pk).update(
        case=case, outcome=AdviceOutcome.REFERRED, concluded_at=case.referred_at
    )
    report = purge_run(today=days_later(90))
    assert report.cases == Counter({"declined": 1})
    record = DeletionRecord.objects.get(case_id=case.pk)
    assert record.counts["advice_request"] == 1
    assert not AdviceRequest.objects.exists()
    assert not Case.objects.exists()


def test_a_covenant_without_a_rule_keeps_them(world: World) -> None:
    request = handled(world)
    Track.objects.filter(covenant=world.house.covenant).update(
        retention_declined_days=None,
        retention_closure_days=None,
        retention_monitoring_days=None,
        retention_open_max_days=None,
        retention_open_warn_days=None,
    )
    assert purge_run(today=days_later(5000)).cases == Counter()
    assert AdviceRequest.objects.filter(pk=request.pk).exists()


def test_batches_and_a_second_run_changes_nothing(world: World) -> None:
    requests = [handled(world) for _ in range(5)]
    report = purge_run(today=days_later(90), batch_size=2)
    assert report.cases == Counter({"advice": 5})
    assert report.batches == 3
    assert Counter(DeletionRecord.objects.values_list("stage", flat=True)) == {"advice": 5}
    purged = [e.object_ids for e in AuditEvent.objects.filter(action=Action.PURGE)]
    assert sorted(i for ids in purged for i in ids) == sorted(str(r.pk) for r in requests)

    before = table_rows()
    assert purge_run(today=days_later(90)).cases == Counter()
    assert table_rows() == before


def test_the_dry_run_and_the_command_show_them_and_delete_nothing(world: World) -> None:
    request = handled(world)
    before = table_rows()

    report = purge_run(today=days_later(90), dry_run=True)

    assert table_rows() == before
    [planned] = report.planned
    assert (planned.case_id, planned.stage, planned.rule) == (
        request.pk,
        Stage.ADVICE,
        "complex-cases: declined_days=90",
    )
    assert planned.counts == {"advice_request": 1}
    assert planned.due_on == days_later(90)

    # Concluded 90 days ago, the command (which purges as of today) lists it as due. At noon
    # of that local date: 90 times 24 hours back from late evening can cross a change to or
    # from summer time into the next day.
    ninety_days_ago = timezone.make_aware(datetime.datetime.combine(days_later(-90), NOON))
    AdviceRequest.objects.filter(pk=request.pk).update(concluded_at=ninety_days_ago)
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert f"advice\t{request.pk}" in out.getvalue()
    assert AdviceRequest.objects.filter(pk=request.pk).exists()
