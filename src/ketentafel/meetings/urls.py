# SPDX-License-Identifier: EUPL-1.2
"""Screens of meetings and their agenda items. Paths carry opaque UUIDs only."""

from django.urls import path

from ketentafel.meetings import views

app_name = "meetings"

urlpatterns = [
    path("casussen/<uuid:case_id>/afschalen/", views.ClosureView.as_view(), name="case-close"),
    path(
        "casussen/<uuid:case_id>/agenderen/",
        views.CaseAgendaView.as_view(),
        name="case-agenda-add",
    ),
    path("overleggen/", views.MeetingListView.as_view(), name="list"),
    path("overleggen/<uuid:meeting_id>/", views.MeetingDetailView.as_view(), name="detail"),
    path(
        "overleggen/<uuid:meeting_id>/zoeken/",
        views.AgendaSearchView.as_view(),
        name="agenda-search",
    ),
    path(
        "overleggen/<uuid:meeting_id>/gehouden/",
        views.MeetingHoldView.as_view(),
        name="hold",
    ),
    path(
        "overleggen/<uuid:meeting_id>/agenda.pdf",
        views.MeetingExportView.as_view(what="agenda"),
        name="agenda-pdf",
    ),
    path(
        "overleggen/<uuid:meeting_id>/verslag.pdf",
        views.MeetingExportView.as_view(what="minutes"),
        name="minutes-pdf",
    ),
    path(
        "overleggen/<uuid:meeting_id>/uitnodiging.ics",
        views.MeetingCalendarView.as_view(),
        name="ical",
    ),
    path(
        "agendapunten/<uuid:agenda_item_id>/",
        views.AgendaItemView.as_view(),
        name="agenda-item",
    ),
    path(
        "agendapunten/<uuid:agenda_item_id>/besluit/",
        views.AgendaItemDecideView.as_view(),
        name="agenda-item-decide",
    ),
]
