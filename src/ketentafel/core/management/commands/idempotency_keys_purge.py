# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel idempotency_keys_purge`: remove idempotency keys and form tokens older than a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketentafel.core.idempotency import idempotency_keys_purge


class Command(BaseCommand):
    help = "Remove API idempotency keys and screen form tokens older than 24 hours."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = idempotency_keys_purge()
        self.stdout.write(f"{removed} idempotency keys and form tokens removed.")
