# SPDX-License-Identifier: EUPL-1.2
"""The people of a house (tests.cases.conftest.world) with browsers past login and second
factor, as the login screens would leave them."""

from __future__ import annotations

from tests.cases.conftest import World, api_client, world

__all__ = ["World", "api_client", "world"]
