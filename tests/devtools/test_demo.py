# SPDX-License-Identifier: EUPL-1.2
"""The demo: users for every role who can log in, and a server whose health endpoint answers."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import may_administer, roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent
from ketentafel.cases.models import Case, Person, Phase
from ketentafel.desk.selectors import work_queue_for
from ketentafel.incidents.models import SecurityIncident
from ketentafel.privacy.models import DataSubjectRequest, RequestStatus
from ketentafel_devtools.management.commands.demo import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_settings(settings: object) -> None:
    settings.KETENTAFEL_DEMO = True  # type: ignore[attr-defined]
    settings.REGIONS_DIR = Path(__file__).parents[1] / "covenants"  # type: ignore[attr-defined]


def test_the_demo_refuses_to_run_outside_demo_settings() -> None:
    with pytest.raises(CommandError):
        call_command("demo", no_serve=True)


@pytest.mark.usefixtures("demo_settings")
def test_every_demo_role_logs_in_and_sees_only_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", region="mini-region", no_serve=True)
    cases = Case.objects.count()
    call_command("demo", region="mini-region", no_serve=True)  # a second run changes nothing
    assert Case.objects.count() == cases
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert User.objects.filter(is_demo=True).count() == len(DEMO_USERS)
    assert {r.role for r in roles_in_force(User.objects.get(username="beheerder"))} == {
        Role.FUNCTIONAL_ADMINISTRATOR
    }

    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert spec.username in out
        assert {r.role for r in roles_in_force(user)} == {spec.role}
        client = Client()
        response = client.post("/login/", {"username": spec.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, spec.username
        page = client.get("/login/tweede-factor/").text
        code = re.search(r"<strong>(\d{6})</strong>", page)
        assert code, spec.username
        assert client.post("/login/tweede-factor/", {"token": code.group(1)}).status_code == 302
        home = client.get("/")
        assert home.status_code == 200
        assert str(spec.role.label) in home.text
        expected_admin = 200 if may_administer(user) else 302
        assert client.get("/beheer/").status_code == expected_admin, spec.username
        assert (spec.role == Role.FUNCTIONAL_ADMINISTRATOR) == may_administer(user)


@pytest.mark.usefixtures("demo_settings")
def test_the_demo_house_has_work_in_every_phase_done_through_the_services() -> None:
    call_command("demo", region="mini-region", no_serve=True)
    phases = sorted(Case.objects.values_list("phase", flat=True))
    assert phases == sorted(
        [Phase.REFERRED, Phase.REFERRED, Phase.ENRICHMENT, Phase.TRIAGE, Phase.ACTIVE]
    )
    queue = work_queue_for(User.objects.get(username="procesregisseur"))
    assert (len(queue.new_referrals), len(queue.triage_due), len(queue.coordinated)) == (2, 1, 3)
    assert len(queue.upcoming_meetings) == 1
    # Every step was taken by a demo user and recorded.
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="case").count() == 5
    assert not Person.objects.exclude(bsn="").exclude(bsn__regex=r"^[0-9]{9}$").exists()
    # The privacy officer finds a request of the active case's person and a running incident.
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.RECEIVED
    assert SecurityIncident.objects.filter(closed_at__isnull=True).count() == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_the_demo_command_serves_and_answers_health(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.dev",
        "KETENTAFEL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "ketentafel", "demo", "--addrport", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        body = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    body = json.load(r)
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None
        assert (body["status"], body["database"]) == ("ok", "ok")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "procesregisseur" in output
    assert "Gelderland" in output or "Veiligheidshuis" in output
    assert "Task worker started" in output


@pytest.mark.parametrize(
    "region", ["gelderland-midden", "ijsselland", "midden-limburg", "midden-nederland"]
)
def test_the_demo_runs_each_shipped_region_in_its_own_process(
    region: str, settings: object
) -> None:
    """`make demo REGION=...` brings a case of each shipped region to active through its own
    process: IJsselland's through a held Regionale Casustafel and an MDO (ADR 0018)."""
    settings.KETENTAFEL_DEMO = True  # type: ignore[attr-defined]
    call_command("demo", region=region, no_serve=True)
    assert Case.objects.filter(house__covenant__slug=region, phase=Phase.ACTIVE).count() == 1
