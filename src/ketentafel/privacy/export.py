# SPDX-License-Identifier: EUPL-1.2
"""The data-subject export (AVG art. 15) as PDF and JSON.

The export is a draft for the privacy officer: before release, the officer checks it for
data of other people (art. 15(4)), e.g. family members in the same case.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from ketentafel.privacy.selectors import SubjectExport


def export_pdf(export: SubjectExport) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango and fonts on first use

    html = render_to_string(
        "privacy/subject_export.html",
        {"export": export, "made_at": timezone.localtime(export.generated_at)},
    )
    return bytes(HTML(string=html, base_url=str(settings.STATIC_ROOT)).write_pdf())


def export_response(export: SubjectExport, fmt: str) -> HttpResponse:
    stem = f"inzage-{str(export.request.pk)[:8]}"
    if fmt == "pdf":
        response = HttpResponse(export_pdf(export), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return response
    body = json.dumps(export.as_json(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
    return response
