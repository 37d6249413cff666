# SPDX-License-Identifier: EUPL-1.2
"""What the information app tells privacy: its rows of a purged case, and its export.

Registered in `InformationConfig.ready`. Items, requests, named shares, consents and
disclosures go at the first stage that reaches a case (closure, or a declined referral):
after closure the supplied information is no longer needed for process direction, and the
supplier keeps its own copy under its own retention (art. 16.1). Runs before the cases
purger (lower `order`), since disclosures protect their consents and items point to cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from ketentafel.information.models import (
    DataCategory,
    Disclosure,
    DisclosureConsent,
    InformationItem,
    InformationRequest,
    ItemShare,
    LifeDomain,
)
from ketentafel.privacy.models import Stage
from ketentafel.privacy.registry import CaseRows, ExportSection, PersonRef


class InformationRetention:
    order = 10

    def purge(
        self, *, stage: Stage, case_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        rows = CaseRows(case_ids, delete=delete)
        take = rows.take
        take(
            "disclosure",
            Disclosure.objects.filter(consent__item__case_id__in=case_ids),
            "consent__item__case_id",
        )
        take(
            "disclosure_consent",
            DisclosureConsent.objects.filter(item__case_id__in=case_ids),
            "item__case_id",
        )
        take("item_share", ItemShare.objects.filter(item__case_id__in=case_ids), "item__case_id")
        take("information_item", InformationItem.objects.filter(case_id__in=case_ids), "case_id")
        take(
            "information_request",
            InformationRequest.objects.filter(case_id__in=case_ids),
            "case_id",
        )
        return rows.counts

    def find(self, **_query: Any) -> list[PersonRef]:
        """Items are about a case, not a person row: the cases source finds the persons."""
        return []

    def sections(self, *, persons: Sequence[PersonRef]) -> list[ExportSection]:
        """Each supplier's items per case: the supplier is their controller (art. 16.1)."""
        sections: dict[tuple[UUID, int], ExportSection] = {}
        items = (
            InformationItem.objects.filter(case_id__in={ref.case_id for ref in persons})
            .select_related("supplier_party")
            .prefetch_related("consents__disclosures")
            .order_by("case_id", "supplied_at")
        )
        for item in items:
            key = (item.case_id, item.supplier_party_id)
            if key not in sections:
                sections[key] = ExportSection(
                    controller_party_id=item.supplier_party_id,
                    title=f"Informatie van {item.supplier_party.name}, casus {item.case_id}",
                    case_id=item.case_id,
                )
            sections[key].records.append(
                {
                    "Soort": "Informatie-item",
                    "Leefgebied": str(LifeDomain(item.life_domain).label),
                    "Categorie": str(DataCategory(item.data_category).label),
                    "Grondslag": item.legal_basis,
                    "Aangeleverd op": item.supplied_at.date().isoformat(),
                    "Inhoud": item.text,
                }
            )
            for consent in item.consents.all():
                for disclosure in consent.disclosures.all():
                    sections[key].records.append(
                        {
                            "Soort": "Verstrekking aan derde",
                            "Ontvanger": consent.recipient,
                            "Doel": consent.purpose,
                            "Verstrekt op": disclosure.disclosed_at.date().isoformat(),
                        }
                    )
        return list(sections.values())


information_retention = InformationRetention()
