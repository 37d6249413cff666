# SPDX-License-Identifier: EUPL-1.2
"""What the advice app tells privacy: advice requests handled locally, and the one a purged
case followed on.

Registered with `ketentafel.privacy.registry` in `AdviceConfig.ready`. A request handled
locally (no case) goes `declined_days` after it was concluded, under the rule of its house's
complex-case track (ADR 0009); a request that led to a referral goes with its case."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.covenants.models import Track, TrackKind
from ketentafel.privacy.models import Stage
from ketentafel.privacy.registry import (
    CaseRows,
    DueRecord,
    cutoff,
    delete_rows,
    local_date,
)


class AdviceRetention:
    """Record source for advice requests handled locally (docs/adr/0009).

    The advice phase is the first step of the complex-case process (Gelderland-Midden
    Bijlage 3, "Adviesfase"), and a request handled locally is, like a referral triage
    declined, a question the house did not take up: it holds free text about a person and
    goes `declined_days` after it was concluded, under the rule of the complex-case track of
    its house's covenant (the shortest, should a covenant have several). A covenant without
    such a rule keeps them; an open request is never purged (it is the process coordinator's
    to conclude), and one that led to a referral goes with its case.
    """

    stage = Stage.ADVICE
    order = 30

    def purge(
        self, *, stage: Stage, case_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        """As a purger: the advice request a case followed on goes with the case (not at
        closure, when the case's record stays for the monitoring)."""
        rows = CaseRows(case_ids, delete=delete)
        if stage != Stage.CLOSURE:
            rows.take(
                "advice_request", AdviceRequest.objects.filter(case_id__in=case_ids), "case_id"
            )
        return rows.counts

    object_type = "advicerequest"

    @staticmethod
    def _rules() -> dict[int, dict[str, Any]]:
        """Per covenant id, the complex-case track whose `declined_days` applies."""
        rules: dict[int, dict[str, Any]] = {}
        for track in (
            Track.objects.filter(
                kind=TrackKind.COMPLEX_CASES,
                is_active=True,
                retention_declined_days__isnull=False,
            )
            .order_by("retention_declined_days", "pk")
            .values(
                "pk",
                "covenant_id",
                "slug",
                "retention_declined_days",
                "retention_source",
                "retention_is_example",
            )
        ):
            rules.setdefault(track["covenant_id"], dict(track))
        return rules

    @staticmethod
    def _handled_locally() -> QuerySet[AdviceRequest]:
        return AdviceRequest.objects.filter(
            outcome=AdviceOutcome.HANDLED_LOCALLY, case__isnull=True, concluded_at__isnull=False
        )

    def due_records(
        self, *, today: datetime.date, after: UUID | None, limit: int
    ) -> list[DueRecord]:
        rules = self._rules()
        due = Q(pk__in=[])
        for covenant_id, rule in rules.items():
            before = cutoff(today, rule["retention_declined_days"])
            due |= Q(house__covenant_id=covenant_id, concluded_at__lt=before)
        requests = self._handled_locally().filter(due)
        if after is not None:
            requests = requests.filter(pk__gt=after)
        records = []
        for pk, house_id, covenant_id, concluded_at in requests.order_by("pk").values_list(
            "pk", "house_id", "house__covenant_id", "concluded_at"
        )[:limit]:
            rule = rules[covenant_id]
            days = rule["retention_declined_days"]
            concluded = local_date(concluded_at)
            assert concluded is not None
            records.append(
                DueRecord(
                    record_id=pk,
                    house_id=house_id,
                    track_id=rule["pk"],
                    due_on=concluded + datetime.timedelta(days=days),
                    rule=f"{rule['slug']}: declined_days={days}",
                    rule_source=rule["retention_source"],
                    rule_is_example=rule["retention_is_example"],
                )
            )
        return records

    def purge_records(
        self, *, record_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        counts: dict[UUID, Counter[str]] = {pk: Counter() for pk in record_ids}
        requests = self._handled_locally().filter(pk__in=record_ids)
        for pk in requests.values_list("pk", flat=True):
            counts[pk]["advice_request"] += 1
        if delete:
            delete_rows(requests)
        return counts


advice_retention = AdviceRetention()
