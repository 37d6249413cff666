# SPDX-License-Identifier: EUPL-1.2
"""structlog configuration: JSON lines for machines, readable lines for people.

Log lines carry ids, never personal data: the `redact_personal_data` processor replaces the
values of keys that could hold it, in case a caller forgets.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import structlog

PERSONAL_KEYS = frozenset(
    {
        "username",
        "email",
        "name",
        "first_name",
        "last_name",
        "bsn",
        "birth_date",
        "date_of_birth",
        "address",
        "password",
        "text",
        "credentials",
    }
)


def redact_personal_data(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in PERSONAL_KEYS.intersection(event_dict):
        event_dict[key] = "[redacted]"
    return event_dict


SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    redact_personal_data,
]


def logging_config(*, level: str, fmt: str) -> dict[str, Any]:
    structlog.configure(
        processors=[
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.JSONRenderer(),
                ],
                "foreign_pre_chain": SHARED_PROCESSORS,
            },
            "console": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.dev.ConsoleRenderer(colors=False),
                ],
                "foreign_pre_chain": SHARED_PROCESSORS,
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": fmt},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # axes logs the attempted account name at INFO; keep only its warnings.
            "axes": {"level": "WARNING"},
            "django.db.backends": {"level": "INFO"},
        },
    }
