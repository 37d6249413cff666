# SPDX-License-Identifier: EUPL-1.2
"""The meeting invitation notice: that a case waits on an agenda, with a link, never personal
data (cases.notices)."""

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
