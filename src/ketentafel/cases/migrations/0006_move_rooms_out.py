# SPDX-License-Identifier: EUPL-1.2
"""Advice requests, meetings and plans leave `cases` for apps of their own (ADR 0016).

The rows stay where they are: the tables are renamed to their new app's names, the models
leave this app's migration state (the new apps' 0001 migrations take them in), and the
content types follow so that permissions granted on them stay valid.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = {
    "advicerequest": "advice",
    "meeting": "meetings",
    "agendaitem": "meetings",
    "decision": "meetings",
    "actionplan": "plans",
    "action": "plans",
    "actionplanversion": "plans",
}


def move_content_types(apps, schema_editor, *, forwards=True):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model, app in MOVED.items():
        old, new = ("cases", app) if forwards else (app, "cases")
        if not content_type.objects.using(db).filter(app_label=new, model=model).exists():
            content_type.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_versions"),
        ("advice", "0001_initial"),
        ("meetings", "0001_initial"),
        ("plans", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=model, table=f"{app}_{model}")
                for model, app in MOVED.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="closure",
                    name="agenda_item",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="meetings.agendaitem",
                    ),
                ),
                *[
                    migrations.RemoveField(model_name=model, name=field)
                    for model, field in [
                        ("action", "owner"),
                        ("action", "owner_party"),
                        ("action", "plan"),
                        ("actionplan", "case"),
                        ("actionplanversion", "plan"),
                        ("actionplanversion", "changed_by"),
                        ("advicerequest", "case"),
                        ("advicerequest", "house"),
                        ("advicerequest", "recorded_by"),
                        ("advicerequest", "requesting_party"),
                        ("agendaitem", "case"),
                        ("agendaitem", "meeting"),
                        ("decision", "agenda_item"),
                        ("decision", "decision_type"),
                        ("decision", "recorded_by"),
                        ("meeting", "body"),
                        ("meeting", "house"),
                        ("meeting", "scheduled_by"),
                    ]
                ],
                *[
                    migrations.DeleteModel(name=name)
                    for name in [
                        "Action",
                        "ActionPlan",
                        "ActionPlanVersion",
                        "AdviceRequest",
                        "Decision",
                        "AgendaItem",
                        "Meeting",
                    ]
                ],
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
