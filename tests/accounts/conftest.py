# SPDX-License-Identifier: EUPL-1.2
"""The Gelderland-Midden house of the case tests, for the role tests that open a case."""

from tests.cases.conftest import world  # noqa: F401
