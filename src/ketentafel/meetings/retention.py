# SPDX-License-Identifier: EUPL-1.2
"""What the meetings app tells privacy: which of a purged case's meeting records go when.

At closure (`closure_days`) the free text of the case's agenda items goes (minutes, who informs
the client, arrest instructions, closure criteria, progress), which the monitoring does not
need; after the monitoring period the decisions and agenda items themselves go with the case
(docs/privacy.md). The meetings stay: they are the house's, and name no person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from uuid import UUID

from django.db.models import Count, Q

from ketentafel.meetings.models import AgendaItem, Decision
from ketentafel.privacy.models import Stage
from ketentafel.privacy.registry import CaseRows

AGENDA_TEXT = ("minutes", "informs_client", "on_arrest", "closure_criteria", "progress")


class MeetingsRetention:
    """Purger of the agenda items of cases (before the case's own rows)."""

    order = 50

    def purge(
        self, *, stage: Stage, case_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        rows = CaseRows(case_ids, delete=delete)
        agenda = AgendaItem.objects.filter(case_id__in=case_ids)
        if stage == Stage.CLOSURE:
            with_text = agenda.exclude(
                Q(minutes="")
                & Q(informs_client="")
                & Q(on_arrest="")
                & Q(closure_criteria="")
                & Q(progress="")
            )
            for row in with_text.values("case_id").annotate(n=Count("pk")).order_by():
                rows.counts[row["case_id"]]["minutes"] += row["n"]
            if delete:
                with_text.update(**dict.fromkeys(AGENDA_TEXT, ""))
            return rows.counts
        rows.take(
            "decision",
            Decision.objects.filter(agenda_item__case_id__in=case_ids),
            "agenda_item__case_id",
        )
        rows.take("agenda_item", agenda, "case_id")
        return rows.counts


meetings_retention = MeetingsRetention()
