# SPDX-License-Identifier: EUPL-1.2
"""The loader's tests start from a database without covenants, parties or houses."""

from __future__ import annotations

import pytest

from ketentafel.covenants.models import (
    Body,
    Covenant,
    DecisionType,
    House,
    Membership,
    Party,
    Theme,
    Track,
)


@pytest.fixture(autouse=True)
def _no_region_loaded(request: pytest.FixtureRequest) -> None:
    """Remove the regions the test database holds (tests.conftest.REGIONS) for a test that
    uses the database; its transaction brings them back when it rolls back."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    # In the order their protected foreign keys allow.
    for model in (Body, DecisionType, Theme, Track, Membership, House, Covenant, Party):
        model._default_manager.all().delete()
