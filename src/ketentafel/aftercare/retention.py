# SPDX-License-Identifier: EUPL-1.2
"""What the aftercare app tells privacy: which nazorg records of a purged case go when, and
what a data subject's export holds of them.

Gelderland-Midden Bijlage 3 (Afsluitingsfase): after closure personal data are removed in
stages. At closure (`closure_days`) the notes on the traffic light go, which the monitoring
does not need; the lights themselves (which condition stood at which colour, set by whom and
when) and the detention notification go with the case after the monitoring period, before the
case's own rows (`order` below the cases purger's 100).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from ketentafel.aftercare.models import (
    BasicCondition,
    BasicConditionStatus,
    DetentionNotification,
    Light,
)
from ketentafel.cases.models import Case
from ketentafel.privacy.models import Stage
from ketentafel.privacy.registry import CaseRows, ExportSection, PersonRef


class AftercareRetention:
    """Purger (before the case's rows) and export source of the nazorg records of cases."""

    order = 30

    def purge(
        self, *, stage: Stage, case_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        rows = CaseRows(case_ids, delete=delete)
        statuses = BasicConditionStatus.objects.filter(case_id__in=case_ids)
        if stage == Stage.CLOSURE:
            noted = statuses.exclude(note="")
            for case_id in noted.values_list("case_id", flat=True):
                rows.counts[case_id]["basic_condition_note"] += 1
            if delete:
                noted.update(note="")
            return rows.counts
        rows.take("basic_condition_status", statuses, "case_id")
        rows.take(
            "detention_notification",
            DetentionNotification.objects.filter(case_id__in=case_ids),
            "case_id",
        )
        return rows.counts

    def find(self, **_query: Any) -> list[PersonRef]:
        """The records are about a case, not a person row: the cases source finds the persons."""
        return []

    def sections(self, *, persons: Sequence[PersonRef]) -> list[ExportSection]:
        """DJI's notification (the referring DJI party's) and the traffic light (the house's)."""
        case_ids = {ref.case_id for ref in persons}
        out = []
        cases = (
            Case.objects.filter(pk__in=case_ids, detention_notification__isnull=False)
            .select_related("house", "detention_notification__municipality")
            .prefetch_related("basic_condition_statuses")
            .order_by("referred_at")
        )
        for case in cases:
            notification = case.detention_notification
            out.append(
                ExportSection(
                    controller_party_id=case.referring_party_id,
                    title=f"Detentiemelding casus {case.pk}",
                    case_id=case.pk,
                    records=[
                        {
                            "Soort": "Detentiemelding",
                            "Inrichting": notification.institution,
                            "Begin detentie": notification.detention_start.isoformat(),
                            "Einde detentie": (
                                notification.detention_end.isoformat()
                                if notification.detention_end
                                else ""
                            ),
                            "Verwachte invrijheidstelling": (
                                notification.expected_release.isoformat()
                            ),
                            "Gemeente van terugkeer": notification.municipality.name,
                            "Ontvangen op": notification.received_at.date().isoformat(),
                        }
                    ],
                )
            )
            lights = ExportSection(
                controller_party_id=case.house.managing_municipality_id or case.referring_party_id,
                title=f"Basisvoorwaarden casus {case.pk} ({case.house.name})",
                case_id=case.pk,
            )
            for row in sorted(case.basic_condition_statuses.all(), key=lambda r: r.set_at):
                lights.records.append(
                    {
                        "Soort": "Basisvoorwaarde",
                        "Basisvoorwaarde": str(BasicCondition(row.condition).label),
                        "Stoplicht": str(Light(row.status).label),
                        "Toelichting": row.note,
                        "Gezet op": row.set_at.date().isoformat(),
                    }
                )
            if lights.records:
                out.append(lights)
        return out


aftercare_retention = AftercareRetention()
