# SPDX-License-Identifier: EUPL-1.2
"""What the development tools store: only the mark of a benchmark database.

`ketentafel bench` fills a database with generated rows and empties it again, so it must
never run against a database that holds anything else. It claims an empty database by
writing this row; a database without it, and with any data, is refused (`bench.guard`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class BenchDataset(models.Model):
    """The one row marking this database as the benchmark's own, with what was generated."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    claimed_at = models.DateTimeField()
    scale = models.PositiveIntegerField(default=0, help_text="Cases generated.")
    seed = models.IntegerField(default=0)
    is_complete = models.BooleanField(
        default=False, help_text="False while generating: an interrupted dataset is regenerated."
    )
    generated_seconds = models.FloatField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    samples = models.JSONField(
        default=dict, blank=True, help_text="Ids of actors and cases the sections measure with."
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="bench_dataset_single")]

    def __str__(self) -> str:
        return f"benchmark dataset ({self.scale} cases)"
