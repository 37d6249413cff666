# SPDX-License-Identifier: EUPL-1.2
"""Refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) on the audit tables for every role."""

from django.db import migrations

from ketentafel.audit import protection

# The tables this step protects; later tables get their triggers in their own migration.
TABLES = ("audit_auditevent", "audit_eventperson", "audit_eventdataparty", "audit_auditcheckpoint")


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    protection.install(schema_editor.connection, TABLES)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
