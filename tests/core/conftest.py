# SPDX-License-Identifier: EUPL-1.2
"""The people of a house (tests.cases.conftest.world), for the task-queue and retry tests."""

from __future__ import annotations

from tests.cases.conftest import World, api_client, world

__all__ = ["World", "api_client", "world"]
