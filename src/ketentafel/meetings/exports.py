# SPDX-License-Identifier: EUPL-1.2
"""Exports of meetings: agenda and minutes as PDF, a meeting as iCalendar (PRODUCT.md section 7).

Each export reads through a selector that authorises the reader and records the read, and
is marked confidential for that reader."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.core.downloads import ICAL, PDF, attachment, reader_stamp, render_pdf
from ketentafel.meetings import selectors


def meeting_pdf_response(user: User, meeting_id: UUID, *, what: str) -> HttpResponse:
    """The agenda (`what="agenda"`) or minutes (`"minutes"`) of a meeting, with only the
    agenda items of the cases the reader may see."""
    sheet = selectors.meeting_for(user, meeting_id, action=AuditAction.EXPORT, reason=what)
    html = render_to_string(
        "meetings/pdf/meeting.html",
        {"sheet": sheet, "meeting": sheet.meeting, "what": what, **reader_stamp(user)},
    )
    day = timezone.localtime(sheet.meeting.starts_at).date().isoformat()
    name = "agenda" if what == "agenda" else "verslag"
    return attachment(render_pdf(html), PDF, f"{name}-{day}.pdf")


def meeting_ical_response(user: User, meeting_id: UUID) -> HttpResponse:
    """An invitation for a calendar: body, time, place and a link; no case or person, since
    calendars are shared and synchronised far beyond the covenant."""
    sheet = selectors.meeting_for(user, meeting_id, action=AuditAction.EXPORT, reason="ical")
    meeting = sheet.meeting
    calendar = Calendar()
    calendar.add("prodid", "-//Ketentafel//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{meeting.pk}@ketentafel")
    event.add("summary", f"{meeting.body.label} ({meeting.house.name})")
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + datetime.timedelta(hours=2))
    event.add("dtstamp", timezone.now())
    if meeting.location:
        event.add("location", meeting.location)
    link = settings.KETENTAFEL_BASE_URL.rstrip("/") + reverse(
        "meetings:detail", kwargs={"meeting_id": meeting.pk}
    )
    event.add("url", link)
    event.add("description", f"Agenda en stukken: {link}")
    calendar.add_component(event)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return attachment(calendar.to_ical(), ICAL, f"overleg-{day}.ics")
