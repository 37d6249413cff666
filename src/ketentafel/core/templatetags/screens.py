# SPDX-License-Identifier: EUPL-1.2
"""Template helpers for screens: one accessible form field, the error summary, choice labels."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Model
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ketentafel.core.choices import choice_label as _choice_label
from ketentafel.core.idempotency import FORM_TOKEN

register = template.Library()


@register.filter
def choice_label(obj: Model, field_name: str) -> Any:
    """`{{ case|choice_label:"phase" }}`: `get_phase_display()` without its cost per row."""
    return _choice_label(obj, field_name)


@register.simple_tag
def select_options(choices: Iterable[tuple[Any, Any]], selected: Any) -> SafeString:
    """`<option>`s of a select, the chosen one marked: the markup of a `{% for %}` over the
    choices, built in one call because a list repeats it on each of its hundred rows."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )


@register.inclusion_tag("core/field.html")
def field(bound: forms.BoundField, **options: Any) -> dict[str, Any]:
    """A form field with its label, description and error, as NL Design System markup."""
    widget = bound.field.widget
    is_group = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    return {
        "field": bound,
        "is_group": is_group,
        "is_checkbox": is_checkbox,
        "hx": options,
    }


@register.inclusion_tag("core/error_summary.html")
def error_summary(*forms_: Any) -> dict[str, Any]:
    """A list of every error of the given forms (and formsets) linking to the field at fault."""
    lines: list[dict[str, str]] = []
    for form in forms_:
        if form is None:
            continue
        if isinstance(form, forms.BaseFormSet):
            lines.extend({"href": "", "message": str(e)} for e in form.non_form_errors())
            members = list(form.forms)
        else:
            members = [form]
        for member in members:
            lines.extend({"href": "", "message": str(e)} for e in member.non_field_errors())
            for name, errors in member.errors.items():
                if name == NON_FIELD_ERRORS:
                    continue
                bound = member[name]
                anchor = bound.auto_id
                widget = bound.field.widget
                if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                    anchor = f"{anchor}_0"
                for error in errors:
                    lines.append({"href": f"#{anchor}", "message": f"{bound.label}: {error}"})
    return {"lines": lines}


@register.simple_tag
def form_token() -> SafeString:
    """A hidden one-time token for a POST form, new on every rendering: `core.views.ScreenView`
    consumes it with the write it saved, so a second submit of the same form saves nothing."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN, uuid.uuid4().hex)
