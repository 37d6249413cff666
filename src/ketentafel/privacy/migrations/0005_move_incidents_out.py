# SPDX-License-Identifier: EUPL-1.2
"""Security incidents leave `privacy` for an app of their own (ADR 0017).

The rows stay where they are: the tables are renamed to the incidents app's names, the models
leave this app's migration state (`incidents` 0001 takes them in), and the content types
follow so that permissions granted on them stay valid.
"""

from django.db import migrations

MOVED = ["securityincident", "incidententry"]


def move_content_types(apps, schema_editor, *, forwards=True):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old, new = ("privacy", "incidents") if forwards else ("incidents", "privacy")
    for model in MOVED:
        if not content_type.objects.using(db).filter(app_label=new, model=model).exists():
            content_type.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_versions"),
        ("incidents", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name=model, table=f"incidents_{model}")
                for model in MOVED
            ],
            state_operations=[
                migrations.RemoveField(model_name="securityincident", name="house"),
                migrations.RemoveField(model_name="securityincident", name="registered_by"),
                migrations.DeleteModel(name="IncidentEntry"),
                migrations.DeleteModel(name="SecurityIncident"),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
