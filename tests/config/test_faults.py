# SPDX-License-Identifier: EUPL-1.2
"""Fault tests: the application as production runs it, on a PostgreSQL cluster of its own.

Each test starts a throw-away cluster (initdb in a temporary directory, on a free port, with
the PostgreSQL 15 binaries; never the machine's cluster) and gunicorn with production
settings against it, then breaks the database:

- stopping and restarting PostgreSQL: the API answers 503 problems with Retry-After, screens
  a Dutch 503 page, /health/live 200 and /health/ready 503, one log line per failed request
  and no traceback; once PostgreSQL is back the same gunicorn serves again;
- a lock held on the audit chain's head past lock_timeout: the request answers 503.

Every wait is bounded. The figures (time to recover, time to the 503) are printed and kept as
test properties; the tests assert behaviour, not speed.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REPO = Path(__file__).resolve().parents[2]
LOCK_TIMEOUT = 2

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason="needs PostgreSQL 15 binaries"),
    pytest.mark.skipif(shutil.which("runuser") is None and os.geteuid() == 0, reason="runuser"),
]

# Production's static files as production names them (the manifest), but not compressed:
# these tests break the database, and gzip and brotli of every file cost collectstatic some
# seven seconds of its setup.
FAULT_SETTINGS = """
from ketentafel.config.settings.prod import *  # noqa: F403
STATIC_ROOT = {static!r}
STORAGES = {{
    **STORAGES,  # noqa: F405
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}},
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    data: Path
    port: int

    def _pg_ctl(self, *args: str) -> None:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data}"
        self._pg_ctl("-w", "-t", "30", "-o", options, "-l", str(self.data / "log"), "start")

    def stop(self) -> None:
        self._pg_ctl("-w", "-t", "30", "-m", "fast", "stop")

    def url(self, name: str = "ketentafel") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # Not under pytest's temporary directory: that is private to root, and PostgreSQL runs as
    # the postgres user.
    with tempfile.TemporaryDirectory(prefix="ketentafel-pg-") as root_dir:
        yield from _cluster(Path(root_dir))


def _cluster(root: Path) -> Iterator[Cluster]:
    data = root / "data"
    command = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603
    found = Cluster(data, _free_port())
    found.start()
    with psycopg.connect(found.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE ketentafel")
    try:
        yield found
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            found.stop()


@dataclass
class App:
    port: int
    process: subprocess.Popen[str]
    log: Path

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, body: str = ""
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                method,
                path,
                body=body or None,
                headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1", **(headers or {})},
            )
            response = connection.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read().decode(),
            )
        finally:
            connection.close()

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


@pytest.fixture(scope="module")
def app(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """gunicorn with production settings on the cluster; one for the module's tests, which
    leave the cluster running as they found it."""
    tmp_path = tmp_path_factory.mktemp("app")
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "faultsettings.py").write_text(
        FAULT_SETTINGS.format(static=str(tmp_path / "static")), encoding="utf-8"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(REPO / "src")]),
        "DJANGO_SETTINGS_MODULE": "faultsettings",
        "DATABASE_URL": cluster.url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "DATABASE_LOCK_TIMEOUT_SECONDS": str(LOCK_TIMEOUT),
        "DATABASE_CONNECT_TIMEOUT_SECONDS": "2",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "KETENTAFEL_VAR_DIR": str(tmp_path),
    }
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "ketentafel", *step],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "gunicorn", "--config", "python:ketentafel.config.gunicorn",
                "--no-control-socket", "--workers", "2", "--bind", f"127.0.0.1:{port}",
            ],
            env=env, stdout=stderr, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
    served = App(port, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if served.request("GET", "/health/live")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield served
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


# A session cookie of a signed-in person: while the database is down, the session cannot be
# read, which is what made /health and every page answer 500 before.
SESSION = {"Cookie": "__Host-sessionid=0123456789abcdefghijklmnopqrstuv"}
ROUNDS = 10


def _outage_lines(app: App, since: int = 0) -> list[dict[str, Any]]:
    lines = []
    for line in app.log_lines()[since:]:
        if '"database_unavailable"' in line:
            lines.append(json.loads(line))
    return lines


def test_postgresql_stopped_and_restarted_answers_503_and_recovers_without_a_restart(
    cluster: Cluster, app: App, record_property: Any
) -> None:
    assert app.request("GET", "/health/ready")[0] == 200
    assert app.request("GET", "/api/v1/cases/", headers=SESSION)[0] in {401, 403}
    workers_before = app.process.pid
    since = len(app.log_lines())

    cluster.stop()
    outage_started = time.monotonic()
    failed = 0
    for _ in range(ROUNDS):
        status, headers, body = app.request("GET", "/api/v1/cases/", headers=SESSION)
        assert status == 503, body
        assert headers["content-type"] == "application/problem+json"
        assert headers["retry-after"] == "5"
        assert json.loads(body)["status"] == 503
        status, headers, body = app.request("GET", "/casussen/", headers=SESSION)
        assert status == 503, body
        assert headers["content-type"].startswith("text/html")
        assert "Tijdelijk niet beschikbaar" in body
        assert '<html lang="nl"' in body
        failed += 2
        assert app.request("GET", "/health/live", headers=SESSION)[0] == 200
        status, _headers, body = app.request("GET", "/health/ready", headers=SESSION)
        assert status == 503
        assert json.loads(body)["database"] == "unavailable"
    outage_seconds = time.monotonic() - outage_started

    cluster.start()
    back = time.monotonic()
    deadline = back + 60
    while app.request("GET", "/api/v1/cases/", headers=SESSION)[0] == 503:
        assert time.monotonic() < deadline, "the application did not recover"
        time.sleep(0.1)
    recovered_after = time.monotonic() - back
    assert app.request("GET", "/health/ready", headers=SESSION)[0] == 200
    assert app.process.poll() is None
    assert app.process.pid == workers_before

    log = app.log_lines()[since:]
    lines = _outage_lines(app, since)
    tracebacks = sum("Traceback" in line for line in log)
    assert len(lines) == failed  # one line per failed request
    assert tracebacks == 0
    assert {line["level"] for line in lines} == {"warning"}
    allowed = {"event", "method", "path", "error", "sqlstate", "status", "request_id"}
    allowed |= {"level", "logger", "timestamp"}
    assert all(set(line) <= allowed for line in lines)  # ids and error classes, no personal data
    figures = {
        "failed_requests": failed,
        "outage_log_lines": len(lines),
        "log_lines_total": len(log),
        "tracebacks": tracebacks,
        "outage_window_seconds": round(outage_seconds, 2),
        "seconds_to_recover_after_postgresql_is_back": round(recovered_after, 2),
    }
    for name, value in figures.items():
        record_property(name, value)
    print("fault figures:", json.dumps(figures))


def _csrf(app: App) -> tuple[str, str]:
    status, headers, body = app.request("GET", "/login/")
    assert status == 200
    cookie = re.search(r"__Host-csrftoken=([^;]+)", headers["set-cookie"])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert cookie is not None
    assert token is not None
    return cookie.group(1), token.group(1)


def test_a_lock_held_on_the_audit_head_past_lock_timeout_answers_503(
    cluster: Cluster, app: App, record_property: Any
) -> None:
    cookie, token = _csrf(app)
    origin = f"https://127.0.0.1:{app.port}"
    headers = {
        "Cookie": f"__Host-csrftoken={cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": f"{origin}/login/",
        "Host": f"127.0.0.1:{app.port}",
    }
    body = f"csrfmiddlewaretoken={token}&username=nobody&password=wrong-password-1"
    since = len(app.log_lines())
    # A failed login is an audit event: it must lock the chain's head (the first one makes it).
    assert app.request("POST", "/login/", headers=headers, body=body)[0] == 200
    with psycopg.connect(cluster.url()) as holder:
        held = holder.execute("SELECT seq FROM audit_audithead WHERE id = 1 FOR UPDATE")
        assert held.fetchone() is not None
        started = time.monotonic()
        status, response_headers, page = app.request("POST", "/login/", headers=headers, body=body)
        waited = time.monotonic() - started
        holder.rollback()
    assert status == 503, page
    assert response_headers["retry-after"] == "5"
    assert "Tijdelijk niet beschikbaar" in page
    lines = _outage_lines(app, since)
    assert [line["sqlstate"] for line in lines] == ["55P03"]  # lock_not_available
    # The lock released, the same request is answered as usual (a refused login).
    assert app.request("POST", "/login/", headers=headers, body=body)[0] == 200
    record_property("lock_timeout_seconds", LOCK_TIMEOUT)
    record_property("seconds_to_503", round(waited, 2))
    print(
        "lock figures:", json.dumps({"lock_timeout": LOCK_TIMEOUT, "503_after": round(waited, 2)})
    )
