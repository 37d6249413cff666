# SPDX-License-Identifier: EUPL-1.2
"""Signing in, failing to and signing out are audit events; the typed username is not kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action, AuditEvent, Result
from ketentafel.audit.verify import chain_verify
from tests.conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db


SIGN_IN = [Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT]


def _actions() -> list[tuple[str, str, str]]:
    """The sign-in events (provisioning the user by `make_user` is audited too)."""
    return list(
        AuditEvent.objects.filter(action__in=SIGN_IN)
        .order_by("seq")
        .values_list("action", "result", "reason")
    )


def test_a_full_sign_in_and_out_leaves_three_events(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    client.post("/login/tweede-factor/", {"token": current_code(user)})
    client.post("/logout/")

    assert _actions() == [
        (Action.LOGIN, Result.ALLOWED, "password"),
        (Action.LOGIN, Result.ALLOWED, "second_factor"),
        (Action.LOGOUT, Result.ALLOWED, "logout"),
    ]
    assert set(
        AuditEvent.objects.filter(action__in=SIGN_IN).values_list("actor_id", flat=True)
    ) == {user.pk}
    assert chain_verify().is_intact


def test_failures_are_recorded_without_what_was_typed(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    client.post("/login/", {"username": user.username, "password": "wrong"})
    client.post("/login/", {"username": "nobody-by-this-name", "password": "wrong"})
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    client.post("/login/tweede-factor/", {"token": "000000"})

    assert _actions() == [
        (Action.LOGIN_FAILED, Result.DENIED, "password"),
        (Action.LOGIN_FAILED, Result.DENIED, "password: unknown account"),
        (Action.LOGIN, Result.ALLOWED, "password"),
        (Action.LOGIN_FAILED, Result.DENIED, "second_factor"),
    ]
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert [e.object_id for e in failed] == [str(user.pk), "", str(user.pk)]
    dumped = str(list(AuditEvent.objects.values()))
    assert "nobody-by-this-name" not in dumped
    assert "wrong" not in dumped
