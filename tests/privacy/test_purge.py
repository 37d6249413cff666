# SPDX-License-Identifier: EUPL-1.2
"""The purge: hard delete in stages, proof without personal data, safe to repeat after a crash."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from ketentafel.audit.models import Action, AuditEvent, EventPerson
from ketentafel.audit.verify import chain_verify
from ketentafel.cases.models import Case, Person
from ketentafel.cases.retention import cases_retention
from ketentafel.information.models import Disclosure, InformationItem
from ketentafel.meetings.models import AgendaItem
from ketentafel.privacy.models import CaseStatistic, DeletionRecord, Stage
from ketentafel.privacy.purge import purge_run
from ketentafel.privacy.tasks import purge_due
from tests.cases.conftest import World
from tests.privacy.conftest import active, closed, days_later, declined, someone

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

AUDIT_TABLES = {"audit_auditevent", "audit_eventperson", "audit_eventdataparty"}


def table_rows() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def tables_holding(needles: list[str]) -> dict[str, set[str]]:
    """Every table with a column value that contains one of `needles` (case-insensitive)."""
    found: dict[str, set[str]] = {}
    lowered = [n.casefold() for n in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    text = str(value).casefold()
                    for needle in lowered:
                        if needle in text:
                            found.setdefault(table, set()).add(needle)
    return found


def uuid_forms(value: Any) -> list[str]:
    return [str(value), value.hex]


def test_after_the_monitoring_period_no_trace_of_the_person_remains(world: World) -> None:
    gone, kept = someone(1), someone(2)
    gone_case = closed(world, gone)
    gone_persons = list(gone_case.persons.values_list("pk", flat=True))
    active(world, kept)
    # The scan finds both people before the purge: it can fail.
    before = tables_holding(gone.traces + kept.traces)
    assert "cases_person" in before
    assert "information_informationitem" in before

    purge_run(today=days_later(366))

    assert tables_holding(gone.traces) == {}
    still = tables_holding(kept.traces)
    assert {"cases_person", "information_informationitem"} <= set(still)
    pseudonyms = [form for pk in gone_persons for form in uuid_forms(pk)]
    pseudonyms += uuid_forms(gone_case.pk)
    assert set(tables_holding(pseudonyms)) <= AUDIT_TABLES | {
        "privacy_deletionrecord",
        "privacy_casestatistic",
    }
    assert not Case.objects.filter(pk=gone_case.pk).exists()
    assert chain_verify().is_intact


def test_each_stage_leaves_a_deletion_record_and_a_purge_event(world: World) -> None:
    person = someone(3)
    case = closed(world, person)
    person_id = case.persons.get().pk

    first = purge_run(today=days_later(0))

    assert first.cases == Counter({"closure": 1})
    assert not InformationItem.objects.filter(case=case).exists()
    assert Person.objects.filter(pk=person_id).exists()  # kept for monitoring
    assert not AgendaItem.objects.filter(case=case).exclude(minutes="").exists()
    record = DeletionRecord.objects.get(case_id=case.pk, stage=Stage.CLOSURE)
    assert record.counts["information_item"] == 1
    assert record.counts["disclosure"] == 1
    assert record.counts["minutes"] == 2
    assert record.counts["plan_version"] >= 1
    assert record.rule == "complex-cases: closure_days=0"
    assert record.rule_is_example

    purge_run(today=days_later(364))
    assert Person.objects.filter(pk=person_id).exists()
    purge_run(today=days_later(365))

    final = DeletionRecord.objects.get(case_id=case.pk, stage=Stage.FINAL)
    assert final.counts["person"] == 1
    assert final.counts["case"] == 1
    assert "information_item" not in final.counts
    events = AuditEvent.objects.filter(action=Action.PURGE).order_by("seq")
    assert [e.reason for e in events] == ["closure: 1 cases", "final: 1 cases"]
    assert all(e.object_ids == [str(case.pk)] for e in events)
    assert all(e.house_id == world.house.pk for e in events)
    assert EventPerson.objects.filter(event__in=events, person_id=str(person_id)).count() == 2
    assert all(e.case_id == str(case.pk) for e in events)
    assert all(e.object_type == "case" for e in events)


def test_an_event_for_several_cases_names_no_single_case(world: World) -> None:
    cases = [closed(world, someone(n)) for n in (40, 41)]
    lines: list[str] = []
    purge_run(today=days_later(0), progress=lines.append)
    [event] = AuditEvent.objects.filter(action=Action.PURGE)
    assert sorted(event.object_ids) == sorted(str(c.pk) for c in cases)
    assert event.case_id == ""
    assert event.reason == "closure: 2 cases"
    assert len(event.person_ids) == 2
    assert CaseStatistic.objects.filter(case_id__in=[c.pk for c in cases]).count() == 2
    assert lines == ["closure: 2 cases"]


def test_statistics_survive_the_purge(world: World) -> None:
    case = closed(world, someone(4))
    purge_run(today=days_later(400))

    assert DeletionRecord.objects.get(case_id=case.pk).stage == Stage.FINAL
    stat = CaseStatistic.objects.get(case_id=case.pk)
    assert stat.track_id == world.track.pk
    assert stat.municipality_id == world.municipality.pk
    assert list(stat.themes.values_list("pk", flat=True)) == [world.themes[0].pk]
    assert stat.outcome == "goal_reached"
    assert stat.closed_on is not None
    assert stat.first_discussed_on is not None
    assert stat.person_count == 1


def test_a_declined_referral_goes_after_its_period(world: World) -> None:
    case = declined(world, someone(5))
    purge_run(today=days_later(89))
    assert Case.objects.filter(pk=case.pk).exists()

    report = purge_run(today=days_later(90))

    assert report.cases == Counter({"declined": 1})
    assert not Case.objects.filter(pk=case.pk).exists()
    record = DeletionRecord.objects.get(case_id=case.pk)
    assert record.stage == Stage.DECLINED
    assert record.counts["information_item"] == 1
    assert CaseStatistic.objects.get(case_id=case.pk).outcome == "declined"


def test_open_cases_are_never_purged(world: World) -> None:
    case = active(world, someone(6))
    assert purge_run(today=days_later(5000)).cases == Counter()
    assert Case.objects.filter(pk=case.pk).exists()


def test_dry_run_lists_what_would_go_and_deletes_nothing(world: World) -> None:
    first, second = closed(world, someone(7)), closed(world, someone(8))
    before = table_rows()

    report = purge_run(today=days_later(400), dry_run=True)

    assert table_rows() == before
    # Past the monitoring period both go whole in the final stage; the clean-up is part of it.
    assert {(p.case_id, p.stage) for p in report.planned} == {
        (first.pk, Stage.FINAL),
        (second.pk, Stage.FINAL),
    }
    planned = report.planned[0]
    assert planned.counts["person"] == 1
    assert planned.counts["information_item"] == 1
    assert planned.rule == "complex-cases: monitoring_days=365"
    real = purge_run(today=days_later(400))
    assert real.rows == report.rows


def test_a_dry_run_counts_each_row_once_across_stages(world: World) -> None:
    case = closed(world, someone(10))
    assert {p.stage for p in purge_run(today=days_later(0), dry_run=True).planned} == {
        Stage.CLOSURE
    }
    purge_run(today=days_later(0))
    report = purge_run(today=days_later(365), dry_run=True)
    [planned] = report.planned
    assert (planned.case_id, planned.stage) == (case.pk, Stage.FINAL)
    assert "information_item" not in planned.counts  # already gone at closure


def test_a_second_run_changes_nothing(world: World) -> None:
    closed(world, someone(9))
    purge_run(today=days_later(400))
    before = table_rows()
    again = purge_run(today=days_later(400))
    assert again.cases == Counter()
    assert table_rows() == before


def test_a_crash_in_the_middle_of_a_batch_rolls_it_back_and_a_rerun_completes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [closed(world, someone(20 + n)) for n in range(5)]
    original = type(cases_retention).purge
    calls = {"n": 0}

    def crashing(self: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch, after information already deleted its rows
            raise RuntimeError("killed")
        return original(self, **kwargs)

    monkeypatch.setattr(type(cases_retention), "purge", crashing)
    with pytest.raises(RuntimeError, match="killed"):
        purge_run(today=days_later(0), batch_size=2)

    done = set(DeletionRecord.objects.values_list("case_id", flat=True))
    assert len(done) == 2  # the first batch committed, the second rolled back entirely
    for case in cases:
        has_items = InformationItem.objects.filter(case=case).exists()
        assert has_items == (case.pk not in done)

    monkeypatch.setattr(type(cases_retention), "purge", original)
    purge_run(today=days_later(0), batch_size=2)

    records = Counter(DeletionRecord.objects.values_list("case_id", "stage"))
    assert records == Counter({(c.pk, Stage.CLOSURE): 1 for c in cases})
    assert not InformationItem.objects.filter(case__in=cases).exists()
    assert not Disclosure.objects.exists()
    assert Person.objects.filter(case__in=cases).count() == 5
    purged = [e.object_ids for e in AuditEvent.objects.filter(action=Action.PURGE)]
    assert sorted(i for ids in purged for i in ids) == sorted(str(c.pk) for c in cases)


def test_the_command_and_the_task(world: World) -> None:
    case = closed(world, someone(30))
    out = io.StringIO()
    call_command("purge", "--dry-run", "--batch-size", "1", stdout=out)
    assert f"closure\t{case.pk}" in out.getvalue()
    assert "would purge" in out.getvalue()
    assert not DeletionRecord.objects.exists()

    result = purge_due.enqueue(batch_size=10)

    assert result.return_value is not None
    assert result.return_value["cases"] == {"closure": 1}
    assert DeletionRecord.objects.filter(case_id=case.pk).exists()


def test_the_command_refuses_a_bad_batch_size(world: World) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="batch-size"):
        call_command("purge", "--batch-size", "0")
