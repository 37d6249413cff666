# SPDX-License-Identifier: EUPL-1.2
"""The test suite: fast hashing, quiet logs; the database comes from DATABASE_URL."""

from ketentafel.config.settings.base import *  # noqa: F403
from ketentafel.config.settings.base import DATABASES, INSTALLED_APPS, LOGGING

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
KETENTAFEL_DEMO = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING["root"]["level"] = "WARNING"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, in the process that enqueued them (after the commit, like in production);
# the tests of the queue itself switch to the database backend (tests/core/test_tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The development tools are tested too; their benchmark compares the audit log with
# django-auditlog.
INSTALLED_APPS = [*INSTALLED_APPS, "auditlog", "ketentafel_devtools"]
# The browser tests' live server answers each request in a thread of its own; with persistent
# connections those threads would keep the test database open and it could not be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0
