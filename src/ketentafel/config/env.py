# SPDX-License-Identifier: EUPL-1.2
"""Typed access to the environment variables that configure a deployment.

Every variable is declared once, with its type, default and help text; `ketentafel env-help`
prints the catalogue. Settings modules call these helpers; nothing else reads `os.environ`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    default: str | None
    help: str
    required: bool


CATALOGUE: dict[str, Variable] = {}


def _declare(name: str, kind: str, default: Any, help: str, required: bool) -> str | None:
    shown = None if default is None else str(default)
    CATALOGUE[name] = Variable(name, kind, shown, help, required)
    raw = os.environ.get(name)
    if raw is None and required:
        raise ImproperlyConfigured(f"Environment variable {name} is required: {help}")
    return raw


def env_str(name: str, *, default: str, help: str) -> str:
    raw = _declare(name, "text", default, help, required=False)
    return default if raw is None else raw


def env_required_str(name: str, *, help: str) -> str:
    raw = _declare(name, "text", None, help, required=True)
    assert raw is not None
    if not raw.strip():
        raise ImproperlyConfigured(f"Environment variable {name} must not be empty: {help}")
    return raw


def env_bool(name: str, *, default: bool, help: str) -> bool:
    raw = _declare(name, "boolean", default, help, required=False)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean (use 1 or 0)")


def env_int(name: str, *, default: int, help: str) -> int:
    raw = _declare(name, "integer", default, help, required=False)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a whole number"
        ) from None


def env_list(name: str, *, default: list[str], help: str) -> list[str]:
    raw = _declare(name, "comma-separated list", ",".join(default), help, required=False)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]
