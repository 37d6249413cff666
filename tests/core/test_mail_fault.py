# SPDX-License-Identifier: EUPL-1.2
"""Fault test: the mail relay is down, then up, with `ketentafel worker` as a real process.

Information requests are made through the screen while nothing listens on the relay's port;
the worker (production settings, short back-off) fails each delivery three times or more;
then a real SMTP server starts on that port. Measured and printed: writes answered 2xx, mails
delivered, duplicates, and the seconds from the relay's return until the last mail was in.
Every wait is bounded; the assertions are on counts, never on times.
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketentafel.core.models import TaskFailure, TaskState
from ketentafel.information.models import InformationRequest
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.core.smtp_sink import SmtpSink

WRITES = 10
DELIVER = "ketentafel.cases.tasks.deliver_notice"
ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"/informatieverzoeken/[0-9a-f-]{36}/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.postgresql":
        host = db["HOST"] or "127.0.0.1"
        return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    name = str(db["NAME"])
    if "memory" in name:
        pytest.skip("a second process cannot open an in-memory SQLite database")
    return f"sqlite:///{name}"


def wait_for(what: str, done: Callable[[], bool], *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout} s")
        time.sleep(0.1)


def start_worker(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.prod",
        "SECRET_KEY": "fault-test-" + "x" * 50,
        "AUDIT_SIGNING_KEY": "Y2ktZHVtbXktYXVkaXQtc2lnbmluZy1rZXktMzJieXQ=",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "2",
        "TASK_RETRY_BASE_SECONDS": "1",
        "TASK_RETRY_MAX_SECONDS": "2",
        "TASK_MAX_ATTEMPTS": "1000",
        "KETENTAFEL_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }
    log = (tmp_path / "worker.log").open("wb")
    command = [sys.executable, "-m", "ketentafel", "worker", "--interval", "0.2"]
    return subprocess.Popen(  # noqa: S603  our own command, no shell
        [*command, "--schedule-every", "0"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def delivered(sink: SmtpSink) -> list[str]:
    return [m for received in sink.messages() for m in LINK.findall(received.data)]


def settled() -> bool:
    busy = DBTaskResult.objects.filter(
        task_path=DELIVER, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    return not busy.exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_mail_goes_out_once_after_the_relay_comes_back(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    port = free_port()
    case = flows.in_enrichment(world)
    client = api_client(world.ic)
    police = world.party["politie-oost-nederland"].pk
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    statuses = [
        client.post(
            f"/casussen/{case.pk}/informatieverzoeken/",
            {"party": police, "question": f"Vraag {n}", "reason": "Triage", "deadline": deadline},
        ).status_code
        for n in range(WRITES)
    ]
    sink = SmtpSink(port)
    worker = start_worker(tmp_path, port)
    try:
        wait_for(
            "every delivery to fail three times",
            lambda: (
                TaskFailure.objects.filter(task_path=DELIVER, attempts__gte=3).count() == WRITES
            ),
        )
        sink.start()
        relay_up = time.monotonic()
        wait_for("every mail", lambda: len(set(delivered(sink))) >= WRITES)
        to_deliver = time.monotonic() - relay_up
        wait_for("the queue to settle", settled)
    finally:
        stop(worker)
        sink.stop()
    links = delivered(sink)
    duplicates = sum(n - 1 for n in Counter(links).values())
    attempts = sorted(TaskFailure.objects.values_list("attempts", flat=True))
    print(
        f"\nmail fault: writes {WRITES}, answered 2xx {sum(s < 400 for s in statuses)}, "
        f"requests stored {InformationRequest.objects.count()}, delivered {len(set(links))}, "
        f"duplicates {duplicates}, seconds to deliver after recovery {to_deliver:.2f}, "
        f"attempts per mail {attempts[0]}..{attempts[-1]}"
    )
    assert statuses == [302] * WRITES
    assert InformationRequest.objects.count() == WRITES
    assert len(set(links)) == WRITES
    assert duplicates == 0
    assert all(m.recipients == [world.police.email] for m in sink.messages())
    assert set(TaskFailure.objects.values_list("state", flat=True)) == {TaskState.DONE}
