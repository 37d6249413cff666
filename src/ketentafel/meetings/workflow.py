# SPDX-License-Identifier: EUPL-1.2
"""The steps of a meeting, declared with `core.workflow` (ADR 0015).

    planned ──add_agenda_item──► planned
       │  └───record (minutes, decisions)──► planned
       └─hold (on the day itself or later)──► held ──record──► held

A planned meeting gets agenda items; what was said and decided is recorded before and after it
is held, never on a cancelled one; a meeting counts as held from its day on (Bijlage 3).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketentafel.core.workflow import Guard, Machine, Step
from ketentafel.meetings.models import Meeting, MeetingStatus


def _its_day_has_come(meeting: Meeting) -> bool:
    return timezone.localdate(meeting.starts_at) <= timezone.localdate()


MEETING = Machine[Meeting](
    states=MeetingStatus,
    noun=_("status"),
    field="status",
    steps=[
        Step(
            "add_agenda_item",
            _("Agenderen"),
            (MeetingStatus.PLANNED,),
            reason=_("Alleen een gepland overleg krijgt agendapunten."),
        ),
        Step(
            "record",
            _("Verslag vastleggen"),
            (MeetingStatus.PLANNED, MeetingStatus.HELD),
            reason=_("Dit overleg is geannuleerd."),
        ),
        Step(
            "hold",
            _("Als gehouden markeren"),
            (MeetingStatus.PLANNED,),
            MeetingStatus.HELD,
            reason=_("Dit overleg is al gehouden of geannuleerd."),
            guards=(
                Guard(
                    _its_day_has_come,
                    _("Een overleg kan pas op de dag zelf als gehouden gelden."),
                ),
            ),
        ),
    ],
)
