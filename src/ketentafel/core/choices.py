# SPDX-License-Identifier: EUPL-1.2
"""The label of a field's choice, as `get_<field>_display()` gives it, but cheap in a list.

Django's `get_<field>_display()` builds a dict of all the field's choices on every call, and
hashing each lazy label translates it, so a page of 100 rows translated every label of the
field 100 times (docs/performance.md, pages). The labels are fixed per language, so they are
built once per model, field and language.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Model
from django.utils.translation import get_language


@lru_cache(maxsize=256)
def _labels(model: type[Model], field_name: str, language: str | None) -> dict[Any, str]:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


def choice_label(obj: Model, field_name: str) -> Any:
    """What `obj.get_<field_name>_display()` returns: the label, or the value if unknown."""
    return label_for(type(obj), field_name, getattr(obj, field_name))


def label_for(model: type[Model], field_name: str, value: Any) -> Any:
    """The same label for a value read without its model instance (`values_list()` rows)."""
    return _labels(model, field_name, get_language()).get(value, value)
