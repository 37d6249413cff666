# SPDX-License-Identifier: EUPL-1.2
"""Exports of the case process: agenda, minutes and action plan as PDF, a meeting as
iCalendar (PRODUCT.md section 7).

Each export reads through a selector that records it as an `export` event (NEN 7513), and each
PDF page carries "Vertrouwelijk" with the reader's name and the time it was made, so a printed
copy that turns up somewhere says whose it was.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.cases.exports import PDF, _attachment, _pdf, _stamp
from ketentafel.plans import selectors


def plan_pdf_response(user: User, case_id: UUID) -> HttpResponse:
    sheet = selectors.plan_for(user, case_id, action=AuditAction.EXPORT, reason="pdf")
    html = render_to_string(
        "plans/pdf/action_plan.html", {"sheet": sheet, "case": sheet.access.case, **_stamp(user)}
    )
    return _attachment(_pdf(html), PDF, f"plan-van-aanpak-{timezone.localdate().isoformat()}.pdf")
