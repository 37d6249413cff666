# SPDX-License-Identifier: EUPL-1.2
"""Forms of the incident screens. They validate what was typed; `incidents.services` decides
the rest, and its refusals come back at the field they name (core.forms.ScreenForm). A form
that changes an incident carries the version its page showed (core.forms.VersionedForm);
closing one sends that version alone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketentafel.core.forms import ScreenForm, VersionedForm
from ketentafel.incidents.models import DataCategory, IncidentEntryKind
from ketentafel.privacy.forms import HouseForm, datetime_field

# Security incidents -------------------------------------------------------------------------


class IncidentForm(HouseForm):
    discovered_at = datetime_field(
        _("Ontdekt op"),
        help_text=_("De 72 uur om de AP te melden lopen vanaf dit moment (art. 33 AVG)."),
    )
    description = forms.CharField(
        label=_("Wat is er gebeurd?"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    people_affected = forms.IntegerField(
        label=_("Aantal betrokkenen (schatting)"), min_value=0, max_value=10_000_000
    )
    data_categories = forms.MultipleChoiceField(
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Soorten gegevens"),
    )


class DecisionForm(VersionedForm):
    field_map = {"must_notify_authority": "must_notify"}

    must_notify = forms.ChoiceField(
        choices=[
            ("yes", _("Melden bij de Autoriteit Persoonsgegevens")),
            ("no", _("Niet melden")),
        ],
        widget=forms.RadioSelect,
        label=_("Besluit"),
    )
    reason = forms.CharField(
        label=_("Motivering"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NotificationForm(VersionedForm):
    recipient = forms.ChoiceField(widget=forms.RadioSelect, label=_("Wie is gemeld?"))
    notified_at = datetime_field(_("Gemeld op"))
    reference = forms.CharField(
        label=_("Kenmerk van de melding"),
        required=False,
        max_length=100,
        help_text=_("Het meldnummer dat de AP gaf."),
    )

    def __init__(self, *args: Any, authority_open: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("subjects", _("De betrokkenen (art. 34 AVG)"))]
        if authority_open:
            choices.insert(0, ("authority", _("De Autoriteit Persoonsgegevens (art. 33 AVG)")))
        self.fields["recipient"].choices = choices  # type: ignore[attr-defined]


class EntryForm(ScreenForm):
    kind = forms.ChoiceField(
        choices=[
            (IncidentEntryKind.MEASURE.value, IncidentEntryKind.MEASURE.label),
            (IncidentEntryKind.NOTE.value, IncidentEntryKind.NOTE.label),
        ],
        widget=forms.RadioSelect,
        label=_("Soort"),
    )
    text = forms.CharField(
        label=_("Tekst"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
