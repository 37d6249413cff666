# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel bench`: generate a dataset and measure the sections (docs/performance.md).

Runs only on a database it claimed while empty (`bench.guard`), never on real data.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import django
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from ketentafel_devtools.bench import guard
from ketentafel_devtools.bench.generate import generate
from ketentafel_devtools.bench.registry import BenchContext, sections
from ketentafel_devtools.models import BenchDataset


def _memory_gib() -> float | None:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return round(pages / 2**30, 1)


def _database() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"{connection.display_name} {connection.Database.sqlite_version}"  # type: ignore[attr-defined]


class Command(BaseCommand):
    help = (
        "Generate a benchmark dataset and measure the process and audit sections. Runs only on "
        "an empty database it claims (or one it claimed before); see docs/performance.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=100_000, help="Cases to generate (default 100000)."
        )
        parser.add_argument(
            "--sections",
            default="all",
            help="Comma-separated sections to run, or 'all' (default).",
        )
        parser.add_argument(
            "--repeat", type=int, default=100, help="Measured calls per timing (default 100)."
        )
        parser.add_argument(
            "--audit-events",
            type=int,
            default=1_000_000,
            help="Events the audit log holds before verify is timed (default 1000000).",
        )
        parser.add_argument(
            "--audit-writes",
            type=int,
            default=2000,
            help="Events appended per writer for the append rates (default 2000).",
        )
        parser.add_argument("--seed", type=int, default=20261125, help="Random seed.")
        parser.add_argument("--output", type=Path, help="Write the results as JSON to this file.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Keep and reuse a complete dataset of the same scale instead of regenerating.",
        )
        parser.add_argument(
            "--prepare",
            action="store_true",
            help="Create the PostgreSQL database if missing and migrate it first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale, repeat = options["scale"], options["repeat"]
        for name in ("scale", "repeat", "audit_events", "audit_writes"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        known = sections()
        wanted = (
            list(known)
            if options["sections"] == "all"
            else [s.strip() for s in options["sections"].split(",") if s.strip()]
        )
        unknown = [s for s in wanted if s not in known]
        if unknown or not wanted:
            raise CommandError(
                f"Unknown section(s) {', '.join(unknown) or '(none given)'}; "
                f"choose from: {', '.join(known)} or all."
            )
        if options["prepare"]:
            if guard.ensure_database():
                self.stdout.write("Created the benchmark database.")
            call_command("migrate", interactive=False, verbosity=0)
        try:
            marker = guard.claim()
        except guard.NotABenchDatabase as exc:
            raise CommandError(str(exc)) from None

        started_at, clock = timezone.now(), time.perf_counter()
        reused = options["reuse"] and marker.is_complete and marker.scale == scale
        if reused:
            self.stdout.write(f"Reusing the dataset of {marker.scale} cases.")
        else:
            marker = self._generate(marker, scale=scale, seed=options["seed"])

        context = BenchContext(
            scale=scale,
            repeat=repeat,
            audit_events=options["audit_events"],
            audit_writes=options["audit_writes"],
            samples=marker.samples,
            log=lambda line: self.stdout.write(f"{line} [{time.perf_counter() - clock:.1f}s]"),
            options={k: options[k] for k in ("seed", "reuse")},
        )
        results: dict[str, Any] = {
            "started_at": started_at.isoformat(),
            "machine": {
                "cpus": os.cpu_count(),
                "memory_gib": _memory_gib(),
                "database": _database(),
                "python": platform.python_version(),
                "django": django.get_version(),
            },
            "dataset": {
                "scale": marker.scale,
                "seed": marker.seed,
                "reused": reused,
                "generated_seconds": marker.generated_seconds,
                "counts": marker.counts,
            },
            "options": {
                "repeat": repeat,
                "audit_events": context.audit_events,
                "audit_writes": context.audit_writes,
            },
            "sections": {},
        }
        for name in wanted:
            self.stdout.write(f"Section {name}: {known[name].help}")
            section_started = time.perf_counter()
            section = known[name].run(context)
            section["seconds"] = round(time.perf_counter() - section_started, 1)
            results["sections"][name] = section
        results["finished_at"] = timezone.now().isoformat()
        self._summary(results)
        if options["output"] is not None:
            options["output"].parent.mkdir(parents=True, exist_ok=True)
            options["output"].write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(f"Results written to {options['output']}")

    def _generate(self, marker: BenchDataset, *, scale: int, seed: int) -> BenchDataset:
        if marker.scale or marker.counts or not _is_fresh(marker):
            self.stdout.write("Emptying the benchmark database ...")
            marker = guard.wipe(marker)
        self.stdout.write(f"Generating {scale} cases ...")
        started = time.perf_counter()
        marker.scale, marker.seed, marker.is_complete = scale, seed, False
        marker.save()
        counts, samples = generate(scale=scale, seed=seed, log=self.stdout.write)
        marker.counts, marker.samples = counts, samples
        marker.generated_seconds = round(time.perf_counter() - started, 1)
        marker.is_complete = True
        marker.save()
        self.stdout.write(f"Generated in {marker.generated_seconds}s.")
        return marker

    def _summary(self, results: dict[str, Any]) -> None:
        for name, section in results["sections"].items():
            self.stdout.write(self.style.SUCCESS(f"\n{name}"))
            for key, value in section.items():
                if isinstance(value, dict) and "p95_ms" in value:
                    verdict = ""
                    if "meets_target" in value:
                        verdict = "  ok" if value["meets_target"] else "  ABOVE TARGET"
                    self.stdout.write(
                        f"  {key:<34} n={value['n']:<5} p50={value['p50_ms']:>8.2f} ms  "
                        f"p95={value['p95_ms']:>8.2f} ms{verdict}"
                    )
                elif isinstance(value, dict) and "events_per_second" in value:
                    self.stdout.write(f"  {key:<34} {value['events_per_second']:>10.1f} events/s")
                elif not isinstance(value, dict):
                    self.stdout.write(f"  {key:<34} {value}")


def _is_fresh(marker: BenchDataset) -> bool:
    """Whether the claimed database is still as empty as when it was claimed."""
    return not guard.occupied_tables()
