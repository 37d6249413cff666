# SPDX-License-Identifier: EUPL-1.2
"""The password backend loads a signed-in user with its party, and no inactive user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketentafel.accounts.backends import PartyModelBackend
from ketentafel.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_its_party_in_one_query(make_user: Callable[..., User]) -> None:
    user = make_user()
    with CaptureQueriesContext(connection) as captured:
        loaded = PartyModelBackend().get_user(user.pk)
        assert loaded is not None
        name = loaded.party.name if loaded.party else ""
    assert len(captured.captured_queries) == 1
    assert name == "Gemeente Noordstad"


def test_no_user_for_an_inactive_or_unknown_id(make_user: Callable[..., Any]) -> None:
    user = make_user()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert PartyModelBackend().get_user(user.pk) is None
    assert PartyModelBackend().get_user(10**9) is None
