# SPDX-License-Identifier: EUPL-1.2
"""The processes of data-subject requests and security incidents, walked through the services.

The tables below are written out by hand from AVG art. 12(3), 19, 33 and 34 and docs/privacy.md;
`privacy.workflow` must declare exactly them. Every (state, step) pair is then taken through
the service: where the table allows it the step succeeds, elsewhere it is refused with a
message naming the step and the state, and leaves the record, its log and the audit log as
they were. A generated sequence of steps checks that a step is taken exactly when the machine
lists it as allowed, which is what the privacy officer's screens offer.
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
from ketentafel.core.errors import InvalidTransition
from ketentafel.privacy import services
from ketentafel.privacy.models import (
    DataSubjectRequest,
    IncidentEntry,
    IncidentEntryKind,
    RecipientNotice,
    RequestKind,
    RequestStatus,
    SecurityIncident,
)
from ketentafel.privacy.workflow import DATA_SUBJECT_REQUEST, SECURITY_INCIDENT
from tests.cases.conftest import World
from tests.privacy.conftest import officer as officer  # the fixture
from tests.workflow import declared, refused, rolled_back

pytestmark = pytest.mark.django_db

RECEIVED, IN_PROGRESS, COMPLETED, REFUSED = (s.value for s in RequestStatus)
OPEN_REQUEST = {RECEIVED, IN_PROGRESS}

# step: (from, to); None keeps the state.
REQUEST_TABLE: dict[str, tuple[set[str], str | None]] = {
    "start": ({RECEIVED}, IN_PROGRESS),
    "extend": (OPEN_REQUEST, None),  # art. 12(3), once, within the first month
    "inform_recipient": (OPEN_REQUEST, None),  # art. 19, rectification, erasure, restriction
    "complete": (OPEN_REQUEST, COMPLETED),
    "refuse": (OPEN_REQUEST, REFUSED),
}

INCIDENT_TABLE: dict[str, tuple[set[str], str | None]] = {
    "decide": ({"open"}, None),
    "notify_authority": ({"open"}, None),  # art. 33, once
    "notify_subjects": ({"open"}, None),  # art. 34
    "add_entry": ({"open"}, None),
    "close": ({"open"}, "closed"),  # once decided, and notified when the decision says so
}


def test_the_machines_declare_exactly_the_expected_tables() -> None:
    assert declared(DATA_SUBJECT_REQUEST) == REQUEST_TABLE
    assert declared(SECURITY_INCIDENT) == INCIDENT_TABLE


# Data-subject requests ----------------------------------------------------------------------


def _request(world: World, officer: User, *, kind: RequestKind = RequestKind.ERASURE) -> UUID:
    return services.request_register(
        actor=officer,
        house_id=world.house.pk,
        kind=kind,
        received_on=timezone.localdate() - datetime.timedelta(days=3),
        subject_surname="Jansen",
        subject_birth_date=datetime.date(1980, 1, 1),
    ).pk


def _request_in(world: World, officer: User, state: str) -> UUID:
    request_id = _request(world, officer)
    if state == IN_PROGRESS:
        services.request_start(actor=officer, request_id=request_id)
    if state in (COMPLETED, REFUSED):
        services.request_close(
            actor=officer, request_id=request_id, status=RequestStatus(state), outcome="Gemeld."
        )
    return request_id


RequestStep = Callable[[User, UUID], object]

REQUEST_STEPS: dict[str, RequestStep] = {
    "start": lambda po, r: services.request_start(actor=po, request_id=r),
    "extend": lambda po, r: services.request_extend(actor=po, request_id=r, reason="Veel."),
    "inform_recipient": lambda po, r: services.notice_record(
        actor=po, request_id=r, informed_on=timezone.localdate(), third_party="Advocaat"
    ),
    "complete": lambda po, r: services.request_close(
        actor=po, request_id=r, status=RequestStatus.COMPLETED, outcome="Gewist."
    ),
    "refuse": lambda po, r: services.request_close(
        actor=po, request_id=r, status=RequestStatus.REFUSED, outcome="Geen gegevens."
    ),
}


def _request_snapshot(request_id: UUID) -> Callable[[], dict[str, Any]]:
    return lambda: {
        "request": DataSubjectRequest.objects.filter(pk=request_id).values().get(),
        "notices": RecipientNotice.objects.filter(request_id=request_id).count(),
        "audit": AuditEvent.objects.count(),
    }


def test_every_request_step_in_every_state(world: World, officer: User) -> None:
    assert set(REQUEST_STEPS) == set(DATA_SUBJECT_REQUEST.steps)
    for state in RequestStatus.values:
        for step, (sources, target) in REQUEST_TABLE.items():
            request_id = _request_in(world, officer, state)
            snapshot = _request_snapshot(request_id)

            def take(step: str = step, request_id: UUID = request_id) -> object:
                return REQUEST_STEPS[step](officer, request_id)

            if state not in sources:
                refused(take, snapshot, DATA_SUBJECT_REQUEST, step, state)
                continue
            audit = AuditEvent.objects.count()
            take()
            after = DataSubjectRequest.objects.get(pk=request_id)
            assert after.status == (target or state), (state, step)
            assert AuditEvent.objects.count() == audit + 1, (state, step)


@pytest.mark.parametrize(
    ("setup", "step", "reason"),
    [
        ("extended", "extend", "al verlengd"),
        ("late", "extend", "binnen de eerste maand"),
        ("access", "inform_recipient", "rectificatie, wissing of beperking"),
        ("recipient_untold", "complete", "Informeer eerst iedere ontvanger"),
    ],
)
def test_a_request_step_refused_by_its_guard_names_step_and_state(
    world: World,
    officer: User,
    setup: str,
    step: str,
    reason: str,
) -> None:
    kind = RequestKind.ACCESS if setup == "access" else RequestKind.ERASURE
    request_id = _request(world, officer, kind=kind)
    recipients = [world.party["reclassering-nederland"].pk] if setup == "recipient_untold" else []

    def take() -> object:
        if step == "complete":
            return services.request_close(
                actor=officer,
                request_id=request_id,
                status=RequestStatus.COMPLETED,
                outcome="Gewist.",
                recipients_to_inform=recipients,
            )
        return REQUEST_STEPS[step](officer, request_id)

    if setup == "extended":
        take()
    if setup == "late":
        DataSubjectRequest.objects.filter(pk=request_id).update(
            received_on=timezone.localdate() - datetime.timedelta(days=40)
        )
    refusal = refused(take, _request_snapshot(request_id), DATA_SUBJECT_REQUEST, step, RECEIVED)
    assert reason in refusal.message


# Security incidents -------------------------------------------------------------------------


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


# Generated sequences: a step is taken exactly when the machine allows it ----------------------

REQUEST_KINDS = st.sampled_from([RequestKind.ERASURE, RequestKind.ACCESS])
INCIDENT_MOVES = ["decide_yes", "decide_no", *(s for s in SECURITY_INCIDENT.steps if s != "decide")]


def _taken(take: Callable[[], object], allowed: bool, snapshot: Callable[[], object]) -> None:
    before = snapshot()
    if allowed:
        take()
        assert snapshot() != before
        return
    with pytest.raises(InvalidTransition):
        take()
    assert snapshot() == before


@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=REQUEST_KINDS,
    late=st.booleans(),
    steps=st.lists(st.sampled_from(list(REQUEST_STEPS)), min_size=1, max_size=6),
)
def test_a_request_takes_exactly_the_steps_its_machine_allows(
    world: World,
    officer: User,
    kind: RequestKind,
    late: bool,
    steps: list[str],
) -> None:
    with rolled_back():
        request_id = _request(world, officer, kind=kind)
        if late:
            DataSubjectRequest.objects.filter(pk=request_id).update(
                received_on=timezone.localdate() - datetime.timedelta(days=40)
            )
        for step in steps:
            request = DataSubjectRequest.objects.get(pk=request_id)
            allowed = step in DATA_SUBJECT_REQUEST.allowed_steps(request)
            _taken(
                lambda step=step: REQUEST_STEPS[step](officer, request_id),
                allowed,
                _request_snapshot(request_id),
            )


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

            _taken(take, allowed, _incident_snapshot(incident_id))
