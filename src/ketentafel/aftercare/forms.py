# SPDX-License-Identifier: EUPL-1.2
"""Forms of the nazorg screens. They validate what a person typed; the services decide the
rest and their refusals come back at the field they name (core.forms.ScreenForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketentafel.aftercare.models import BasicCondition, Light
from ketentafel.cases.forms import PersonForm
from ketentafel.core.forms import ScreenForm
from ketentafel.core.renderers import SCREEN_RENDERER
from ketentafel.covenants.forms import DATE, PartyChoice
from ketentafel.covenants.models import House, Party


class DetentionNotificationForm(PersonForm):
    """DJI's notification of a detention (Bijlage 3, Proces nazorg: Aanmeldingsfase), with
    the person it is about."""

    field_map = {
        "persons[0].given_names": "given_names",
        "persons[0].surname": "surname",
        "persons[0].birth_date": "birth_date",
        "persons[0].bsn": "bsn",
    }

    house = forms.ModelChoiceField(
        queryset=House.objects.none(),
        label=_("Veiligheidshuis"),
        required=False,
        help_text=_("Leeg: het huis waarvan de gemeente van terugkeer partij is."),
    )
    dji_party = PartyChoice(
        queryset=Party.objects.none(),
        label=_("Inrichting van DJI"),
        required=False,
        help_text=_("Namens welke inrichting u meldt; alleen voor de procesregisseur."),
    )
    institution = forms.CharField(
        label=_("Verblijfplaats"), max_length=200, help_text=_("Bijvoorbeeld PI Arnhem.")
    )
    detention_start = forms.DateField(label=_("Begin detentie"), widget=DATE)
    detention_end = forms.DateField(label=_("Einde detentie"), widget=DATE, required=False)
    expected_release = forms.DateField(label=_("Verwachte invrijheidstelling"), widget=DATE)
    # A detention notification names no address: where the person will live after release is
    # one of the basic conditions. The municipality is the one the person returns to. (Django
    # removes or replaces a parent form's field declared again in the subclass.)
    address = None  # type: ignore[assignment]
    municipality = PartyChoice(  # type: ignore[assignment]
        queryset=Party.objects.none(), label=_("Gemeente van terugkeer")
    )

    def __init__(
        self,
        *args: Any,
        houses: QuerySet[House],
        dji_parties: QuerySet[Party],
        municipalities: QuerySet[Party],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["house"].queryset = houses  # type: ignore[attr-defined]
        self.fields["dji_party"].queryset = dji_parties  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]


class BasicConditionForm(ScreenForm):
    default_renderer = SCREEN_RENDERER

    condition = forms.ChoiceField(choices=BasicCondition.choices, label=_("Basisvoorwaarde"))
    status = forms.ChoiceField(
        choices=Light.choices, widget=forms.RadioSelect, label=_("Stoplicht")
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
