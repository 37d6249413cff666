# SPDX-License-Identifier: EUPL-1.2
"""The move of security incidents out of `privacy` keeps every row (ADR 0017).

A database of the schema before the move, with an incident and its log in it, is migrated
forward; every row is found again through the incidents app's models under its own id, the
log still points at its incident, and the content types (and so any permission granted on
them) moved with their models. Runs on SQLite and on PostgreSQL (the CI's second run).
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ketentafel.accounts.models import User
from ketentafel.covenants.models import House, Party
from ketentafel.covenants.services import region_load
from ketentafel.incidents.models import IncidentEntry, IncidentEntryKind, SecurityIncident
from tests.conftest import MINI_REGION

BEFORE_MOVE = [("privacy", "0004_versions"), ("incidents", None)]
MOVED = ["securityincident", "incidententry"]


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_every_incident_row_survives_the_move() -> None:
    region_load(path=MINI_REGION)
    house = House.objects.get(slug="noord")
    municipality = Party.objects.get(slug="gemeente-noordstad")
    user = User.objects.create(username="migratie", party=municipality)
    content_types = {
        model: ContentType.objects.get(app_label="incidents", model=model).pk for model in MOVED
    }

    executor = _migrate(BEFORE_MOVE)
    tables = connection.introspection.table_names()
    assert "privacy_securityincident" in tables
    assert "incidents_securityincident" not in tables
    assert {
        model: ContentType.objects.get(app_label="privacy", model=model).pk for model in MOVED
    } == content_types
    old = executor.loader.project_state([("privacy", "0004_versions")]).apps
    incident_id = uuid.uuid4()
    discovered = timezone.now() - datetime.timedelta(hours=5)
    old.get_model("privacy", "SecurityIncident").objects.create(
        id=incident_id,
        house_id=house.pk,
        discovered_at=discovered,
        description="Synthetisch datalek.",
        people_affected=4,
        data_categories=["bsn", "ordinary"],
        must_notify_authority=True,
        decision_reason="Synthetische afweging.",
        authority_notified_at=discovered + datetime.timedelta(hours=2),
        authority_reference="AP-0001",
        registered_by_id=user.pk,
        version=3,
    )
    entries = [
        old.get_model("privacy", "IncidentEntry")
        .objects.create(incident_id=incident_id, kind=kind, text=text, recorded_by_id=user.pk)
        .pk
        for kind, text in [("decision", "Melden."), ("notification", "Gemeld.")]
    ]

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    for model in MOVED:
        assert f"incidents_{model}" in tables
        assert f"privacy_{model}" not in tables
    incident = SecurityIncident.objects.get(pk=incident_id)
    assert (incident.house_id, incident.registered_by_id) == (house.pk, user.pk)
    assert (incident.people_affected, incident.data_categories) == (4, ["bsn", "ordinary"])
    assert (incident.authority_reference, incident.version) == ("AP-0001", 3)
    assert incident.notified_in_time is True
    assert [(e.pk, e.kind) for e in incident.entries.all()] == [
        (entries[0], IncidentEntryKind.DECISION),
        (entries[1], IncidentEntryKind.NOTIFICATION),
    ]
    assert {
        model: ContentType.objects.get(app_label="incidents", model=model).pk for model in MOVED
    } == content_types
    # New rows still get ids after the rename (the log's integer key sequence moved along).
    added = IncidentEntry.objects.create(
        incident=incident, kind=IncidentEntryKind.NOTE, text="Nog een.", recorded_by=user
    )
    assert added.pk > max(entries)
