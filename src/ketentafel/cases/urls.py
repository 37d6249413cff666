# SPDX-License-Identifier: EUPL-1.2
"""Screens of the case process. Paths carry opaque UUIDs only, never a name or BSN."""

from django.urls import path

from ketentafel.cases import views

app_name = "cases"

urlpatterns = [
    path("werkvoorraad/", views.WorkQueueView.as_view(), name="work-queue"),
    path("casussen/", views.CaseListView.as_view(), name="list"),
    path("aanmelden/", views.ReferralView.as_view(), name="refer"),
    path("adviesvragen/", views.AdviceListView.as_view(), name="advice-list"),
    path("adviesvragen/<uuid:advice_id>/", views.AdviceDetailView.as_view(), name="advice"),
    path(
        "adviesvragen/<uuid:advice_id>/afhandelen/",
        views.AdviceConcludeView.as_view(),
        name="advice-conclude",
    ),
    path("casussen/<uuid:case_id>/", views.CaseDetailView.as_view(), name="detail"),
    path(
        "casussen/<uuid:case_id>/elders-bekend/",
        views.AlreadyKnownView.as_view(),
        name="already-known",
    ),
    path("casussen/<uuid:case_id>/intake/", views.IntakeView.as_view(), name="intake"),
    path("casussen/<uuid:case_id>/partijen/", views.InvitationView.as_view(), name="invite"),
    path("casussen/<uuid:case_id>/agenderen/", views.CaseAgendaView.as_view(), name="agenda-add"),
    path(
        "casussen/<uuid:case_id>/triage/aanbieden/",
        views.TriageSubmitView.as_view(),
        name="triage-submit",
    ),
    path("casussen/<uuid:case_id>/triage/", views.TriageView.as_view(), name="triage"),
    path("casussen/<uuid:case_id>/plan/", views.ActionPlanView.as_view(), name="plan"),
    path("casussen/<uuid:case_id>/plan/acties/", views.ActionAddView.as_view(), name="action-add"),
    path(
        "casussen/<uuid:case_id>/plan/pdf/", views.ActionPlanExportView.as_view(), name="plan-pdf"
    ),
    path("casussen/<uuid:case_id>/afschalen/", views.ClosureView.as_view(), name="close"),
    path("acties/", views.MyActionsView.as_view(), name="actions"),
    path("acties/<uuid:action_id>/status/", views.ActionStatusView.as_view(), name="action-status"),
    path(
        "acties/<uuid:action_id>/wijzigen/", views.ActionChangeView.as_view(), name="action-change"
    ),
    path("overleggen/", views.MeetingListView.as_view(), name="meetings"),
    path("overleggen/<uuid:meeting_id>/", views.MeetingDetailView.as_view(), name="meeting"),
    path(
        "overleggen/<uuid:meeting_id>/zoeken/",
        views.AgendaSearchView.as_view(),
        name="agenda-search",
    ),
    path(
        "overleggen/<uuid:meeting_id>/gehouden/",
        views.MeetingHoldView.as_view(),
        name="meeting-hold",
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
        name="meeting-ical",
    ),
    path("agendapunten/<uuid:agenda_item_id>/", views.AgendaItemView.as_view(), name="agenda-item"),
    path("overzicht/", views.OverviewView.as_view(), name="overview"),
]
