# SPDX-License-Identifier: EUPL-1.2
"""Refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the audit tables for every role."""

from django.db import migrations

from ketentafel.audit import protection


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    protection.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
