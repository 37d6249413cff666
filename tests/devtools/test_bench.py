# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel bench` at a tiny scale: the shape of its results, the validity of the generated
rows, and its refusal to touch a database that holds anything it did not generate.

No timing is asserted here: speed goals are shown by the benchmark itself (docs/performance.md).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import AuditEvent
from ketentafel.audit.verify import chain_verify
from ketentafel.cases.models import Case, Phase
from ketentafel.cases.selectors import cases_visible_to
from ketentafel.covenants.models import Party
from ketentafel.information.models import InformationItem
from ketentafel_devtools.bench.measure import percentile
from ketentafel_devtools.bench.registry import register, sections
from ketentafel_devtools.models import BenchDataset

SCALE = 50
TIMING_KEYS = {"n", "mean_ms", "p50_ms", "p95_ms", "max_ms"}


def _run(tmp_path: Path, **options: Any) -> dict[str, Any]:
    output = tmp_path / "bench.json"
    call_command(
        "bench",
        scale=SCALE,
        repeat=3,
        audit_events=1100,
        audit_writes=8,
        output=output,
        stdout=io.StringIO(),
        **options,
    )
    results: dict[str, Any] = json.loads(output.read_text())
    return results


def _assert_timing(timing: dict[str, Any], n: int) -> None:
    assert set(timing) >= TIMING_KEYS
    assert timing["n"] == n
    assert 0 < timing["p50_ms"] <= timing["p95_ms"] <= timing["max_ms"]
    assert timing["mean_ms"] > 0


@pytest.mark.django_db(transaction=True)  # two writer threads need committed rows to share
def test_the_bench_measures_the_process_and_audit_sections(tmp_path: Path) -> None:
    results = _run(tmp_path, sections="process,audit")

    assert results["machine"]["cpus"] >= 1
    dataset = results["dataset"]
    assert dataset["scale"] == SCALE
    assert dataset["reused"] is False
    assert dataset["counts"]["cases.Case"] == SCALE == Case.objects.count()
    assert dataset["counts"]["information.InformationItem"] == InformationItem.objects.count() > 0
    assert set(results["sections"]) == {"process", "audit"}

    process = results["sections"]["process"]
    for name in [
        "case_list_process_coordinator",
        "case_list_partner_professional",
        "dossier_100_items",
        "already_known",
    ]:
        _assert_timing(process[name], 3)
        assert process[name]["target_p95_ms"] == 50.0
        assert isinstance(process[name]["meets_target"], bool)

    audit = results["sections"]["audit"]
    _assert_timing(audit["dossier_with_audit"], 3)
    _assert_timing(audit["dossier_without_audit"], 3)
    _assert_timing(audit["append_one_writer"], 8)
    assert audit["append_one_writer"]["events_per_second"] > 0
    assert audit["append_two_writers"]["events"] == 16
    assert audit["append_two_writers"]["events_per_second"] > 0
    for variant in ["no_log", "ketentafel_audit_record", "django_auditlog"]:
        _assert_timing(audit["updates"][variant], 8)
        assert audit["updates"][variant]["events_per_second"] > 0
    assert set(audit["updates"]["guarantees"]) == {"ketentafel_audit_record", "django_auditlog"}
    verify = audit["verify"]
    assert verify["intact"] is True
    assert verify["findings"] == []
    assert verify["events"] == AuditEvent.objects.count() >= 1100
    assert verify["checkpoints"] >= 1  # the bulk chain is signed as audit_record signs it
    assert verify["events_per_second"] > 0
    assert chain_verify().is_intact

    # The rows are what the services would have left, so the real selectors accept them.
    marker = BenchDataset.objects.get()
    assert marker.is_complete
    dossier_case, coordinator_id = marker.samples["dossier"][0]
    assert InformationItem.objects.filter(case_id=dossier_case).count() == 100
    coordinator = User.objects.get(pk=coordinator_id)
    assert cases_visible_to(coordinator).filter(pk=dossier_case).exists()
    for case in Case.objects.exclude(phase=Phase.REFERRED).select_related("process_coordinator"):
        assert case.process_coordinator is not None
        assert cases_visible_to(case.process_coordinator).filter(pk=case.pk).exists()
    assert not Case.objects.filter(phase=Phase.CLOSED, closure__isnull=True).exists()
    assert not (
        Case.objects.filter(phase__in=[Phase.ACTIVE, Phase.CLOSED], first_discussed_at=None)
    ).exists()
    per_case = InformationItem.objects.values("case").annotate(n=Count("id"))
    assert max(row["n"] for row in per_case) == 100

    # --reuse keeps the dataset: nothing is generated again.
    again = _run(tmp_path, reuse=True, sections="process")
    assert again["dataset"]["reused"] is True
    assert set(again["sections"]) == {"process"}
    assert Case.objects.count() == SCALE


@pytest.mark.django_db
def test_the_bench_refuses_a_database_with_other_data(tmp_path: Path, make_user: Any) -> None:
    user = make_user("echte-gebruiker", roles=(("noord", Role.PROCESS_COORDINATOR),))
    parties = Party.objects.count()

    with pytest.raises(CommandError, match="not a benchmark database"):
        _run(tmp_path)

    assert not BenchDataset.objects.exists()
    assert User.objects.get() == user
    assert Party.objects.count() == parties
    assert not Case.objects.exists()
    assert not (tmp_path / "bench.json").exists()


@pytest.mark.django_db
def test_unknown_sections_and_bad_numbers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Unknown section"):
        _run(tmp_path, sections="process,nonsense")
    with pytest.raises(CommandError, match="--scale must be at least 1"):
        call_command("bench", scale=0)
    assert not BenchDataset.objects.exists()


def test_sections_are_discovered_and_registered_once() -> None:
    known = sections()
    assert list(known)[:2] == ["process", "audit"]  # by their order, before later sections
    with pytest.raises(ValueError, match="registered twice"):
        register("process", help="another")(lambda context: {})


def test_percentiles_are_values_that_were_measured() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([3.0], 0.95) == 3.0
