# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel bench`: production-like settings plus the development tools that hold the
benchmark (`ketentafel_devtools`) and django-auditlog for the comparison.

django-auditlog is a development dependency installed only here and in the test settings: the
audit section measures it side by side with the project's own audit log (docs/performance.md).
DEBUG stays off, or Django would keep every query of a million-row run in memory.
"""

from ketentafel.config.env import env_str
from ketentafel.config.settings.base import *  # noqa: F403
from ketentafel.config.settings.base import INSTALLED_APPS, LOGGING

DEBUG = False
SECRET_KEY = env_str(
    "SECRET_KEY",
    default="benchmark-only-secret-key-never-use-in-production",
    help="Secret for signing sessions and tokens; required and unique in production.",
)
INSTALLED_APPS = [*INSTALLED_APPS, "auditlog", "ketentafel_devtools"]
LOGGING["root"]["level"] = "WARNING"
