# SPDX-License-Identifier: EUPL-1.2
"""What the plans app tells privacy: which of a purged case's plan records go when.

At closure (`closure_days`) the plan's earlier versions go; after the monitoring period the
plan and its actions go with the case (docs/privacy.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from uuid import UUID

from ketentafel.plans.models import Action, ActionPlan, ActionPlanVersion
from ketentafel.privacy.models import Stage
from ketentafel.privacy.registry import CaseRows


class PlansRetention:
    """Purger of the action plans of cases (before the case's own rows)."""

    order = 40

    def purge(
        self, *, stage: Stage, case_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        rows = CaseRows(case_ids, delete=delete)
        rows.take(
            "plan_version",
            ActionPlanVersion.objects.filter(plan__case_id__in=case_ids),
            "plan__case_id",
        )
        if stage == Stage.CLOSURE:
            return rows.counts
        rows.take("action", Action.objects.filter(plan__case_id__in=case_ids), "plan__case_id")
        rows.take("action_plan", ActionPlan.objects.filter(case_id__in=case_ids), "case_id")
        return rows.counts


plans_retention = PlansRetention()
