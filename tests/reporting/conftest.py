# SPDX-License-Identifier: EUPL-1.2
"""The Gelderland-Midden world of the case tests, with cases brought through the process."""

from __future__ import annotations

from tests.cases.conftest import World, world

__all__ = ["World", "world"]
