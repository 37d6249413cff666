# SPDX-License-Identifier: EUPL-1.2
"""E-mail notices: that something waits in Ketentafel, with a link, never personal data.

E-mail leaves the covenant's systems and is kept in mailboxes no retention rule reaches, so a
notice names no person, case content or party question: the subject says what kind of thing
waits, the body only where to look after logging in (PRODUCT.md section 7).

A notice never goes out inside the request: once the transaction commits
(`transaction.on_commit`) a task is enqueued with ids and fixed strings only
(`cases.tasks.notify_case_party`), so a refused change sends nothing and a relay that is down
does not fail the request. The worker works out the recipients from the one access rule when
it runs, and sends one message per person in a task of its own (`cases.tasks.deliver_notice`),
retried with back-off (ketentafel.core.tasks); each delivery checks the rule again, so a role
ended while a notice waited for the relay sends nothing to that person.
"""

from __future__ import annotations

from uuid import UUID

from django.urls import reverse
from django.utils import timezone

from ketentafel.cases.notices import notice_on_commit
from ketentafel.meetings.models import Meeting


def meeting_invitation_notify(*, meeting: Meeting, case_id: UUID, party_ids: list[int]) -> None:
    """Invite the parties of a case put on a meeting's agenda."""
    when = timezone.localtime(meeting.starts_at)
    subject = f"Uitnodiging {meeting.body.label} {when:%d-%m-%Y %H:%M}"
    path = reverse("meetings:detail", kwargs={"meeting_id": meeting.pk})
    for party_id in party_ids:
        notice_on_commit(
            house_id=meeting.house_id,
            party_id=party_id,
            case_id=case_id,
            subject=subject,
            path=path,
            lead="Uw organisatie is uitgenodigd voor een overleg in het Zorg- en Veiligheidshuis.",
        )
