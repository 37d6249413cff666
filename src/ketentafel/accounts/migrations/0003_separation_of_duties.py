# SPDX-License-Identifier: EUPL-1.2
"""Refuse, in the database, a functional administrator who also holds a case role."""

from django.db import migrations

from ketentafel.accounts import separation


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    separation.install(schema_editor.connection)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    separation.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_grants_confirmation")]

    operations = [migrations.RunPython(install, remove)]
