# SPDX-License-Identifier: EUPL-1.2
"""Form fields for choosing parties, bodies and colleagues, shared by every room's screens."""

from __future__ import annotations

from typing import Any

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class BodyChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A case meeting named with the tracks it serves, so the scheduler picks the right one
    (a region may have an MDO and a Casusoverleg radicalisering in the same house)."""

    def label_from_instance(self, obj: Any) -> str:
        tracks = ", ".join(sorted(str(t.name) for t in obj.tracks.all()))
        return f"{obj.label} ({tracks})" if tracks else str(obj.label)


class PartiesChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UserChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)
