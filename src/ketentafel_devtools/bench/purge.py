# SPDX-License-Identifier: EUPL-1.2
"""Section "purge" (issue 6): hard-deleting the personal data of closed cases in bulk.

The oldest `PURGE_CASES` closed cases of the dataset are made due by setting every track's
periods to zero for the run, and `privacy.purge.purge_run` removes them in its batches: both
stages (first clean-up and dossier) with every item, request, person and minute, a deletion
record and statistics row per case, and one audit event per batch and house. It all runs in an
outer transaction that is rolled back afterwards, so the dataset stays usable for `--reuse`;
each batch is then a savepoint instead of a transaction of its own. Target: 10 000 cases in
at most 30 s on PostgreSQL. Declined referrals are left out (their period is set out of reach)
and foreign keys are checked per statement, as the real run's commits would check them.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ketentafel.cases.models import Case, Person, Phase
from ketentafel.covenants.models import Track
from ketentafel.information.models import InformationItem
from ketentafel.privacy.purge import DEFAULT_BATCH_SIZE, purge_run
from ketentafel_devtools.bench.registry import BenchContext, Results, register

PURGE_CASES = 10_000
TARGET_SECONDS = 30.0


class _RollBack(Exception):
    """Raised to undo the purge once it has been measured."""


@register("purge", help="Purge of 10 000 closed cases (both stages), rolled back", order=90)
def run(context: BenchContext) -> Results:
    closed = Case.objects.filter(phase=Phase.CLOSED).order_by("closed_at")
    total_closed = closed.count()
    if not total_closed:
        raise RuntimeError("The dataset has no closed cases; regenerate it.")
    wanted = min(PURGE_CASES, total_closed)
    last = closed.values_list("closed_at", flat=True)[wanted - 1]
    # With periods of zero, cases closed up to and including `today` are due on it.
    today = timezone.localdate(last) - datetime.timedelta(days=1)
    results: dict[str, Any] = {}
    try:
        with transaction.atomic():
            Track.objects.filter(retention_monitoring_days__isnull=False).update(
                retention_closure_days=0, retention_monitoring_days=0, retention_declined_days=36600
            )
            if connection.vendor == "postgresql":
                # Foreign keys are checked at commit, which a rolled-back run never reaches;
                # checking them per statement keeps their cost in the measurement.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            due = Case.objects.filter(
                phase=Phase.CLOSED, closed_at__lt=_start(today + datetime.timedelta(days=1))
            )
            results["cases_due"] = due.count()
            results["persons_due"] = Person.objects.filter(case__in=due).count()
            results["items_due"] = InformationItem.objects.filter(case__in=due).count()
            context.log(f"purging {results['cases_due']} closed cases ...")
            started = time.perf_counter()
            report = purge_run(today=today, batch_size=DEFAULT_BATCH_SIZE)
            seconds = time.perf_counter() - started
            results["purged_cases"] = dict(report.cases)
            results["rows_deleted"] = sum(report.rows.values())
            results["rows_by_kind"] = dict(sorted(report.rows.items()))
            results["batches"] = report.batches
            results["purge_seconds"] = round(seconds, 2)
            results["cases_per_second"] = round(results["cases_due"] / seconds, 1)
            results["target_seconds_for_10000"] = TARGET_SECONDS
            results["seconds_per_10000"] = round(seconds * PURGE_CASES / results["cases_due"], 2)
            results["meets_target"] = results["seconds_per_10000"] <= TARGET_SECONDS
            results["database"] = connection.vendor
            raise _RollBack
    except _RollBack:
        pass
    return results


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
