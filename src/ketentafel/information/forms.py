# SPDX-License-Identifier: EUPL-1.2
"""Forms of the information screens: requests, answers, items and their sharing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketentafel.core.forms import ScreenForm, VersionedForm
from ketentafel.core.renderers import SCREEN_RENDERER
from ketentafel.covenants.forms import DATE, PartiesChoice, PartyChoice
from ketentafel.covenants.models import Party
from ketentafel.information.models import DataCategory, LifeDomain, Sharing


class SharingFields(ScreenForm):
    """How the supplier shares an item (art. 13.2d, 17.4)."""

    field_map = {"named_parties": "named_parties"}

    sharing = forms.ChoiceField(
        choices=Sharing.choices,
        widget=forms.RadioSelect,
        label=_("Wie mag dit lezen?"),
        help_text=_("U blijft verantwoordelijk voor dit item en bepaalt zelf wie het ziet."),
    )
    named_parties = PartiesChoice(
        queryset=Party.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Genoemde partijen"),
        help_text=_("Alleen bij 'Alleen de genoemde partijen'."),
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_parties"].queryset = parties  # type: ignore[attr-defined]


class SharingForm(VersionedForm, SharingFields):
    """A change of how an item is shared, made from the version of the item the page showed."""


class ItemForm(SharingFields):
    default_renderer = SCREEN_RENDERER

    life_domain = forms.ChoiceField(choices=LifeDomain.choices, label=_("Leefgebied"))
    text = forms.CharField(
        label=_("Informatie"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Deel alleen wat nodig is voor het doel van de casus (doelbinding)."),
    )
    legal_basis = forms.CharField(
        label=_("Grondslag"),
        max_length=300,
        help_text=_("Bijvoorbeeld: AVG art. 6 lid 1 sub e; Wpg art. 20."),
    )
    data_category = forms.ChoiceField(choices=DataCategory.choices, label=_("Soort gegevens"))

    field_order = ["life_domain", "text", "legal_basis", "data_category", "sharing"]


class PreMeetingAssessmentForm(ScreenForm):
    """The process coordinator's assessment of reading an item before the meeting (art. 13.2d)."""

    may_read_before_meeting = forms.TypedChoiceField(
        choices=[
            ("yes", _("Mag vóór het overleg gelezen worden")),
            ("no", _("Pas na het overleg")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label=_("Beoordeling"),
    )
    consulted_party = PartyChoice(
        queryset=Party.objects.none(),
        label=_("Overlegd met"),
        help_text=_("De partij die de casus aanmeldde of de casusregie heeft (art. 13.2d)."),
    )
    consulted_on = forms.DateField(label=_("Datum van het overleg"), widget=DATE)
    assessment = forms.CharField(
        label=_("Toelichting"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consulted_party"].queryset = parties  # type: ignore[attr-defined]


class DeclineForm(VersionedForm):
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom heeft uw partij geen informatie te delen?"),
    )


class RequestForm(ScreenForm):
    party = PartyChoice(queryset=Party.objects.none(), label=_("Partij"))
    question = forms.CharField(
        label=_("Welke informatie is nodig?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Waarom (doelbinding)?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label=_("Uiterlijk beantwoorden op"), widget=DATE)

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]
