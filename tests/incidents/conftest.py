# SPDX-License-Identifier: EUPL-1.2
"""The region's world and its privacy officer, as the privacy tests use them."""

from tests.cases.conftest import world  # noqa: F401
from tests.privacy.conftest import officer  # noqa: F401
