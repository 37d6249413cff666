# SPDX-License-Identifier: EUPL-1.2
"""Meeting, AgendaItem and Decision move here from `cases` (ADR 0016).

Only the migration state moves in this app: the tables exist already and `cases` 0006
renames them to this app's names, so no row is copied.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0005_versions"),
        ("covenants", "0003_body_tracks"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AgendaItem",
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
                        ("position", models.PositiveSmallIntegerField()),
                        (
                            "purpose",
                            models.CharField(
                                choices=[
                                    ("first_discussion", "Eerste bespreking"),
                                    ("review", "Voortgang"),
                                    ("closure", "Afschaling"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("minutes", models.TextField(blank=True, max_length=20000)),
                        ("informs_client", models.CharField(blank=True, max_length=300)),
                        ("on_arrest", models.TextField(blank=True, max_length=2000)),
                        ("closure_criteria", models.TextField(blank=True, max_length=2000)),
                        ("progress", models.TextField(blank=True, max_length=4000)),
                        (
                            "version",
                            models.PositiveIntegerField(
                                db_default=1,
                                default=1,
                                editable=False,
                                help_text="Counts changes; the API's ETag (core.versions).",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="agenda_items",
                                to="cases.case",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["meeting__starts_at", "position"],
                    },
                ),
                migrations.CreateModel(
                    name="Decision",
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
                        ("text", models.TextField(max_length=2000)),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "agenda_item",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="decisions",
                                to="meetings.agendaitem",
                            ),
                        ),
                        (
                            "decision_type",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="covenants.decisiontype",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["recorded_at"],
                    },
                ),
                migrations.CreateModel(
                    name="Meeting",
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
                        ("starts_at", models.DateTimeField()),
                        ("location", models.CharField(blank=True, max_length=200)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("planned", "Gepland"),
                                    ("held", "Gehouden"),
                                    ("cancelled", "Geannuleerd"),
                                ],
                                default="planned",
                                max_length=10,
                            ),
                        ),
                        ("held_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "body",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="meetings",
                                to="covenants.body",
                            ),
                        ),
                        (
                            "house",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="covenants.house",
                            ),
                        ),
                        (
                            "scheduled_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["starts_at"],
                    },
                ),
                migrations.AddField(
                    model_name="agendaitem",
                    name="meeting",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agenda_items",
                        to="meetings.meeting",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="agendaitem",
                    constraint=models.UniqueConstraint(
                        fields=("meeting", "case"), name="agenda_case_once"
                    ),
                ),
            ],
        ),
    ]
