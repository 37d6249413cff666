# SPDX-License-Identifier: EUPL-1.2
"""What every screen form shares: NL Design System classes, accessible errors, domain errors.

Forms only validate; the view hands the cleaned data to one service. When the service refuses
(`core.errors.DomainError`), `apply_domain_error` puts its message at the field it names, so the
person sees it where they typed, and the error summary links to that field (WCAG 3.3.1).
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketentafel.core.errors import DomainError

_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxSelectMultiple: "",
    forms.RadioSelect: "",
}
_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


def _widget_class(widget: forms.Widget) -> str:
    for kind, css in _WIDGET_CLASSES.items():
        if isinstance(widget, kind):
            return css
    return _TEXTBOX


class ScreenForm(forms.Form):
    """A form of a screen. `field_map` translates a service's field name to a form field."""

    field_map: ClassVar[dict[str, str]] = {}
    required_css_class = "is-required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = _widget_class(field.widget)
            if css:
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        self._mark_invalid()

    def _mark_invalid(self) -> None:
        """Tie each field's error message to its input for screen readers (WCAG 1.3.1, 3.3.1)."""
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-help")
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{bound.auto_id}-error")
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def apply_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal at the field it names, or above the form."""
        target = self.map_field(error.field)
        self.add_error(target, error.message)
        self._mark_invalid()

    def map_field(self, field: str | None) -> str | None:
        if not field:
            return None
        name = self.field_map.get(field, field)
        return name if name in self.fields else None


class VersionedForm(ScreenForm):
    """An edit form of a versioned record (`core.versions`): the hidden `version` carries the
    version the page showed, so the service refuses a submit made from an older one.

    A form without it was not made from any page that showed the record, and is refused the
    same way: the person sees the current state and tries again."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "required": gettext_lazy(
                "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer "
                "opnieuw."
            )
        },
    )

    @property
    def is_stale(self) -> bool:
        """The submit carried no usable version: answer it as a stale one."""
        return self.is_bound and self.has_error("version")

    def mark_stale(self) -> Self:
        """On an unbound form filled with the current state, say that the submit was not
        saved because someone else changed the record first."""
        self.cleaned_data = {}
        self.add_error(
            None,
            _(
                "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer "
                "opnieuw."
            ),
        )
        return self


def apply_domain_error_to_formset(
    form: ScreenForm, formset: forms.BaseFormSet[Any], prefix: str, error: DomainError
) -> None:
    """A service field like `persons[1].surname` lands at that field of the second form."""
    field = error.field or ""
    if field.startswith(f"{prefix}[") and "]." in field:
        index_text, _, name = field[len(prefix) + 1 :].partition("].")
        index = int(index_text) if index_text.isdigit() else -1
        if 0 <= index < len(formset.forms):
            target = formset.forms[index]
            if isinstance(target, ScreenForm) and name in target.fields:
                target.add_error(name, error.message)
                target._mark_invalid()
                return
    form.apply_domain_error(error)
