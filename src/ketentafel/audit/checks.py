# SPDX-License-Identifier: EUPL-1.2
"""System checks: a deployment cannot start with a signing key that would fail at the first
checkpoint, or keep its audit log shorter than a year."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from ketentafel.audit.chain import public_key_b64


@register("audit")
def audit_settings_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    try:
        public_key_b64()
    except ImproperlyConfigured as exc:
        messages.append(
            Error(str(exc), hint="`ketentafel audit new-key` makes one.", id="audit.E001")
        )
    if 0 < settings.AUDIT_RETENTION_DAYS < 366:
        messages.append(
            Warning(
                f"AUDIT_RETENTION_DAYS={settings.AUDIT_RETENTION_DAYS} keeps the audit log "
                "shorter than a year, shorter than any case data it describes.",
                id="audit.W001",
            )
        )
    return messages
