# SPDX-License-Identifier: EUPL-1.2
"""Fault run (issue 12, items 1 and 3): gunicorn with 4 sync workers and production settings on
the machine's PostgreSQL, in a database of this test's own; concurrent clients refer cases with
an `Idempotency-Key`, a worker and then the master are killed with SIGKILL mid-run, and the
clients retry with the same keys once gunicorn is back. Then it counts acknowledged writes lost,
committed writes answered with an error, and duplicates: each must be 0.

Runs when the suite runs on PostgreSQL (`DATABASE_URL=postgres://...`), as `.ci/run` does.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

CLIENTS = 6
WRITES_PER_CLIENT = 20
RUN_DEADLINE_S = 240.0
ROOT = Path(__file__).resolve().parents[2]

HTTPS = {"X-Forwarded-Proto": "https"}  # as the proxy in front of production says
DROP = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _admin_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@dataclass
class Tally:
    acknowledged: dict[str, str] = field(default_factory=dict)  # key -> case id answered
    errors_then_replayed: int = 0  # 5xx answers whose retry was a replay: saved, yet an error
    connection_lost: int = 0
    replays: int = 0
    in_progress: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    unfinished: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Server:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable, "-m", "gunicorn", "--config",
                    "python:ketentafel.config.gunicorn", "--workers", "4",
                    "--worker-class", "sync", "--no-control-socket", "--timeout", "30",
                    "--bind", f"127.0.0.1:{self.port}",
                ],
                env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _headers, _body = self.request("GET", "/health", None, HTTPS)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer; see {self.log}")

    def workers(self) -> list[int]:
        assert self.process is not None
        out = subprocess.run(  # noqa: S603
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],  # noqa: S607
            capture_output=True, text=True, check=False, timeout=10,
        ).stdout  # fmt: skip
        return [int(pid) for pid in out.split()]

    def kill_all(self) -> None:
        """SIGKILL the master and its workers: the whole application dies at once."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def request(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


def _client(server: Server, setup: dict[str, Any], number: int, tally: Tally, stop: float) -> None:
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"{setup['cookie']}={setup['session']}; {setup['csrf_cookie']}={csrf}",
        "X-CSRFToken": csrf,
        "X-Forwarded-Proto": "https",
        "Origin": f"https://127.0.0.1:{server.port}",
        "Host": f"127.0.0.1:{server.port}",
    }
    for index in range(WRITES_PER_CLIENT):
        key = f"fault-{number}-{index}"
        body = json.dumps(
            {
                "house": setup["house"],
                "track": setup["track"],
                "subject_kind": "area",
                "area_description": "Portiekflat aan de Voorbeeldstraat",
                "persons": [],
                "municipality": setup["municipality"],
                "problem_statement": "Overlast en verloedering in de portiek.",
                "goal": f"Doel {key}",
                "themes": [setup["theme"]],
            }
        ).encode()
        errored = False
        while True:
            if time.monotonic() > stop:
                with tally.lock:
                    tally.unfinished.append(key)
                return
            try:
                status, answer, raw = server.request(
                    "POST", "/api/v1/cases/", body, {**headers, "Idempotency-Key": key}
                )
            except (OSError, http.client.HTTPException):
                with tally.lock:
                    tally.connection_lost += 1
                time.sleep(0.2)
                continue
            with tally.lock:
                tally.statuses[status] += 1
            if status == 201:
                replayed = answer.get("Idempotent-Replayed") == "true"
                with tally.lock:
                    tally.acknowledged[key] = json.loads(raw)["id"]
                    tally.replays += replayed
                    tally.errors_then_replayed += errored and replayed
                break
            if status == 409:
                with tally.lock:
                    tally.in_progress += 1
                time.sleep(0.2)
                continue
            if status >= 500:
                errored = True
                time.sleep(0.2)
                continue
            pytest.fail(f"{key}: {status} {raw[:500]!r}")


def test_kill_9_during_concurrent_writes_loses_nothing_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    admin_url = _admin_url()
    if admin_url is None:
        pytest.skip("the fault run needs PostgreSQL (DATABASE_URL=postgres://...)")
    base = admin_url.rsplit("/", 1)[0]
    name = f"{admin_url.rsplit('/', 1)[1]}_fault_idem"
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=10) as admin:
        admin.execute(DROP.format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    signing_key = Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, NoEncryption()
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.prod",
        "DATABASE_URL": f"{base}/{name}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_SIGNING_KEY": base64.b64encode(signing_key).decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "KETENTAFEL_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("KETENTAFEL_DEMO", None)
    run = {"env": env, "cwd": ROOT, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "-m", "ketentafel", "migrate", "-v0"], timeout=300, **run)
    setup = json.loads(
        subprocess.run([sys.executable, "tests/config/fault_setup.py"], timeout=120, **run).stdout
    )

    server = Server(env, _free_port(), tmp_path / "gunicorn.log")
    tally = Tally()
    stop = time.monotonic() + RUN_DEADLINE_S
    total = CLIENTS * WRITES_PER_CLIENT
    server.start()
    try:
        clients = [
            threading.Thread(target=_client, args=(server, setup, n, tally, stop), daemon=True)
            for n in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        for threshold, fault in ((total // 4, "worker"), (total // 2, "master")):
            while len(tally.acknowledged) < threshold and time.monotonic() < stop:
                time.sleep(0.02)
            if fault == "worker":
                os.kill(secrets.choice(server.workers()), signal.SIGKILL)
            else:
                server.kill_all()
                time.sleep(1.0)  # the clients' retries meet a closed port meanwhile
                server.start()
        for thread in clients:
            thread.join(timeout=max(1.0, stop - time.monotonic() + 5))
    finally:
        server.kill_all()

    with psycopg.connect(f"{base}/{name}", connect_timeout=10) as db:
        rows = db.execute(
            "SELECT goal, id::text FROM cases_case WHERE goal LIKE 'Doel fault-%%'"
        ).fetchall()
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=10) as admin:
        admin.execute(DROP.format(sql.Identifier(name)))
    stored = Counter(goal.removeprefix("Doel ") for goal, _id in rows)
    ids = {goal.removeprefix("Doel "): case_id for goal, case_id in rows}
    lost = [key for key, case_id in tally.acknowledged.items() if ids.get(key) != case_id]
    duplicates = sum(count - 1 for count in stored.values() if count > 1)
    figures = {
        "writes": total,
        "acknowledged": len(tally.acknowledged),
        "acknowledged_lost": len(lost),
        "committed_answered_with_error": tally.errors_then_replayed,
        "duplicates": duplicates,
        "connections_lost_then_retried": tally.connection_lost,
        "answers_replayed": tally.replays,
        "in_progress_409": tally.in_progress,
        "statuses": dict(tally.statuses),
        "unfinished": len(tally.unfinished),
    }
    print("fault figures:", json.dumps(figures))
    assert tally.unfinished == []
    assert len(tally.acknowledged) == total
    assert lost == []
    assert tally.errors_then_replayed == 0
    assert duplicates == 0
    assert sorted(stored) == sorted(tally.acknowledged)
