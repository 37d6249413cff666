# SPDX-License-Identifier: EUPL-1.2
"""AdviceRequest move here from `cases` (ADR 0016).

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
                    name="AdviceRequest",
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
                        ("question", models.TextField(max_length=2000)),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("handled_locally", "Lokaal opgepakt"),
                                    ("referred", "Aangemeld bij het huis"),
                                ],
                                default="open",
                                max_length=20,
                            ),
                        ),
                        ("advice", models.TextField(blank=True, max_length=4000)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("concluded_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "case",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="advice_request",
                                to="cases.case",
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
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "requesting_party",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="covenants.party",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
    ]
