# SPDX-License-Identifier: EUPL-1.2
"""A list's links, reversed once, are the links `reverse()` gives for each id."""

from __future__ import annotations

from uuid import UUID

from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from ketentafel.core.links import link_for_each

VIEWS = ["cases:detail", "plans:plan", "plans:action-status", "meetings:detail"]


@settings(deadline=None)  # the first call loads the URL configuration
@given(view=st.sampled_from(VIEWS), pk=st.uuids())
def test_a_link_for_each_id_is_what_reverse_gives(view: str, pk: UUID) -> None:
    assert link_for_each(view)(pk) == reverse(view, args=[pk])
