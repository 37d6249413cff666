# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction

from ketentafel.audit.models import Action, AuditEvent
from ketentafel.audit.services import audit_record


@dataclass
class FakeActor:
    pk: int
    party_id: int


def append_events(count: int, *, actor_id: int = 7) -> list[AuditEvent]:
    """Events as services write them: each in its own transaction, with persons and parties."""
    events = []
    for n in range(count):
        with transaction.atomic():
            events.append(
                audit_record(
                    actor=FakeActor(pk=actor_id + n % 3, party_id=40 + n % 2),
                    action=[Action.READ, Action.SEARCH, Action.UPDATE][n % 3],
                    object_type="informationitem",
                    object_id=uuid.uuid4(),
                    person_ids=[uuid.uuid4() for _ in range(n % 3)],
                    data_party_ids=[40 + n % 4],
                    case_id=uuid.uuid4(),
                    house_id=1,
                    role="partner_professional",
                    purpose="complex-cases",
                )
            )
    return events


@pytest.fixture
def events(db: None, settings: pytest.FixtureRequest) -> Callable[[int], list[AuditEvent]]:
    return append_events
