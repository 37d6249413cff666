# SPDX-License-Identifier: EUPL-1.2
"""The overdue-actions notice: that actions of a party wait, with a link, never personal data."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ketentafel.cases.models import Case, Phase
from ketentafel.cases.notices import _candidates
from ketentafel.cases.policies import case_access_q
from ketentafel.plans.models import Action, ActionStatus


def overdue_actions_notify(*, today: datetime.date | None = None) -> int:
    """One notice per person of a party and house with open actions past their date in cases
    that person may see, counting those actions; returns how many (party, house) pairs were
    told. The daily job of the worker (`cases.tasks.notify_overdue`, ketentafel.config.schedule)
    or `ketentafel notify_overdue`; each message is a delivery task enqueued on commit."""
    from ketentafel.cases.tasks import deliver_notice

    today = today or timezone.localdate()
    overdue = Action.objects.filter(
        status=ActionStatus.OPEN, due_on__lt=today, plan__case__phase=Phase.ACTIVE
    )
    groups = (
        overdue.values_list("owner_party_id", "plan__case__house_id")
        .distinct()
        .order_by("owner_party_id", "plan__case__house_id")
    )
    path = reverse("plans:actions")
    told = 0
    with transaction.atomic():
        for party_id, house_id in groups:
            of_group = overdue.filter(owner_party_id=party_id, plan__case__house_id=house_id)
            counted: list[tuple[int, int]] = []
            for user in _candidates(house_id=house_id, party_id=party_id):
                seen = of_group.filter(plan__case__in=Case.objects.filter(case_access_q(user)))
                if n := seen.count():
                    counted.append((user.pk, n))
            if counted:
                told += 1
            for user_id, n in counted:
                lead = f"Uw organisatie heeft {n} verlopen actie(s) in een plan van aanpak."
                transaction.on_commit(
                    partial(
                        deliver_notice.enqueue,
                        user_id=user_id,
                        subject="Verlopen acties in Ketentafel",
                        path=path,
                        lead=lead,
                    )
                )
    return told
