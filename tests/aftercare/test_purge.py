# SPDX-License-Identifier: EUPL-1.2
"""A nazorg case's records go with it, under the aftercare track's retention rule (region file,
Privacy Protocol Nazorg ex-gedetineerden; Gelderland-Midden Bijlage 3 Afsluitingsfase)."""

from __future__ import annotations

import pytest

from ketentafel.aftercare import services
from ketentafel.aftercare.models import BasicConditionStatus, DetentionNotification
from ketentafel.cases.models import Case, ClosureReason, Person, Phase
from ketentafel.cases.services import case_close as close_without_meeting
from ketentafel.privacy.models import DeletionRecord, Stage
from ketentafel.privacy.purge import purge_run
from ketentafel.privacy.registry import export_sources
from tests.aftercare.conftest import Nazorg, nazorg, taken_up, world
from tests.privacy.conftest import days_later

__all__ = ["nazorg", "world"]

# `clock`: retention counts local days (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def closed_nazorg_case(nazorg: Nazorg) -> Case:
    world = nazorg.world
    case = taken_up(nazorg)
    for condition, status in (("housing", "red"), ("housing", "green"), ("care", "orange")):
        services.basic_condition_set(
            actor=world.pc, case_id=case.pk, condition=condition, status=status, note="Notitie"
        )
    # The nazorg route closes by the case's process coordinator, without a meeting (Bijlage 3,
    # Proces nazorg: no case meeting, no plan).
    close_without_meeting(
        actor=world.pc,
        case_id=case.pk,
        reason=ClosureReason.GOAL_REACHED,
        referrer_notice="DJI is gemeld dat de nazorg is afgerond.",
    )
    assert Case.objects.get(pk=case.pk).phase == Phase.CLOSED
    return case


def test_the_notes_go_at_closure_and_everything_after_the_monitoring_period(
    nazorg: Nazorg,
) -> None:
    case = closed_nazorg_case(nazorg)
    person_id = case.persons.get().pk
    assert nazorg.track.retention_monitoring_days == 180

    purge_run(today=days_later(0))  # closure_days = 0
    closure = DeletionRecord.objects.get(case_id=case.pk, stage=Stage.CLOSURE)
    assert closure.counts["basic_condition_note"] == 3
    assert closure.rule == "aftercare: closure_days=0"
    assert closure.rule_is_example
    assert BasicConditionStatus.objects.filter(case=case).count() == 3
    assert not BasicConditionStatus.objects.filter(case=case).exclude(note="").exists()
    assert DetentionNotification.objects.filter(case=case).exists()

    purge_run(today=days_later(179))
    assert Person.objects.filter(pk=person_id).exists()
    purge_run(today=days_later(180))

    final = DeletionRecord.objects.get(case_id=case.pk, stage=Stage.FINAL)
    assert final.counts["basic_condition_status"] == 3
    assert final.counts["detention_notification"] == 1
    assert final.counts["case"] == 1
    assert not BasicConditionStatus.objects.exists()
    assert not DetentionNotification.objects.exists()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Person.objects.filter(pk=person_id).exists()


def test_a_data_subject_export_holds_the_notification_and_the_lights(nazorg: Nazorg) -> None:
    case = closed_nazorg_case(nazorg)
    refs = [ref for source in export_sources() for ref in source.find(bsn="123456782")]
    assert {ref.case_id for ref in refs} == {case.pk}
    sections = [s for source in export_sources() for s in source.sections(persons=refs)]
    titles = {s.title: s for s in sections}
    notification = titles[f"Detentiemelding casus {case.pk}"]
    assert notification.controller_party_id == nazorg.dji_party.pk
    assert notification.records[0]["Inrichting"] == "PI Arnhem"
    lights = titles[f"Basisvoorwaarden casus {case.pk} ({case.house.name})"]
    assert [r["Stoplicht"] for r in lights.records] == ["Rood", "Groen", "Oranje"]
