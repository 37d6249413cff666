# SPDX-License-Identifier: EUPL-1.2
"""SecurityIncident and IncidentEntry move here from `privacy` (ADR 0017).

Only the migration state moves in this app: the tables exist already and `privacy` 0005
renames them to this app's names, so no row is copied.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("privacy", "0004_versions"),
        ("covenants", "0003_body_tracks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SecurityIncident",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("discovered_at", models.DateTimeField()),
                        ("description", models.TextField(max_length=8000)),
                        (
                            "people_affected",
                            models.PositiveIntegerField(
                                help_text="Best estimate of the number of people whose data were involved."
                            ),
                        ),
                        ("data_categories", models.JSONField(default=list)),
                        (
                            "status",
                            models.CharField(
                                choices=[("open", "Open"), ("closed", "Afgesloten")],
                                default="open",
                                max_length=10,
                            ),
                        ),
                        (
                            "must_notify_authority",
                            models.BooleanField(
                                help_text="Decision: notify the Autoriteit Persoonsgegevens (art. 33)?",
                                null=True,
                            ),
                        ),
                        ("decision_reason", models.TextField(blank=True, max_length=4000)),
                        ("authority_notified_at", models.DateTimeField(blank=True, null=True)),
                        ("authority_reference", models.CharField(blank=True, max_length=100)),
                        (
                            "version",
                            models.PositiveIntegerField(
                                db_default=1,
                                default=1,
                                editable=False,
                                help_text="Counts changes; the API's ETag (core.versions).",
                            ),
                        ),
                        ("subjects_notified_at", models.DateTimeField(blank=True, null=True)),
                        ("registered_at", models.DateTimeField(auto_now_add=True)),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "house",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="covenants.house",
                            ),
                        ),
                        (
                            "registered_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "beveiligingsincident",
                        "verbose_name_plural": "beveiligingsincidenten",
                        "ordering": ["-discovered_at"],
                    },
                ),
                migrations.CreateModel(
                    name="IncidentEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("decision", "Besluit"),
                                    ("notification", "Melding"),
                                    ("measure", "Maatregel"),
                                    ("note", "Aantekening"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("text", models.TextField(max_length=4000)),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "incident",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="entries",
                                to="incidents.securityincident",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["recorded_at", "pk"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="securityincident",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("must_notify_authority__isnull", True),
                            models.Q(("decision_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="incident_decision_has_reason",
                    ),
                ),
            ],
        ),
    ]
