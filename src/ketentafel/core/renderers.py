# SPDX-License-Identifier: EUPL-1.2
"""A form renderer that writes Django's own input, select and option markup in Python.

Django renders every widget through templates, and a `<select>` includes a template per
`<option>`: the case page's selects (60 parties, the planned meetings) took about a third of
its time (docs/performance.md, pages). This renderer gives the same markup, character for character,
for the templates below; any other template (and any widget with its own option template)
is rendered by Django as before. Forms opt in with `default_renderer = SCREEN_RENDERER`; the
project sets no `FORM_RENDERER`, so the templates replaced are Django's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

_WIDGETS = "django/forms/widgets/"
_SELECT_OPTION = f"{_WIDGETS}select_option.html"
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)
_OPTION_INPUTS = frozenset({f"{_WIDGETS}radio_option.html", f"{_WIDGETS}checkbox_option.html"})


def _shown(value: Any) -> str:
    """`{{ value }}` in a template."""
    value = localize(template_localtime(value))
    if not isinstance(value, str):
        value = str(value)
    return conditional_escape(value)


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` in a template (the filter keeps safe text safe)."""
    if isinstance(value, SafeData):
        return conditional_escape(value)
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return conditional_escape(text)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input.html, with its closing newline."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>\n"
    )


def _input_option(widget: Mapping[str, Any]) -> str:
    """django/forms/widgets/input_option.html (the radio and checkbox options)."""
    if not widget["wrap_label"]:
        return _input(widget)
    target = widget["attrs"].get("id")
    label_for = f' for="{_shown(target)}"' if target else ""
    return f"<label{label_for}>{_input(widget)} {_shown(widget['label'])}</label>"


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_shown(value) if value else ''}</textarea>"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    """django/forms/widgets/select.html with its options, or None for a widget with its own
    option template."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_BUILT: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **dict.fromkeys(_INPUTS, _input),
    **dict.fromkeys(_OPTION_INPUTS, _input_option),
    f"{_WIDGETS}textarea.html": _textarea,
    f"{_WIDGETS}select.html": _select,
}


class ScreenFormRenderer(DjangoTemplates):
    """Django's default form renderer, with its plain widgets written without templates."""

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        build = _BUILT.get(template_name)
        html = build(context["widget"]) if build is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return SafeString(html.strip())


#: One renderer for the process: its template engine, for the fallback, is built once.
SCREEN_RENDERER = ScreenFormRenderer()
