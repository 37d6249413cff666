# SPDX-License-Identifier: EUPL-1.2
"""Settings shared by every environment; dev, test and prod refine them."""

from __future__ import annotations

from pathlib import Path

import csp.constants
import dj_database_url
import django_stubs_ext

from ketentafel.config.env import env_bool, env_int, env_list, env_str
from ketentafel.config.logging import logging_config

django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = PACKAGE_DIR.parents[1]
VAR_DIR = Path(
    env_str(
        "KETENTAFEL_VAR_DIR",
        default=str(BASE_DIR / "var"),
        help="Directory for the SQLite database and other local state.",
    )
)

DEBUG = False
KETENTAFEL_DEMO = False

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1"],
    help="Host names this deployment answers to.",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS",
    default=[],
    help="Origins (scheme and host) trusted for forms posted through a proxy.",
)

DATABASES = {
    "default": dj_database_url.parse(
        env_str(
            "DATABASE_URL",
            default=f"sqlite:///{VAR_DIR / 'ketentafel.sqlite3'}",
            help="Database URL: sqlite:///path or postgres://user@host:5432/name.",
        ),
        conn_max_age=env_int(
            "DATABASE_CONN_MAX_AGE",
            default=60,
            help="Seconds a database connection is kept open between requests.",
        ),
        conn_health_checks=True,
    )
}
# Nothing waits for ever (docs/deployment.md, "Timeouts"): a request that hits one of these
# answers 503 with Retry-After (ketentafel.core.outage), not a hung worker. 0 switches one off.
DATABASE_STATEMENT_TIMEOUT_SECONDS = env_int(
    "DATABASE_STATEMENT_TIMEOUT_SECONDS",
    default=15,
    help="PostgreSQL statement_timeout: seconds one SQL statement may run before it is cancelled.",
)
DATABASE_LOCK_TIMEOUT_SECONDS = env_int(
    "DATABASE_LOCK_TIMEOUT_SECONDS",
    default=5,
    help=(
        "Seconds a statement waits for a lock held by another transaction before it gives up "
        "(PostgreSQL lock_timeout; SQLite's busy timeout)."
    ),
)
DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = env_int(
    "DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS",
    default=30,
    help=(
        "PostgreSQL idle_in_transaction_session_timeout: seconds a transaction may sit idle "
        "before the server ends its session and releases its locks."
    ),
)
DATABASE_CONNECT_TIMEOUT_SECONDS = env_int(
    "DATABASE_CONNECT_TIMEOUT_SECONDS",
    default=5,
    help="Seconds to wait for a connection to the database server (libpq connect_timeout).",
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _timeouts = {
        "statement_timeout": DATABASE_STATEMENT_TIMEOUT_SECONDS,
        "lock_timeout": DATABASE_LOCK_TIMEOUT_SECONDS,
        "idle_in_transaction_session_timeout": DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS,
    }
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "options": " ".join(f"-c {name}={seconds}s" for name, seconds in _timeouts.items()),
            "connect_timeout": DATABASE_CONNECT_TIMEOUT_SECONDS,
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        # Seconds Python's sqlite3 waits for another writer's lock before "database is locked".
        "timeout": DATABASE_LOCK_TIMEOUT_SECONDS,
        "init_command": (
            "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; "
            f"PRAGMA busy_timeout={DATABASE_LOCK_TIMEOUT_SECONDS * 1000};"
        ),
    }
# Seconds a client is told to wait (Retry-After) when the database cannot serve a request.
OUTAGE_RETRY_AFTER_SECONDS = env_int(
    "OUTAGE_RETRY_AFTER_SECONDS",
    default=5,
    help="Seconds in the Retry-After header of the 503 answered while the database is down.",
)
# /health/ready answers 503 when the oldest task due to run has waited longer than this.
HEALTH_QUEUE_MAX_AGE_SECONDS = env_int(
    "HEALTH_QUEUE_MAX_AGE_SECONDS",
    default=300,
    help="Seconds the oldest due task may wait in the queue before /health/ready answers 503.",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "ketentafel.config.apps.KetentafelAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "django_htmx",
    "ketentafel.core",
    "ketentafel.accounts",
    "ketentafel.covenants",
    "ketentafel.audit",
    "django_tasks",
    "django_tasks_db",
    "ketentafel.privacy",
    "ketentafel.incidents",
    "ketentafel.advice",
    "ketentafel.cases",
    "ketentafel.meetings",
    "ketentafel.plans",
    "ketentafel.desk",
    "ketentafel.information",
    "ketentafel.aftercare",
    "ketentafel.reporting",
    "ketentafel.config",
]

MIDDLEWARE = [
    "ketentafel.core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ketentafel.core.middleware.NoStoreMiddleware",
    "ketentafel.core.middleware.RequestIdMiddleware",
    "ketentafel.core.health.HealthMiddleware",
    "ketentafel.core.outage.OutageMiddleware",
    "ketentafel.core.middleware.SessionMiddleware",
    "ketentafel.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ketentafel.accounts.middleware.SessionLifetimeMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ketentafel.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Permissions-Policy: browser features no page of Ketentafel uses, denied to every page and
# frame (ketentafel.core.middleware.PermissionsPolicyMiddleware); an empty list means "none".
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Content-Security-Policy (django-csp 4): every script and style comes from the application
# itself, none inline, so an injected script cannot run. The NL Design System CSS uses small
# data: SVG icons; PDFs and calendar files are downloads, not pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.constants.SELF],
        "script-src": [csp.constants.SELF],
        "style-src": [csp.constants.SELF],
        "img-src": [csp.constants.SELF, "data:"],
        "font-src": [csp.constants.SELF],
        "connect-src": [csp.constants.SELF],
        "form-action": [csp.constants.SELF],
        "frame-ancestors": [csp.constants.NONE],
        "base-uri": [csp.constants.NONE],
        "object-src": [csp.constants.NONE],
    }
}

ROOT_URLCONF = "ketentafel.config.urls"
WSGI_APPLICATION = "ketentafel.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ketentafel.core.context_processors.deployment",
                "ketentafel.accounts.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ketentafel.accounts.backends.PartyModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn, told this deployment's names; score 4 = at least 10^10 estimated guesses.
    {
        "NAME": "ketentafel.accounts.passwords.GuessabilityValidator",
        "OPTIONS": {"min_score": 4},
    },
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "covenants:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: every request renews the session, so it ends after this many idle minutes.
SESSION_IDLE_MINUTES = env_int(
    "SESSION_IDLE_MINUTES",
    default=30,
    help="Minutes of inactivity after which a session ends and the user must log in again.",
)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Absolute lifetime: however active, a session ends this many hours after sign-in
# (ketentafel.accounts.middleware.SessionLifetimeMiddleware).
SESSION_LIFETIME_HOURS = env_int(
    "SESSION_LIFETIME_HOURS",
    default=12,
    help="Hours after sign-in after which a session ends, however active it was.",
)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# The client address: REMOTE_ADDR, or the address the trusted proxies put in X-Forwarded-For
# (ketentafel.core.client.client_address); used by the login lockout and the audit log.
TRUSTED_PROXY_COUNT = env_int(
    "TRUSTED_PROXY_COUNT",
    default=0,
    help=(
        "Number of reverse proxies in front of the application that append the client address "
        "to X-Forwarded-For (0: use the connection's address and ignore the header)."
    ),
)

# django-axes: lock the combination of account name and client address, never an account
# everywhere nor an address for everyone; the cool-off doubles with each failure past the
# limit up to a ceiling, and every lock expires (ketentafel.accounts.lockout).
AXES_FAILURE_LIMIT = env_int(
    "LOGIN_FAILURE_LIMIT",
    default=5,
    help="Failed logins of one account name from one address after which that pair waits.",
)
LOGIN_LOCKOUT_MINUTES = env_int(
    "LOGIN_LOCKOUT_MINUTES",
    default=15,
    help="Minutes the first lock lasts; each further failure during a lock doubles it.",
)
LOGIN_LOCKOUT_MAX_HOURS = env_int(
    "LOGIN_LOCKOUT_MAX_HOURS",
    default=24,
    help="Hours a lock lasts at most, however many failures follow.",
)
AXES_COOLOFF_TIME = "ketentafel.accounts.lockout.cool_off"
# Each attempt record expires on its own cool-off, so cleaning up after one pair's short
# lock never lifts another pair's longer one.
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ketentafel.core.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "password", "ip_address"]

OTP_TOTP_ISSUER = env_str(
    "OTP_ISSUER",
    default="Ketentafel",
    help="Name shown in the authenticator app next to the account.",
)

OIDC_ENABLED = env_bool(
    "OIDC_ENABLED",
    default=False,
    help="Offer login through an OpenID Connect provider (mozilla-django-oidc).",
)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    from ketentafel.config.settings.oidc import *  # noqa: F403

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["ketentafel.core.api.IsVerified"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["ketentafel.core.api.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "ketentafel.core.api_schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "ketentafel.audit.boundary.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ketentafel API",
    "DESCRIPTION": (
        "The complex-case process of the Zorg- en Veiligheidshuizen: referral, enrichment, "
        "triage, case meeting, action plan and closure. Errors are RFC 9457 problem responses."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "ketentafel.meetings.models.MeetingStatus",
        "ActionStatusEnum": "ketentafel.plans.models.ActionStatus",
        "RequestStatusEnum": "ketentafel.information.models.RequestStatus",
        "AdviceOutcomeEnum": "ketentafel.advice.models.AdviceOutcome",
        "TriageOutcomeEnum": "ketentafel.cases.models.TriageOutcome",
        "DataSubjectRequestKindEnum": "ketentafel.privacy.models.RequestKind",
        "IncidentEntryKindEnum": "ketentafel.incidents.models.IncidentEntryKind",
        "BasicConditionLightEnum": "ketentafel.aftercare.models.Light",
    },
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

REGIONS_DIR = PACKAGE_DIR / "covenants" / "regions"

KETENTAFEL_BASE_URL = env_str(
    "KETENTAFEL_BASE_URL",
    default="http://127.0.0.1:8000",
    help="Address of this deployment, for the links in e-mail notices and calendar invitations.",
)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL",
    default="ketentafel@localhost",
    help="Sender of e-mail notices (they carry a link, never personal data).",
)

LOG_LEVEL = env_str("LOG_LEVEL", default="INFO", help="Lowest level of log lines written.")
LOG_FORMAT = env_str(
    "LOG_FORMAT",
    default="json",
    help="Log line format: json (for log shippers) or console (for people).",
)
LOGGING = logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)

# The audit log (docs/audit.md). Checkpoints are signed with an Ed25519 key of the deployment's
# own; outside production a key derived from SECRET_KEY is used when none is given.
AUDIT_SIGNING_KEY = env_str(
    "AUDIT_SIGNING_KEY",
    default="",
    help=(
        "Ed25519 private key (32 random bytes, base64) that signs audit checkpoints; "
        "`ketentafel audit new-key` makes one. Required in production."
    ),
)
AUDIT_SIGNING_KEY_FROM_SECRET = True
AUDIT_CHECKPOINT_EVERY = env_int(
    "AUDIT_CHECKPOINT_EVERY",
    default=1000,
    help="Sign a checkpoint of the audit chain after this many events (0: only on command).",
)
AUDIT_RETENTION_DAYS = env_int(
    "AUDIT_RETENTION_DAYS",
    default=7 * 366,
    help=(
        "Days audit events are kept before `ketentafel audit prune` may remove them; longer "
        "than any case-data retention of the region (0: keep for ever)."
    ),
)

# Side effects after a commit (e-mail notices) and the daily jobs (purge, overdue notices) run
# as django-tasks tasks in a worker process, `ketentafel worker`, from the database backend:
# the queue is a table in the application's own database (docs/deployment.md#the-worker).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASK_MAX_ATTEMPTS = env_int(
    "TASK_MAX_ATTEMPTS",
    default=8,
    help=(
        "Attempts of a background task (an e-mail notice, the purge) before it is given up and "
        "listed for the functional administrator in /beheer/ as dead."
    ),
)
TASK_RETRY_BASE_SECONDS = env_int(
    "TASK_RETRY_BASE_SECONDS",
    default=30,
    help="Seconds before the first retry of a failed task; each further retry waits twice as long.",
)
TASK_RETRY_MAX_SECONDS = env_int(
    "TASK_RETRY_MAX_SECONDS",
    default=3600,
    help="Longest wait between two attempts of a failed task, in seconds.",
)
# The daily jobs the worker enqueues once per day (ketentafel.config.schedule), at this local hour.
PURGE_HOUR = env_int(
    "PURGE_HOUR", default=2, help="Local hour from which the worker runs the daily purge."
)
OVERDUE_NOTICE_HOUR = env_int(
    "OVERDUE_NOTICE_HOUR",
    default=7,
    help="Local hour from which the worker sends the daily overdue-action notices.",
)
EMAIL_TIMEOUT = env_int(
    "EMAIL_TIMEOUT",
    default=10,
    help="Seconds an SMTP connection or command may take before the attempt fails and is retried.",
)
PRIVACY_REQUEST_RETENTION_DAYS = env_int(
    "PRIVACY_REQUEST_RETENTION_DAYS",
    default=2 * 366,
    help=(
        "Days after a data-subject request was closed until the purge clears who it was "
        "about (0: keep)."
    ),
)
