# SPDX-License-Identifier: EUPL-1.2
"""Where the current request comes from, for audit events (NEN 7513: "where")."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    request_id: str = ""
    ip_address: str = ""
    user_agent: str = ""


_origin: ContextVar[Origin] = ContextVar("origin", default=Origin())  # noqa: B039


def set_origin(origin: Origin) -> None:
    _origin.set(origin)


def current_origin() -> Origin:
    return _origin.get()
