# SPDX-License-Identifier: EUPL-1.2
"""The task queue: a write never waits for the mail relay; notices retry with a growing delay,
go out once when the relay is back, and are given up and shown to the functional administrator
after the last attempt; the daily jobs are enqueued once a day however many workers run."""

from __future__ import annotations

import datetime
import smtplib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case
from ketentafel.config import schedule
from ketentafel.core.models import ScheduledRun, TaskFailure, TaskState
from ketentafel.core.tasks import error_message, queue_status, retry_delay, run_pending_tasks
from ketentafel.information.models import InformationRequest
from tests.cases import flows
from tests.cases.conftest import World, api_client

pytestmark = pytest.mark.django_db

DELIVER = "ketentafel.cases.tasks.deliver_notice"
FAN_OUT = "ketentafel.cases.tasks.notify_case_party"
T0 = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def relay_down(settings: Any) -> Iterator[None]:
    """An SMTP relay that refuses connections: a port bound by nobody listening on it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sock.getsockname()[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    yield
    sock.close()


def relay_back(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def request_information(world: World, case: Case, captured: Any) -> Any:
    with captured(execute=True):
        return api_client(world.ic).post(
            f"/casussen/{case.pk}/informatieverzoeken/",
            {
                "party": world.party["politie-oost-nederland"].pk,
                "question": "Meldingen over Jan de Vries?",
                "reason": "Triage",
                "deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
            },
        )


def rows(task_path: str, status: str | None = None) -> list[DBTaskResult]:
    found = DBTaskResult.objects.filter(task_path=task_path)
    if status:
        found = found.filter(status=status)
    return list(found)


@pytest.mark.usefixtures("database_queue", "relay_down")
def test_an_information_request_with_the_relay_down_is_answered_and_stored_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = flows.in_enrichment(world)
    response = request_information(world, case, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert InformationRequest.objects.filter(case=case).count() == 1
    [queued] = rows(FAN_OUT)
    assert queued.status == TaskResultStatus.READY
    # The task carries ids and the notice's fixed texts, nothing of the person or the question.
    arguments = str(queued.args_kwargs)
    for secret in ("Jan", "Vries", "Meldingen", world.police.email):
        assert secret not in arguments
    assert mail.outbox == []


@pytest.mark.usefixtures("database_queue", "relay_down")
def test_the_worker_retries_with_a_growing_delay_and_sends_once_when_the_relay_is_back(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    case = flows.in_enrichment(world)
    request_information(world, case, django_capture_on_commit_callbacks)
    assert run_pending_tasks(now=T0) == 2  # the fan-out, then the police's delivery: refused
    [failure] = TaskFailure.objects.all()
    assert (failure.task_path, failure.attempts, failure.state) == (DELIVER, 1, "retrying")
    assert failure.error_class == "builtins.ConnectionRefusedError"
    assert world.police.email not in str(failure.arguments) + failure.error_message

    delays = []
    now = T0
    for attempt in (2, 3, 4):
        assert failure.next_attempt_at is not None
        assert run_pending_tasks(now=failure.next_attempt_at - datetime.timedelta(seconds=1)) == 0
        delays.append((failure.next_attempt_at - now).total_seconds())
        now = failure.next_attempt_at
        assert run_pending_tasks(now=now) == 1
        failure.refresh_from_db()
        assert failure.attempts == attempt
    assert delays == [30.0, 60.0, 120.0]
    assert mail.outbox == []

    relay_back(settings)
    assert failure.next_attempt_at is not None
    assert run_pending_tasks(now=failure.next_attempt_at) == 1
    assert run_pending_tasks(now=T0 + datetime.timedelta(days=2)) == 0
    assert [m.to for m in mail.outbox] == [[world.police.email]]
    assert "/informatieverzoeken/" in mail.outbox[0].body
    failure.refresh_from_db()
    assert (failure.state, failure.attempts, failure.next_attempt_at) == ("done", 5, None)
    assert len(rows(DELIVER, TaskResultStatus.FAILED)) == 4
    assert len(rows(DELIVER, TaskResultStatus.SUCCESSFUL)) == 1


@pytest.mark.usefixtures("database_queue", "relay_down")
def test_a_task_is_given_up_after_the_last_attempt_and_shown_to_the_functional_administrator(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TASK_MAX_ATTEMPTS = 3
    case = flows.in_enrichment(world)
    request_information(world, case, django_capture_on_commit_callbacks)
    for hours in range(6):
        run_pending_tasks(now=T0 + datetime.timedelta(hours=hours))
    [failure] = TaskFailure.objects.all()
    assert (failure.state, failure.attempts, failure.next_attempt_at) == ("dead", 3, None)
    assert not rows(DELIVER, TaskResultStatus.READY)
    assert queue_status(now=T0)["dead"] == 1

    # Only the functional administrator sees the list; it names no person or address.
    assert api_client(world.ic).get("/beheer/core/taskfailure/").status_code == 302
    admin = api_client(world.admin)
    page = admin.get("/beheer/core/taskfailure/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "deliver_notice" in text
    assert "ConnectionRefusedError" in text
    assert world.police.email not in text
    assert admin.get(f"/beheer/core/taskfailure/{failure.pk}/change/").status_code == 200
    assert admin.get("/beheer/core/taskfailure/add/").status_code == 403

    # Offered again once the relay is back, it goes out once; the offer is audited.
    relay_back(settings)
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin.post(
            "/beheer/core/taskfailure/",
            {"action": "retry_dead", "_selected_action": [str(failure.pk)]},
        )
    assert answer.status_code == 302
    assert AuditEvent.objects.filter(object_type="task", object_id=str(failure.pk)).count() == 1
    failure.refresh_from_db()
    assert failure.state == TaskState.RETRIED
    assert queue_status(now=T0)["dead"] == 0
    assert run_pending_tasks(now=T0 + datetime.timedelta(days=1)) == 1
    assert run_pending_tasks(now=T0 + datetime.timedelta(days=2)) == 0
    assert [m.to for m in mail.outbox] == [[world.police.email]]
    failure.refresh_from_db()
    assert failure.state == TaskState.DONE


def test_an_error_message_keeps_no_address() -> None:
    refused = smtplib.SMTPRecipientsRefused({"jan@example.invalid": (550, b"no such user")})
    assert error_message(refused) == "1 ontvanger(s) geweigerd"
    assert error_message(smtplib.SMTPSenderRefused(553, b"bad", "x@example.invalid")) == (
        "SMTP 553"
    )
    assert error_message(ValueError("mail to piet@example.invalid failed")) == (
        "mail to [adres] failed"
    )
    assert error_message(ConnectionRefusedError(111, "Connection refused")) == (
        "errno 111: Connection refused"
    )


def test_the_delay_doubles_up_to_its_ceiling(settings: Any) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 30
    settings.TASK_RETRY_MAX_SECONDS = 3600
    seconds = [retry_delay(attempt).total_seconds() for attempt in range(1, 10)]
    assert seconds == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, minute))


@pytest.mark.usefixtures("database_queue")
def test_the_daily_jobs_are_enqueued_once_a_day_however_many_workers_look(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PURGE_HOUR = 2
    settings.OVERDUE_NOTICE_HOUR = 7
    first, second = schedule.daily_jobs_enqueue, schedule.daily_jobs_enqueue
    assert first(now=at(10, 1, 59)) == []
    assert first(now=at(10, 2, 0)) == ["purge", "idempotency_keys_purge"]
    assert second(now=at(10, 2, 0)) == []
    assert first(now=at(10, 7, 30)) == ["notify_overdue"]
    assert second(now=at(10, 23, 59)) == []
    # Two workers that both looked before either wrote: the unique row lets one through.
    monkeypatch.setattr(schedule, "already_enqueued", lambda job, day: False)
    assert second(now=at(10, 9, 0)) == []
    assert first(now=at(11, 8, 0)) == ["purge", "notify_overdue", "idempotency_keys_purge"]
    assert second(now=at(11, 8, 0)) == []
    runs = sorted(ScheduledRun.objects.values_list("job", "day"))
    assert runs == [
        ("idempotency_keys_purge", datetime.date(2026, 3, 10)),
        ("idempotency_keys_purge", datetime.date(2026, 3, 11)),
        ("notify_overdue", datetime.date(2026, 3, 10)),
        ("notify_overdue", datetime.date(2026, 3, 11)),
        ("purge", datetime.date(2026, 3, 10)),
        ("purge", datetime.date(2026, 3, 11)),
    ]
    queued = sorted(
        (row.task_path.rsplit(".", 1)[-1], row.args_kwargs["kwargs"]["day"])
        for row in DBTaskResult.objects.all()
    )
    assert queued == [
        ("idempotency_keys_purge_due", "2026-03-10"),
        ("idempotency_keys_purge_due", "2026-03-11"),
        ("notify_overdue", "2026-03-10"),
        ("notify_overdue", "2026-03-11"),
        ("purge_due", "2026-03-10"),
        ("purge_due", "2026-03-11"),
    ]


@pytest.mark.usefixtures("database_queue")
def test_the_scheduled_jobs_run_from_the_worker(world: World) -> None:
    flows.active_case(world)
    schedule.daily_jobs_enqueue(now=at(10, 8))
    # The purge, the overdue job (nothing overdue yet) and the removal of old idempotency keys.
    assert run_pending_tasks(now=at(10, 8)) == 3
    assert [row.status for row in DBTaskResult.objects.all()] == [TaskResultStatus.SUCCESSFUL] * 3
    assert mail.outbox == []


@pytest.mark.usefixtures("database_queue")
def test_the_queue_status_tells_the_age_of_the_oldest_ready_task(world: World) -> None:
    from ketentafel.cases.tasks import deliver_notice

    assert queue_status(now=T0)["ready"] == 0
    result = deliver_notice.enqueue(user_id=world.police.pk, subject="s", path="/", lead="l")
    row = DBTaskResult.objects.get(pk=result.id)
    status = queue_status(now=row.enqueued_at + datetime.timedelta(seconds=90))
    assert status["ready"] == 1
    assert status["oldest_ready_seconds"] == 90.0
    assert status["dead"] == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_queue")
def test_two_workers_looking_at_the_same_moment_enqueue_each_daily_job_once(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once need PostgreSQL")
    settings.PURGE_HOUR = 2
    settings.OVERDUE_NOTICE_HOUR = 7
    # Both look before either writes: the unique row alone decides.
    monkeypatch.setattr(schedule, "already_enqueued", lambda job, day: False)
    start = threading.Barrier(2, timeout=30)
    found: list[list[str]] = []

    def worker() -> None:
        try:
            start.wait()
            found.append(schedule.daily_jobs_enqueue(now=at(12, 9)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(name for names in found for name in names) == [
        "idempotency_keys_purge",
        "notify_overdue",
        "purge",
    ]
    assert ScheduledRun.objects.count() == 3
    assert DBTaskResult.objects.count() == 3


@pytest.mark.usefixtures("database_queue")
def test_readiness_says_the_queue_stalled_when_no_worker_takes_its_tasks(
    world: World, settings: Any, client: Any
) -> None:
    from ketentafel.cases.tasks import deliver_notice

    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 60
    assert client.get("/health/ready").json()["queue"]["status"] == "ok"
    deliver_notice.enqueue(user_id=world.police.pk, subject="s", path="/", lead="l")
    # No worker runs: ten minutes later the task still waits.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
    answer = client.get("/health/ready")
    assert answer.status_code == 503
    queue = answer.json()["queue"]
    assert queue["status"] == "stalled"
    assert queue["ready"] == 1
    assert queue["oldest_ready_seconds"] >= 600
