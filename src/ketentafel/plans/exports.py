# SPDX-License-Identifier: EUPL-1.2
"""The action plan as PDF (PRODUCT.md section 7), read through the authorising selector and
marked confidential for the reader."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.core.downloads import PDF, attachment, reader_stamp, render_pdf
from ketentafel.plans import selectors


def plan_pdf_response(user: User, case_id: UUID) -> HttpResponse:
    sheet = selectors.plan_for(user, case_id, action=AuditAction.EXPORT, reason="pdf")
    html = render_to_string(
        "plans/pdf/action_plan.html",
        {"sheet": sheet, "case": sheet.access.case, **reader_stamp(user)},
    )
    return attachment(
        render_pdf(html), PDF, f"plan-van-aanpak-{timezone.localdate().isoformat()}.pdf"
    )
