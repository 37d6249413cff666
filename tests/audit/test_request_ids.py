# SPDX-License-Identifier: EUPL-1.2
"""The request id that ties audit events together is the server's, never the client's."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from ketentafel.accounts.models import User
from ketentafel.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

FORGED = "0123456789abcdef0123456789abcdef"


def test_an_events_request_id_is_the_servers_not_the_clients(
    make_user: Callable[..., User],
) -> None:
    user = make_user()
    # Creating the user and its roles was recorded before, outside any request.
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    answers = [
        Client().post(
            "/login/",
            {"username": user.username, "password": "wrong"},
            HTTP_X_REQUEST_ID=FORGED,
        )
        for _ in range(2)
    ]
    ids = list(
        AuditEvent.objects.filter(seq__gt=before)
        .order_by("seq")
        .values_list("request_id", flat=True)
    )
    assert FORGED not in ids
    assert ids == [answer["X-Request-ID"] for answer in answers]
    assert len(set(ids)) == 2  # the same client id cannot make two requests look like one
    assert all(uuid.UUID(hex=request_id).version == 4 for request_id in ids)
