# SPDX-License-Identifier: EUPL-1.2
"""Forms of the advice screens; the services decide the rest and their refusals come back at
the field they name (core.forms.ScreenForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketentafel.core.forms import ScreenForm
from ketentafel.covenants.forms import PartyChoice
from ketentafel.covenants.models import House, Party


class AdviceForm(ScreenForm):
    """A new advice question (Gelderland-Midden Bijlage 3, adviesfase): the house, the
    question, and for a process coordinator taking a call, the party that asked."""

    house = forms.ModelChoiceField(queryset=House.objects.none(), label=_("Veiligheidshuis"))
    requesting_party = PartyChoice(
        queryset=Party.objects.none(),
        label=_("Vragende partij"),
        help_text=_("Bij een telefonische adviesvraag: de partij die belde."),
    )
    question = forms.CharField(
        label=_("Adviesvraag"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Beschrijf de vraag met zo min mogelijk persoonsgegevens."),
    )

    def __init__(
        self,
        *args: Any,
        houses: QuerySet[House],
        parties: QuerySet[Party] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["house"].queryset = houses  # type: ignore[attr-defined]
        only = list(houses[:2])
        #: The one house of a user who works for one house: no choice to make.
        self.single_house = only[0] if len(only) == 1 else None
        if self.single_house is not None:
            self.fields["house"].widget = forms.HiddenInput()
            self.fields["house"].initial = self.single_house.pk
        if parties is None:
            del self.fields["requesting_party"]
        else:
            self.fields["requesting_party"].queryset = parties  # type: ignore[attr-defined]


class AdviceConcludeForm(ScreenForm):
    advice = forms.CharField(
        label=_("Gegeven advies"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Het advies waarmee de vraag lokaal, in de gemeente, wordt opgepakt."),
    )
