# SPDX-License-Identifier: EUPL-1.2
"""Exports of the case process: agenda, minutes and action plan as PDF, a meeting as
iCalendar (PRODUCT.md section 7).

Each export reads through a selector that records it as an `export` event (NEN 7513), and each
PDF page carries "Vertrouwelijk" with the reader's name and the time it was made, so a printed
copy that turns up somewhere says whose it was.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from ketentafel.accounts.models import User

PDF = "application/pdf"
ICAL = "text/calendar; charset=utf-8"


def _stamp(user: User) -> dict[str, object]:
    return {
        "reader": user.get_full_name() or user.username,
        "reader_party": user.party.name if user.party else "",
        "made_at": timezone.localtime(),
    }


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango and fonts on first use

    return bytes(HTML(string=html, base_url=str(settings.STATIC_ROOT)).write_pdf())


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
