# SPDX-License-Identifier: EUPL-1.2
"""E-mail notices: that something waits in Ketentafel, with a link, never personal data.

E-mail leaves the covenant's systems and is kept in mailboxes no retention rule reaches, so a
notice names no person, case content or party question: the subject says what kind of thing
waits, the body only where to look after logging in (PRODUCT.md section 7). Messages go out
after the transaction commits (`transaction.on_commit`), so a refused change sends nothing.
"""

from __future__ import annotations

import datetime
from functools import partial
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ketentafel.accounts.models import User, in_force_q
from ketentafel.accounts.policies import CURRENT_MEMBERSHIP_STATUS
from ketentafel.cases.models import Action, ActionStatus, Case, Meeting, Phase
from ketentafel.cases.policies import case_access_q


def _candidates(*, house_id: int, party_id: int) -> list[User]:
    """The party's active people with a work address and a role in the house."""
    return list(
        User.objects.filter(
            in_force_q("house_roles__"),
            party_id=party_id,
            is_active=True,
            house_roles__house_id=house_id,
            party__memberships__covenant__houses=house_id,
            party__memberships__status=CURRENT_MEMBERSHIP_STATUS,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def _recipients(*, house_id: int, party_id: int, case_id: UUID) -> list[str]:
    """Work addresses of the party's people in the house who may see the case: a notice
    follows the one access rule (`case_access_q`), so nobody is told of a case they cannot
    open (a role removed, expired or without case work, a deactivated account)."""
    return sorted(
        {
            user.email
            for user in _candidates(house_id=house_id, party_id=party_id)
            if Case.objects.filter(case_access_q(user), pk=case_id).exists()
        }
    )


def _send(recipients: list[str], subject: str, path: str, lead: str) -> None:
    link = settings.KETENTAFEL_BASE_URL.rstrip("/") + path
    body = render_to_string("cases/email/notice.txt", {"lead": lead, "link": link})
    # One message per person: colleagues at other parties do not see each other's addresses.
    messages = [EmailMessage(subject, body, None, [to]) for to in recipients]
    if messages:
        get_connection().send_messages(messages)


def notice_on_commit(
    *, house_id: int, party_id: int, case_id: UUID, subject: str, path: str, lead: str
) -> None:
    """Queue a notice about a case to a party's people in a house who may see it, sent once
    the transaction commits."""
    recipients = _recipients(house_id=house_id, party_id=party_id, case_id=case_id)
    if recipients:
        transaction.on_commit(lambda: _send(recipients, subject, path, lead))


def meeting_invitation_notify(*, meeting: Meeting, case_id: UUID, party_ids: list[int]) -> None:
    """Invite the parties of a case put on a meeting's agenda."""
    when = timezone.localtime(meeting.starts_at)
    subject = f"Uitnodiging {meeting.body.label} {when:%d-%m-%Y %H:%M}"
    path = reverse("cases:meeting", kwargs={"meeting_id": meeting.pk})
    for party_id in party_ids:
        notice_on_commit(
            house_id=meeting.house_id,
            party_id=party_id,
            case_id=case_id,
            subject=subject,
            path=path,
            lead="Uw organisatie is uitgenodigd voor een overleg in het Zorg- en Veiligheidshuis.",
        )


def overdue_actions_notify(*, today: datetime.date | None = None) -> int:
    """One notice per person of a party and house with open actions past their date in cases
    that person may see, counting those actions; returns how many (party, house) pairs were
    told. Meant for a daily run (`ketentafel notify_overdue`)."""
    today = today or timezone.localdate()
    overdue = Action.objects.filter(
        status=ActionStatus.OPEN, due_on__lt=today, plan__case__phase=Phase.ACTIVE
    )
    groups = (
        overdue.values_list("owner_party_id", "plan__case__house_id")
        .distinct()
        .order_by("owner_party_id", "plan__case__house_id")
    )
    path = reverse("cases:actions")
    told = 0
    with transaction.atomic():
        for party_id, house_id in groups:
            of_group = overdue.filter(owner_party_id=party_id, plan__case__house_id=house_id)
            counted: list[tuple[str, int]] = []
            for user in _candidates(house_id=house_id, party_id=party_id):
                seen = of_group.filter(plan__case__in=Case.objects.filter(case_access_q(user)))
                if n := seen.count():
                    counted.append((user.email, n))
            if counted:
                told += 1
            for email, n in counted:
                lead = f"Uw organisatie heeft {n} verlopen actie(s) in een plan van aanpak."
                transaction.on_commit(
                    partial(_send, [email], "Verlopen acties in Ketentafel", path, lead)
                )
    return told
