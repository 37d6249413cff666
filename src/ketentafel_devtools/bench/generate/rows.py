# SPDX-License-Identifier: EUPL-1.2
"""Writing generated rows in bulk: the columns written per model, primary keys allocated
ahead so related rows can be linked, and one COPY (or multi-row INSERT) per model and chunk.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from ketentafel.advice.models import AdviceRequest
from ketentafel.cases.models import Case, CaseParty, Closure, Person, TriageDecision
from ketentafel.information.models import InformationItem, InformationRequest, ItemShare
from ketentafel.meetings.models import AgendaItem, Decision, Meeting
from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion


class Ids:
    """Allocates primary keys for auto-numbered models, so related rows can be linked in bulk."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        if model not in self._next:
            highest = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
            self._next[model] = highest + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    Case: (
        "id",
        "house_id",
        "track_id",
        "phase",
        "subject_kind",
        "area_description",
        "municipality_id",
        "referring_party_id",
        "referred_by_id",
        "problem_statement",
        "goal",
        "process_coordinator_id",
        "information_coordinator_id",
        "case_coordinator_party_id",
        "case_coordinator_id",
        "referred_at",
        "first_discussed_at",
        "closed_at",
        "updated_at",
    ),
    Case.themes.through: ("id", "case_id", "theme_id"),
    Person: (
        "id",
        "case_id",
        "given_names",
        "surname",
        "surname_key",
        "birth_date",
        "bsn",
        "address",
        "municipality",
        "is_primary",
    ),
    CaseParty: (
        "id",
        "case_id",
        "party_id",
        "role",
        "information_need",
        "invited_by_id",
        "invited_at",
    ),
    AdviceRequest: (
        "id",
        "house_id",
        "requesting_party_id",
        "recorded_by_id",
        "question",
        "outcome",
        "advice",
        "case_id",
        "created_at",
        "concluded_at",
    ),
    TriageDecision: (
        "id",
        "case_id",
        "decided_by_id",
        "decided_at",
        "serious_area_problem",
        "system_impact",
        "multiple_chains_needed",
        "multiple_problems",
        "outcome",
        "explanation",
    ),
    InformationRequest: (
        "id",
        "case_id",
        "party_id",
        "question",
        "reason",
        "deadline",
        "status",
        "requested_by_id",
        "requested_at",
        "answered_at",
        "answer_note",
    ),
    InformationItem: (
        "id",
        "case_id",
        "request_id",
        "supplier_party_id",
        "supplied_by_id",
        "life_domain",
        "text",
        "legal_basis",
        "data_category",
        "track_id",
        "sharing",
        "supplied_at",
        "sharing_changed_at",
    ),
    ItemShare: ("id", "item_id", "party_id"),
    Meeting: (
        "id",
        "body_id",
        "house_id",
        "starts_at",
        "location",
        "status",
        "scheduled_by_id",
        "held_at",
    ),
    AgendaItem: (
        "id",
        "meeting_id",
        "case_id",
        "position",
        "purpose",
        "minutes",
        "informs_client",
        "on_arrest",
        "closure_criteria",
        "progress",
    ),
    Decision: ("id", "agenda_item_id", "decision_type_id", "text", "recorded_by_id", "recorded_at"),
    ActionPlan: ("id", "case_id", "goal", "version"),
    Action: ("id", "plan_id", "owner_party_id", "owner_id", "what", "due_on", "status"),
    ActionPlanVersion: (
        "id",
        "plan_id",
        "number",
        "goal",
        "actions",
        "changed_by_id",
        "changed_at",
        "change",
    ),
    Closure: (
        "id",
        "case_id",
        "agenda_item_id",
        "reason",
        "handed_over_to_id",
        "explanation",
        "referrer_notice",
        "referrer_informed_at",
        "decided_by_id",
    ),
}

Row = tuple[Any, ...]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> int:
    """Insert rows as they are, bypassing `save()` (so `auto_now` fields keep their values).

    PostgreSQL gets one COPY per call; other databases a multi-row INSERT with each value
    prepared by its field, as the ORM would.
    """
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            with cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row([Jsonb(v) if isinstance(v, list | dict) else v for v in row])
                    count += 1
            return count
        fields = [model._meta.get_field(c) for c in columns]
        placeholders = ", ".join(["%s"] * len(columns))
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]  # type: ignore[union-attr]
            for row in rows
        ]
        if prepared:
            cursor.executemany(
                # Table and column names come from the models, never from input.
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) "  # noqa: S608
                f"VALUES ({placeholders})",
                prepared,
            )
        return len(prepared)


@dataclass
class Batch:
    """Rows of one chunk of cases, per model, inserted together."""

    rows: dict[type[models.Model], list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, model: type[models.Model], row: Row) -> None:
        self.rows[model].append(row)

    def flush(self, counts: Counter[str]) -> None:
        for model, columns in COLUMNS.items():
            rows = self.rows.get(model)
            if rows:
                counts[model._meta.label] += insert_rows(model, columns, rows)
        self.rows.clear()
