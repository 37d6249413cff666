# SPDX-License-Identifier: EUPL-1.2
"""The notices and the daily overdue job as tasks for `ketentafel worker` (ketentafel.core.tasks).

Arguments are ids, a link path and the fixed texts of a notice (which carry no personal data,
cases.notices); the worker looks up recipients and addresses when it runs.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from ketentafel.accounts.models import User
from ketentafel.cases import notices
from ketentafel.core.tasks import retry_on_failure


@task()
def notify_case_party(
    *,
    house_id: int,
    party_id: int,
    case_id: str,
    subject: str,
    path: str,
    lead: str,
    attempt: int = 1,
    chain: str = "",
) -> int:
    """Fan a notice out: one delivery task per person of the party in the house who may see
    the case now; returns how many."""
    kwargs = {
        "house_id": house_id,
        "party_id": party_id,
        "case_id": case_id,
        "subject": subject,
        "path": path,
        "lead": lead,
    }
    with retry_on_failure(notify_case_party, kwargs=kwargs, attempt=attempt, chain=chain):
        user_ids = notices.recipient_ids(house_id=house_id, party_id=party_id, case_id=case_id)
        # All deliveries or none: a fan-out that fails half-way and is retried sends nobody twice.
        with transaction.atomic():
            for user_id in user_ids:
                deliver_notice.enqueue(
                    user_id=user_id, subject=subject, path=path, lead=lead, case_id=case_id
                )
    return len(user_ids)


@task()
def deliver_notice(
    *,
    user_id: int,
    subject: str,
    path: str,
    lead: str,
    case_id: str = "",
    attempt: int = 1,
    chain: str = "",
) -> bool:
    """Send one notice to one person, if that person may still be told; True when sent."""
    kwargs = {"user_id": user_id, "subject": subject, "path": path, "lead": lead}
    if case_id:
        kwargs["case_id"] = case_id
    with retry_on_failure(deliver_notice, kwargs=kwargs, attempt=attempt, chain=chain):
        user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
        if user is None or (case_id and not notices.may_be_told(user, case_id=case_id)):
            return False
        notices.send_notice(to=user.email, subject=subject, path=path, lead=lead)
    return True
