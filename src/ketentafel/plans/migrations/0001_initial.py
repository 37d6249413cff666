# SPDX-License-Identifier: EUPL-1.2
"""ActionPlan, Action and ActionPlanVersion move here from `cases` (ADR 0016).

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
                    name="ActionPlan",
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
                        ("goal", models.TextField(max_length=4000)),
                        ("version", models.PositiveIntegerField(default=1)),
                        (
                            "case",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="action_plan",
                                to="cases.case",
                            ),
                        ),
                    ],
                ),
                migrations.CreateModel(
                    name="Action",
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
                        ("what", models.TextField(max_length=2000)),
                        ("due_on", models.DateField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "Open"),
                                    ("done", "Afgerond"),
                                    ("cancelled", "Vervallen"),
                                ],
                                default="open",
                                max_length=10,
                            ),
                        ),
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
                            "owner",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "owner_party",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="covenants.party",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="actions",
                                to="plans.actionplan",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["due_on"],
                    },
                ),
                migrations.CreateModel(
                    name="ActionPlanVersion",
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
                        ("number", models.PositiveIntegerField()),
                        ("goal", models.TextField(max_length=4000)),
                        ("actions", models.JSONField(default=list)),
                        ("changed_at", models.DateTimeField(auto_now_add=True)),
                        ("change", models.CharField(max_length=200)),
                        (
                            "changed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="versions",
                                to="plans.actionplan",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["number"],
                    },
                ),
                migrations.AddIndex(
                    model_name="actionplan",
                    index=models.Index(
                        fields=["case"], include=("id",), name="actionplan_case_plan"
                    ),
                ),
                migrations.AddIndex(
                    model_name="actionplan",
                    index=models.Index(
                        fields=["id"], include=("case",), name="actionplan_plan_case"
                    ),
                ),
                migrations.AddIndex(
                    model_name="action",
                    index=models.Index(
                        fields=["owner_party", "status", "due_on"], name="action_overdue"
                    ),
                ),
                migrations.AddIndex(
                    model_name="action",
                    index=models.Index(
                        condition=models.Q(("status", "open")),
                        fields=["plan", "due_on"],
                        name="action_open_plan_due",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="actionplanversion",
                    constraint=models.UniqueConstraint(
                        fields=("plan", "number"), name="plan_version_unique"
                    ),
                ),
            ],
        ),
    ]
