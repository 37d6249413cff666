# SPDX-License-Identifier: EUPL-1.2
"""The period and house of the management information; sent by GET (no personal data)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketentafel.core.forms import ScreenForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_ERRORS = {"invalid": _("Vul een geldige datum in, bijvoorbeeld 2026-01-31.")}

FORMATS = [("", _("Op het scherm")), ("csv", "CSV"), ("xlsx", "Excel (XLSX)")]


class FiguresForm(ScreenForm):
    """`van` and `tot` (up to and including) a day; the house where the reader has several."""

    van = forms.DateField(label=_("Van"), widget=DATE, error_messages=_DATE_ERRORS)
    tot = forms.DateField(label=_("Tot en met"), widget=DATE, error_messages=_DATE_ERRORS)
    huis = forms.TypedChoiceField(
        label=_("Veiligheidshuis"), required=False, coerce=int, empty_value=None
    )
    formaat = forms.ChoiceField(choices=FORMATS, required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any, *, houses: list[tuple[int, str]]) -> None:
        if not any(key in data for key in ("van", "tot", "huis")):
            # The first visit: the current calendar year so far.
            today = timezone.localdate()
            data = {
                "van": today.replace(month=1, day=1).isoformat(),
                "tot": today.isoformat(),
                "formaat": data.get("formaat", ""),
            }
        super().__init__(data)
        field = self.fields["huis"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Alle huizen")), *houses]
        if len(houses) < 2:
            del self.fields["huis"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, last = cleaned.get("van"), cleaned.get("tot")
        if since and last and last < since:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned

    @property
    def until(self) -> datetime.date:
        """The first day after the period (the selector counts [since, until))."""
        last: datetime.date = self.cleaned_data["tot"]
        return last + datetime.timedelta(days=1)
