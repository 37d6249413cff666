# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel notify_overdue`: tell each party with overdue actions, without personal data.

The worker runs the same job once a day (ketentafel.config.schedule); this command runs it by
hand. Either way each message is a delivery task that the worker sends, with retries."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketentafel.plans.notices import overdue_actions_notify


class Command(BaseCommand):
    help = (
        "E-mail each party with overdue actions a link to its actions (no personal data); "
        "the messages are queued for `ketentafel worker`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        told = overdue_actions_notify()
        self.stdout.write(f"{told} partij(en) geïnformeerd over verlopen acties.")
