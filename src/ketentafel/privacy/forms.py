# SPDX-License-Identifier: EUPL-1.2
"""Forms of the privacy officer's screens. They validate what was typed; `privacy.services`
decides the rest, and its refusals come back at the field they name (core.forms.ScreenForm).

Every form is sent by POST: a data subject's BSN or name never stands in a URL. A form that
changes a request or an incident carries the version its page showed (core.forms.VersionedForm);
starting a request and closing an incident send that version alone."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketentafel.core.forms import ScreenForm, VersionedForm
from ketentafel.core.renderers import SCREEN_RENDERER
from ketentafel.covenants.models import House, Party
from ketentafel.privacy.models import RequestKind, RequestStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT],
        **kwargs,
    )


class HouseChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PartyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class HouseForm(ScreenForm):
    house = HouseChoice(queryset=House.objects.none(), label=_("Veiligheidshuis"))

    def __init__(self, *args: Any, houses: QuerySet[House], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["house"]
        field.queryset = houses  # type: ignore[attr-defined]
        if len(houses) == 1:
            field.initial = houses[0].pk


# Data-subject requests ----------------------------------------------------------------------


class RequestForm(HouseForm):
    """A data subject's request (AVG art. 15-21): by BSN, or by surname and date of birth."""

    kind = forms.ChoiceField(
        choices=RequestKind.choices, widget=forms.RadioSelect, label=_("Soort verzoek")
    )
    received_on = forms.DateField(
        label=_("Ontvangen op"),
        widget=DATE,
        help_text=_("De termijn van een maand loopt vanaf de ontvangst (art. 12 lid 3 AVG)."),
    )
    subject_bsn = forms.CharField(
        label=_("BSN van de betrokkene"),
        required=False,
        max_length=9,
        validators=[RegexValidator(r"^[0-9]{9}$", _("Een BSN bestaat uit negen cijfers."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Of vul de achternaam en de geboortedatum in."),
    )
    subject_surname = forms.CharField(
        label=_("Achternaam"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    subject_birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Omschrijving van het verzoek"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class ExtendForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reden van de verlenging"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "De betrokkene hoort binnen de eerste maand waarom de termijn wordt verlengd "
            "(art. 12 lid 3 AVG)."
        ),
    )


class CloseForm(VersionedForm):
    status = forms.ChoiceField(
        choices=[
            (RequestStatus.COMPLETED.value, RequestStatus.COMPLETED.label),
            (RequestStatus.REFUSED.value, RequestStatus.REFUSED.label),
        ],
        widget=forms.RadioSelect,
        label=_("Uitkomst"),
    )
    outcome = forms.CharField(
        label=_("Wat is de betrokkene meegedeeld?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeForm(ScreenForm):
    """That a recipient was told of a rectification, erasure or restriction (art. 19)."""

    default_renderer = SCREEN_RENDERER

    party = PartyChoice(
        queryset=Party.objects.none(),
        label=_("Partij"),
        required=False,
        help_text=_("Een partij van het convenant, of vul hieronder een derde in."),
    )
    third_party = forms.CharField(label=_("Derde"), required=False, max_length=200)
    informed_on = forms.DateField(label=_("Geïnformeerd op"), widget=DATE)
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["informed_on"].initial = timezone.localdate()


class ExportForm(ScreenForm):
    """The export's format and, optionally, the one controller whose part it holds."""

    formaat = forms.ChoiceField(choices=[("pdf", "PDF"), ("json", "JSON")], required=False)
    partij = forms.IntegerField(required=False, min_value=1)


# Reports ------------------------------------------------------------------------------------


def last_full_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of the quarter before the one `today` falls in."""
    this_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    year = this_quarter.year - 1 if this_quarter.month == 1 else this_quarter.year
    previous = datetime.date(year, (this_quarter.month - 4) % 12 + 1, 1)
    return previous, this_quarter - datetime.timedelta(days=1)


class ReportPeriodForm(ScreenForm):
    """The period of a report, sent by GET: dates are no personal data. Both days count; the
    selectors take the end exclusive, so `period()` hands them the day after `tot`.

    `huis` is offered only to someone with a role in several houses."""

    van = forms.DateField(label=_("Van"), widget=DATE)
    tot = forms.DateField(label=_("Tot en met"), widget=DATE)
    huis = HouseChoice(
        queryset=House.objects.none(),
        label=_("Veiligheidshuis"),
        required=False,
        empty_label=_("Alle veiligheidshuizen"),
    )

    def __init__(self, *args: Any, houses: QuerySet[House] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if houses is None or len(houses) < 2:
            del self.fields["huis"]
        else:
            self.fields["huis"].queryset = houses  # type: ignore[attr-defined]

    @staticmethod
    def default_data(today: datetime.date) -> dict[str, str]:
        """The last full quarter, as the form is first shown."""
        since, until = last_full_quarter(today)
        return {"van": since.isoformat(), "tot": until.isoformat()}

    @staticmethod
    def is_sent(query: Any) -> bool:
        return "van" in query or "tot" in query

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("van"), data.get("tot")
        if since and until and until < since:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        elif until == datetime.date.max:
            self.add_error("tot", _("Kies een eerdere einddatum."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """[since, until) for the selectors."""
        data = self.cleaned_data
        return data["van"], data["tot"] + datetime.timedelta(days=1)

    def house_id(self) -> int | None:
        house = self.cleaned_data.get("huis")
        return int(house.pk) if house is not None else None


class DisclosurePeriodForm(ReportPeriodForm):
    """The disclosure report's period and, optionally, the one supplying party."""

    partij = PartyChoice(
        queryset=Party.objects.none(),
        label=_("Leverende partij"),
        required=False,
        empty_label=_("Alle partijen"),
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partij"].queryset = parties  # type: ignore[attr-defined]

    def party_id(self) -> int | None:
        party = self.cleaned_data.get("partij")
        return int(party.pk) if party is not None else None
