# SPDX-License-Identifier: EUPL-1.2
"""The management information as CSV and XLSX (PRODUCT.md section 7: statistics as
CSV/XLSX). The rows are the ones the screen shows, with the same suppression: a count of one
to four is "<5", a median resting on fewer than five cases is empty."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ketentafel.core.downloads import attachment
from ketentafel.reporting.selectors import WorkFigures

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _median_text(days: float | None) -> str:
    if days is None:
        return ""
    return str(int(days)) if days == int(days) else f"{days:.1f}"


def figure_rows(figures: WorkFigures) -> list[list[str]]:
    """One table: section, item, value (and the cases under a median), all as shown."""
    rows = [
        [_("Onderdeel"), _("Omschrijving"), _("Aantal of mediaan (dagen)"), _("Casussen")],
        [_("Periode"), _("Van"), figures.since.isoformat(), ""],
        [_("Periode"), _("Tot (niet inbegrepen)"), figures.until.isoformat(), ""],
        [_("Periode"), _("Veiligheidshuizen"), ", ".join(figures.houses), ""],
    ]
    rows += [[_("Totalen"), r.label, r.count.text, ""] for r in figures.totals]
    rows += [
        [_("Doorlooptijd (mediaan in dagen)"), t.label, _median_text(t.median_days), t.cases.text]
        for t in figures.lead_times
    ]
    rows += [[b.title, r.label, r.count.text, ""] for b in figures.breakdowns for r in b.rows]
    return rows


def _safe(value: str) -> str:
    """A cell that starts with =, +, - or @ would be evaluated as a formula by a spreadsheet
    (CSV injection); names come from configuration, so such a cell gets a leading quote."""
    return "'" + value if value and value[0] in "=+-@" else value


def _filename(figures: WorkFigures, extension: str) -> str:
    return (
        f"managementinformatie-{figures.since.isoformat()}-{figures.until.isoformat()}.{extension}"
    )


def csv_response(figures: WorkFigures) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in figure_rows(figures):
        writer.writerow([_safe(v) for v in row])
    # With a byte order mark, Excel opens the UTF-8 file with its accents intact.
    return attachment(out.getvalue().encode("utf-8-sig"), CSV, _filename(figures, "csv"))


def xlsx_response(figures: WorkFigures) -> HttpResponse:
    from openpyxl import Workbook  # imported late: only the export needs it

    book = Workbook()
    sheet = book.active
    sheet.title = _("Managementinformatie")[:31]
    for row in figure_rows(figures):
        # Counts that may be shown become numbers, "<5" stays text.
        sheet.append([int(v) if v.isdigit() else _safe(v) for v in row])
    for column, width in zip("ABCD", (32, 48, 24, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return attachment(out.getvalue(), XLSX, _filename(figures, "xlsx"))
