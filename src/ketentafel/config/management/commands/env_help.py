# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel env-help`: every environment variable of the loaded settings, with help text."""

from typing import Any

from django.core.management.base import BaseCommand

from ketentafel.config.env import CATALOGUE


class Command(BaseCommand):
    help = "List the environment variables that configure Ketentafel."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        for var in sorted(CATALOGUE.values(), key=lambda v: v.name):
            default = "required" if var.required else f"default {var.default!r}"
            self.stdout.write(f"{var.name} ({var.kind}, {default})\n    {var.help}")
