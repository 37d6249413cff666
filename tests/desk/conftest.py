# SPDX-License-Identifier: EUPL-1.2
"""The rooms of the case process share the world of `tests/cases/conftest.py`."""

from tests.cases.conftest import api_client, world

__all__ = ["api_client", "world"]
