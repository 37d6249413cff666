# SPDX-License-Identifier: EUPL-1.2
"""Forms of the plan screens; the services decide the rest and their refusals come back at the
field they name (core.forms.ScreenForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketentafel.core.forms import ScreenForm, VersionedForm
from ketentafel.covenants.forms import DATE, PartyChoice
from ketentafel.covenants.models import Party
from ketentafel.plans.models import ActionStatus


class GoalForm(VersionedForm):
    """The goal of the plan; version 0 while the case has no plan yet."""

    goal = forms.CharField(
        label=_("Doel van het plan van aanpak"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(ScreenForm):
    owner_party = PartyChoice(queryset=Party.objects.none(), label=_("Wie (partij)"))
    what = forms.CharField(
        label=_("Wat"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("Wanneer (uiterlijk)"), widget=DATE)

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_party"].queryset = parties  # type: ignore[attr-defined]


class ActionChangeForm(VersionedForm):
    """What and when of an action, and its status, as the process coordinator changes them."""

    what = forms.CharField(
        label=_("Wat"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("Wanneer (uiterlijk)"), widget=DATE)
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))


class ActionStatusForm(VersionedForm):
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))
