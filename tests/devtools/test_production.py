# SPDX-License-Identifier: EUPL-1.2
"""Production carries no development tool: no bench or demo code in the `ketentafel` package or
its wheel, no Faker or django-auditlog among its runtime dependencies, no devtools app in its
settings, and no benchmark table in a production database."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from packaging.requirements import Requirement

import ketentafel
from tests.config.test_settings import CHECK_ENV, clean_environment

REPOSITORY = Path(__file__).parents[2]
DEVELOPMENT_ONLY = {"ketentafel_devtools", "faker", "auditlog"}
# The benchmark's settings name the devtools app (settings are one module per environment,
# like dev and test); the migration removes the benchmark's table from production databases.
BENCH_NAMED = {
    "ketentafel/config/settings/bench.py",
    "ketentafel/config/migrations/0002_delete_benchdataset.py",
}


def bench_or_demo(paths: set[str]) -> set[str]:
    return {p for p in paths if "bench" in p or "demo" in p} - BENCH_NAMED


# Starts Django on the production settings as a production install would have it: the
# development tools and their dependencies cannot be imported at all. It loads every URL (so
# every view) and every management command, and reports what it found.
PRODUCTION_RUN = """
import json, sys

ABSENT = set(sys.argv[1].split(","))


class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ABSENT:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Absent())
import django

django.setup()
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.urls import get_resolver

get_resolver().url_patterns
commands = get_commands()
for name, app in commands.items():
    load_command_class(app, name)
print(json.dumps({"apps": settings.INSTALLED_APPS, "commands": sorted(commands)}))
"""


def test_production_settings_run_without_the_development_tools() -> None:
    environment = {
        **clean_environment(),
        **CHECK_ENV,
        "DJANGO_SETTINGS_MODULE": "ketentafel.config.settings.prod",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PRODUCTION_RUN, ",".join(sorted(DEVELOPMENT_ONLY))],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert not DEVELOPMENT_ONLY & {app.partition(".")[0] for app in found["apps"]}
    assert "ketentafel.config" in found["apps"]
    assert {"worker", "load_region", "migrate"} <= set(found["commands"])
    assert not {"bench", "demo"} & set(found["commands"])


def test_the_test_settings_hold_the_development_tools() -> None:
    assert apps.get_app_config("devtools").name == "ketentafel_devtools"
    assert apps.is_installed("auditlog")


def test_the_production_package_holds_no_bench_or_demo_code() -> None:
    package = Path(ketentafel.__file__).parent
    files = {f"ketentafel/{p.relative_to(package).as_posix()}" for p in package.rglob("*.*")}
    assert "ketentafel/config/settings/prod.py" in files
    assert not bench_or_demo(files)
    assert "ketentafel/config/models.py" not in files
    assert not list(apps.get_app_config("config").get_models())


@pytest.mark.django_db(transaction=True)  # SQLite alters tables only outside a transaction
def test_a_database_of_the_old_schema_loses_the_benchmark_table() -> None:
    executor = MigrationExecutor(connection)
    old = executor.migrate([("config", "0001_initial")])
    old.apps.get_model("config", "BenchDataset").objects.create(
        pk=1, claimed_at=timezone.now(), scale=50, is_complete=True
    )
    stale = ContentType.objects.create(app_label="config", model="benchdataset")
    Permission.objects.create(content_type=stale, codename="add_benchdataset", name="Can add")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    tables = connection.introspection.table_names()
    assert "config_benchdataset" not in tables
    assert "devtools_benchdataset" in tables
    assert not ContentType.objects.filter(app_label="config").exists()
    assert not Permission.objects.filter(content_type_id=stale.pk).exists()
    fresh = MigrationExecutor(connection)
    assert not fresh.migration_plan(fresh.loader.graph.leaf_nodes())


@pytest.mark.slow
def test_the_wheel_holds_no_development_tool_nor_requires_one(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ["pyproject.toml", "README.md", "LICENSE"]:
        shutil.copy(REPOSITORY / name, project)
    shutil.copytree(
        REPOSITORY / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg*")
    )
    # Built in isolation: the build needs a newer setuptools than a new venv carries.
    built = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path, project],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("ketentafel-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        headers = Parser().parsestr(archive.read(metadata).decode())

    assert {name.partition("/")[0] for name in names} == {"ketentafel", metadata.partition("/")[0]}
    assert "ketentafel/config/settings/prod.py" in names
    assert not bench_or_demo(set(names))
    requirements = [Requirement(line) for line in headers.get_all("Requires-Dist", [])]
    runtime = {r.name.lower() for r in requirements if r.marker is None}
    assert "django" in runtime
    assert not {"faker", "django-auditlog"} & runtime
    devtools = {r.name.lower() for r in requirements if r.marker and "devtools" in str(r.marker)}
    assert devtools == {"faker", "django-auditlog"}
