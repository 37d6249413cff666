# SPDX-License-Identifier: EUPL-1.2
"""The data-subject export (AVG art. 15) as PDF and JSON.

The export is a draft for the privacy officer: before release, the officer checks it for
data of other people (art. 15(4)), e.g. family members in the same case.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from ketentafel.core.downloads import PDF, attachment, render_pdf
from ketentafel.privacy.selectors import SubjectExport


def export_pdf(export: SubjectExport) -> bytes:
    html = render_to_string(
        "privacy/subject_export.html",
        {"export": export, "made_at": timezone.localtime(export.generated_at)},
    )
    return render_pdf(html)


def export_response(export: SubjectExport, fmt: str) -> HttpResponse:
    stem = f"inzage-{str(export.request.pk)[:8]}"
    if fmt == "pdf":
        return attachment(export_pdf(export), PDF, f"{stem}.pdf")
    body = json.dumps(export.as_json(), ensure_ascii=False, indent=2)
    return attachment(body, "application/json; charset=utf-8", f"{stem}.json")
