# SPDX-License-Identifier: EUPL-1.2
"""The process of a data-subject request, walked through the services (incidents:
tests/incidents/test_workflow.py).

The table below is written out by hand from AVG art. 12(3) and 19 and docs/privacy.md;
`privacy.workflow` must declare exactly it. Every (state, step) pair is then taken through
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
from ketentafel.privacy import services
from ketentafel.privacy.models import (
    DataSubjectRequest,
    RecipientNotice,
    RequestKind,
    RequestStatus,
)
from ketentafel.privacy.workflow import DATA_SUBJECT_REQUEST
from tests.cases.conftest import World
from tests.privacy.conftest import officer as officer  # the fixture
from tests.workflow import declared, refused, rolled_back, taken

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


def test_the_machine_declares_exactly_the_expected_table() -> None:
    assert declared(DATA_SUBJECT_REQUEST) == REQUEST_TABLE


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


# Generated sequences: a step is taken exactly when the machine allows it ----------------------

REQUEST_KINDS = st.sampled_from([RequestKind.ERASURE, RequestKind.ACCESS])


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
            taken(
                lambda step=step: REQUEST_STEPS[step](officer, request_id),
                allowed,
                _request_snapshot(request_id),
            )
