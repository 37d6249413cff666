# SPDX-License-Identifier: EUPL-1.2
"""Development and demo: a local SQLite database, debug pages, demo users allowed."""

from ketentafel.config.env import env_bool, env_str
from ketentafel.config.settings.base import *  # noqa: F403
from ketentafel.config.settings.base import INSTALLED_APPS, LOGGING, VAR_DIR

DEBUG = env_bool("DEBUG", default=True, help="Show debug pages (development only).")
SECRET_KEY = env_str(
    "SECRET_KEY",
    default="development-only-secret-key-never-use-in-production",
    help="Secret for signing sessions and tokens; required and unique in production.",
)
# Demo users may see their current second-factor code on the verification page; the
# production settings refuse this flag (see prod.py and docs/deployment.md).
KETENTAFEL_DEMO = env_bool(
    "KETENTAFEL_DEMO",
    default=True,
    help="Development only: demo users see their one-time code on the second-factor page.",
)
LOGGING["handlers"]["console"]["formatter"] = env_str(
    "LOG_FORMAT", default="console", help="Log line format: json or console."
)
# The demo command and its synthetic data live outside the production package.
INSTALLED_APPS = [*INSTALLED_APPS, "ketentafel_devtools"]
VAR_DIR.mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
