# SPDX-License-Identifier: EUPL-1.2
"""Production: secret key required, HTTPS only, no debug, no demo shortcuts."""

from django.core.exceptions import ImproperlyConfigured

from ketentafel.config.env import env_bool, env_int, env_required_str, env_str
from ketentafel.config.settings.base import *  # noqa: F403
from ketentafel.config.settings.base import MIDDLEWARE

DEBUG = False
SECRET_KEY = env_required_str(
    "SECRET_KEY", help="Secret for signing sessions and tokens; long, random and unique."
)
if env_bool(
    "KETENTAFEL_DEMO",
    default=False,
    help="Refused in production: the demo shortcut past the second factor.",
):
    raise ImproperlyConfigured("KETENTAFEL_DEMO cannot be switched on in production settings.")
KETENTAFEL_DEMO = False
AUDIT_SIGNING_KEY = env_required_str(
    "AUDIT_SIGNING_KEY",
    help="Ed25519 private key (base64) that signs audit checkpoints; keep it out of the database.",
)
AUDIT_SIGNING_KEY_FROM_SECRET = False

# E-mail notices carry only a link (docs/web.md); they leave through the organisation's relay.
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost", help="SMTP relay for e-mail notices.")
EMAIL_PORT = env_int("EMAIL_PORT", default=25, help="Port of the SMTP relay.")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="", help="SMTP user, if the relay asks one.")
EMAIL_HOST_PASSWORD = env_str(
    "EMAIL_HOST_PASSWORD", default="", help="SMTP password, if the relay asks one."
)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True, help="STARTTLS to the SMTP relay.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool(
    "SECURE_SSL_REDIRECT",
    default=True,
    help="Redirect plain HTTP to HTTPS (switch off only if the proxy does it).",
)
# Load balancers probe the health endpoints over plain HTTP inside the network; they answer no
# data (ketentafel.core.health), so they are not redirected.
SECURE_REDIRECT_EXEMPT = [r"^health(/live|/ready)?$"]
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", default=31_536_000, help="HSTS max-age in seconds."
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix makes the browser refuse these cookies unless they are Secure, have
# path=/ and no Domain, so neither a sibling subdomain nor plain HTTP can set or shadow them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_PATH = "/"
CSRF_COOKIE_PATH = "/"
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Static files are served by the application server itself (no separate web server needed).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
