# SPDX-License-Identifier: EUPL-1.2
"""The process of a security incident, walked through the services.

The table below is written out by hand from AVG art. 33 and 34 and docs/privacy.md;
`incidents.workflow` must declare exactly it. Every (state, step) pair is then taken through
the service: where the table allows it the step succeeds, elsewhere it is refused with a
message naming the step and the state, and leaves the incident, its log and the audit log as
they were. A generated sequence of steps checks that a step is taken exactly when the machine
lists it as allowed, which is what the incident screens offer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketentafel.accounts.models import User
from ketentafel.audit.models import AuditEvent
from ketentafel.incidents import services
from ketentafel.incidents.models import IncidentEntry, IncidentEntryKind, SecurityIncident
from ketentafel.incidents.workflow import SECURITY_INCIDENT
from tests.cases.conftest import World
from tests.workflow import declared, refused, rolled_back, taken

pytestmark = pytest.mark.django_db


INCIDENT_TABLE: dict[str, tuple[set[str], str | None]] = {
    "decide": ({"open"}, None),
    "notify_authority": ({"open"}, None),  # art. 33, once
    "notify_subjects": ({"open"}, None),  # art. 34
    "add_entry": ({"open"}, None),
    "close": ({"open"}, "closed"),  # once decided, and notified when the decision says so
}


def test_the_machine_declares_exactly_the_expected_table() -> None:
    assert declared(SECURITY_INCIDENT) == INCIDENT_TABLE


def _incident(world: World, officer: User) -> UUID:
    return services.incident_register(
        actor=officer,
        house_id=world.house.pk,
        discovered_at=timezone.now() - datetime.timedelta(hours=2),
        description="Een lijst per e-mail aan de verkeerde partij gestuurd.",
        people_affected=3,
        data_categories=["ordinary"],
    ).pk


def _decide(officer: User, incident_id: UUID, notify: bool) -> object:
    return services.incident_decide(
        actor=officer, incident_id=incident_id, must_notify_authority=notify, reason="Afgewogen."
    )


def _notify(officer: User, incident_id: UUID, recipient: str) -> object:
    return services.incident_notify(
        actor=officer,
        incident_id=incident_id,
        recipient=recipient,
        notified_at=timezone.now() - datetime.timedelta(minutes=5),
        reference="AP-2026-7",
    )


IncidentStep = Callable[[User, UUID], object]


INCIDENT_STEPS: dict[str, IncidentStep] = {
    "decide": lambda po, i: _decide(po, i, True),
    "notify_authority": lambda po, i: _notify(po, i, "authority"),
    "notify_subjects": lambda po, i: _notify(po, i, "subjects"),
    "add_entry": lambda po, i: services.incident_entry_add(
        actor=po, incident_id=i, kind=IncidentEntryKind.MEASURE, text="Wachtwoorden vervangen."
    ),
    "close": lambda po, i: services.incident_close(actor=po, incident_id=i),
}


def _incident_snapshot(incident_id: UUID) -> Callable[[], dict[str, Any]]:
    return lambda: {
        "incident": SecurityIncident.objects.filter(pk=incident_id).values().get(),
        "entries": IncidentEntry.objects.filter(incident_id=incident_id).count(),
        "audit": AuditEvent.objects.count(),
    }


def test_every_incident_step_in_every_state(world: World, officer: User) -> None:
    assert set(INCIDENT_STEPS) == set(SECURITY_INCIDENT.steps)
    for state in ("open", "closed"):
        for step, (sources, target) in INCIDENT_TABLE.items():
            # Decided not to notify: every step's guard holds while the incident is open.
            incident_id = _incident(world, officer)
            _decide(officer, incident_id, False)
            if state == "closed":
                services.incident_close(actor=officer, incident_id=incident_id)
            snapshot = _incident_snapshot(incident_id)

            def take(step: str = step, incident_id: UUID = incident_id) -> object:
                return INCIDENT_STEPS[step](officer, incident_id)

            if state not in sources:
                refused(take, snapshot, SECURITY_INCIDENT, step, state)
                continue
            audit = AuditEvent.objects.count()
            take()
            after = SecurityIncident.objects.get(pk=incident_id)
            assert after.status == (target or state), (state, step)
            assert AuditEvent.objects.count() == audit + 1, (state, step)


@pytest.mark.parametrize(
    ("setup", "step", "reason"),
    [
        ("undecided", "close", "Besluit eerst"),
        ("must_notify", "close", "Leg eerst de melding bij de AP vast"),
        ("notified", "notify_authority", "al vastgelegd"),
        ("notified", "decide", "De AP is al gemeld"),  # deciding not to notify, after notifying
    ],
)
def test_an_incident_step_refused_by_its_guard_names_step_and_state(
    world: World,
    officer: User,
    setup: str,
    step: str,
    reason: str,
) -> None:
    incident_id = _incident(world, officer)
    if setup == "must_notify":
        _decide(officer, incident_id, True)
    if setup == "notified":
        _notify(officer, incident_id, "authority")

    def take() -> object:
        if step == "decide":
            return _decide(officer, incident_id, False)
        return INCIDENT_STEPS[step](officer, incident_id)

    refusal = refused(take, _incident_snapshot(incident_id), SECURITY_INCIDENT, step, "open")
    assert reason in refusal.message


INCIDENT_MOVES = ["decide_yes", "decide_no", *(s for s in SECURITY_INCIDENT.steps if s != "decide")]


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(st.sampled_from(INCIDENT_MOVES), min_size=1, max_size=7))
def test_an_incident_takes_exactly_the_steps_its_machine_allows(
    world: World,
    officer: User,
    moves: list[str],
) -> None:
    with rolled_back():
        incident_id = _incident(world, officer)
        for move in moves:
            incident = SecurityIncident.objects.get(pk=incident_id)
            step = "decide" if move.startswith("decide") else move
            allowed = step in SECURITY_INCIDENT.allowed_steps(incident)
            if move == "decide_no":
                # What the decision is given: not notifying once the AP was notified is refused.
                allowed = allowed and incident.authority_notified_at is None

            def take(move: str = move) -> object:
                if move.startswith("decide"):
                    return _decide(officer, incident_id, move == "decide_yes")
                return INCIDENT_STEPS[move](officer, incident_id)

            taken(take, allowed, _incident_snapshot(incident_id))
