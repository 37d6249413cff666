# SPDX-License-Identifier: EUPL-1.2
"""Files people download: PDFs rendered from HTML, and responses that save rather than show.

Every export of the application (agenda, minutes, plan, data-subject export, management
information) answers through `attachment`, and every PDF is rendered by `render_pdf`, so a
change of renderer or of how a file is offered happens in one place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

PDF = "application/pdf"
ICAL = "text/calendar; charset=utf-8"


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML page, its static files (fonts, styles) read from STATIC_ROOT."""
    from weasyprint import HTML  # imported late: it loads Pango and fonts on first use

    return bytes(HTML(string=html, base_url=str(settings.STATIC_ROOT)).write_pdf())


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A response the browser saves under `filename` instead of showing it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def reader_stamp(user: Any) -> dict[str, object]:
    """Who made a confidential export and when, for the mark on every page: a printed copy
    that turns up somewhere says whose it was."""
    return {
        "reader": user.get_full_name() or user.username,
        "reader_party": user.party.name if user.party else "",
        "made_at": timezone.localtime(),
    }
