# SPDX-License-Identifier: EUPL-1.2
"""E-mail notices: that something waits in Ketentafel, with a link, never personal data.

E-mail leaves the covenant's systems and is kept in mailboxes no retention rule reaches, so a
notice names no person, case content or party question: the subject says what kind of thing
waits, the body only where to look after logging in (PRODUCT.md section 7). Messages go out
after the transaction commits (`transaction.on_commit`), so a refused change sends nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ketentafel.accounts.models import User, in_force_q
from ketentafel.accounts.policies import CURRENT_MEMBERSHIP_STATUS
from ketentafel.cases.models import Action, ActionStatus, Meeting, Phase


def _recipients(*, house_id: int, party_id: int) -> list[str]:
    """Work addresses of the party's people with a role in the house."""
    return sorted(
        set(
            User.objects.filter(
                in_force_q("house_roles__"),
                party_id=party_id,
                is_active=True,
                house_roles__house_id=house_id,
                party__memberships__covenant__houses=house_id,
                party__memberships__status=CURRENT_MEMBERSHIP_STATUS,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def _send(recipients: list[str], subject: str, path: str, lead: str) -> None:
    link = settings.KETENTAFEL_BASE_URL.rstrip("/") + path
    body = render_to_string("cases/email/notice.txt", {"lead": lead, "link": link})
    # One message per person: colleagues at other parties do not see each other's addresses.
    messages = [EmailMessage(subject, body, None, [to]) for to in recipients]
    if messages:
        get_connection().send_messages(messages)


def notice_on_commit(*, house_id: int, party_id: int, subject: str, path: str, lead: str) -> None:
    """Queue a notice to a party's people in a house, sent once the transaction commits."""
    recipients = _recipients(house_id=house_id, party_id=party_id)
    if recipients:
        transaction.on_commit(lambda: _send(recipients, subject, path, lead))


def meeting_invitation_notify(*, meeting: Meeting, party_ids: list[int]) -> None:
    """Invite the parties of a case put on a meeting's agenda."""
    when = timezone.localtime(meeting.starts_at)
    subject = f"Uitnodiging {meeting.body.label} {when:%d-%m-%Y %H:%M}"
    path = reverse("cases:meeting", kwargs={"meeting_id": meeting.pk})
    for party_id in party_ids:
        notice_on_commit(
            house_id=meeting.house_id,
            party_id=party_id,
            subject=subject,
            path=path,
            lead="Uw organisatie is uitgenodigd voor een overleg in het Zorg- en Veiligheidshuis.",
        )


def overdue_actions_notify(*, today: datetime.date | None = None) -> int:
    """One notice per party and house with open actions past their date; returns how many
    parties were told. Meant for a daily run (`ketentafel notify_overdue`)."""
    today = today or timezone.localdate()
    rows = (
        Action.objects.filter(
            status=ActionStatus.OPEN, due_on__lt=today, plan__case__phase=Phase.ACTIVE
        )
        .values("owner_party_id", "plan__case__house_id")
        .annotate(n=Count("id"))
        .order_by("owner_party_id", "plan__case__house_id")
    )
    told = 0
    with transaction.atomic():
        for row in rows:
            recipients = _recipients(
                house_id=row["plan__case__house_id"], party_id=row["owner_party_id"]
            )
            if not recipients:
                continue
            told += 1
            notice_on_commit(
                house_id=row["plan__case__house_id"],
                party_id=row["owner_party_id"],
                subject="Verlopen acties in Ketentafel",
                path=reverse("cases:actions"),
                lead=f"Uw organisatie heeft {row['n']} verlopen actie(s) in een plan van aanpak.",
            )
    return told
