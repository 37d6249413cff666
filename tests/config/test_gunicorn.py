# SPDX-License-Identifier: EUPL-1.2
"""gunicorn as production runs it: its configuration names no server software."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _headers_served(tmp_path: Path, *config: str) -> dict[str, str]:
    """Start gunicorn with `config`, ask /health once, stop it; the answer's headers."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.test",
        "KETENTAFEL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}",
    }
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "gunicorn", *config, "--bind", f"127.0.0.1:{port}",
            "--workers", "1", "ketentafel.config.wsgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/health")
                response = connection.getresponse()
                return {name.lower(): value for name, value in response.getheaders()}
            except OSError:
                time.sleep(0.3)
            finally:
                connection.close()
        pytest.fail("gunicorn did not answer")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


@pytest.mark.slow
def test_the_production_configuration_announces_no_server_software(tmp_path: Path) -> None:
    assert _headers_served(tmp_path)["server"] == "gunicorn"  # what gunicorn does by itself
    headers = _headers_served(tmp_path, "--config", "python:ketentafel.config.gunicorn")
    assert "server" not in headers
    assert "camera=()" in headers["permissions-policy"]
    assert headers["x-request-id"]
