# SPDX-License-Identifier: EUPL-1.2
"""The REST API, version 1. The OpenAPI description is served at /api/v1/schema/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from ketentafel.cases import api as cases
from ketentafel.information import api as information
from ketentafel.information.disclosures import DisclosureReportView
from ketentafel.privacy import api as privacy
from ketentafel.privacy.audit_log import api as audit_log

app_name = "api"

urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("audit/events/", audit_log.EventListView.as_view(), name="audit-events"),
    path(
        "audit/persons/<uuid:person_id>/accesses/",
        audit_log.PersonAccessView.as_view(),
        name="audit-person-accesses",
    ),
    path("privacy/deletions/", privacy.DeletionRecordListView.as_view(), name="privacy-deletions"),
    path("privacy/open-case-flags/", privacy.OpenCaseFlagsView.as_view(), name="privacy-flags"),
    path("privacy/requests/", privacy.RequestListView.as_view(), name="privacy-requests"),
    path(
        "privacy/requests/<uuid:request_id>/",
        privacy.RequestDetailView.as_view(),
        name="privacy-request",
    ),
    path(
        "privacy/requests/<uuid:request_id>/extend/",
        privacy.RequestExtendView.as_view(),
        name="privacy-request-extend",
    ),
    path(
        "privacy/requests/<uuid:request_id>/status/",
        privacy.RequestStatusView.as_view(),
        name="privacy-request-status",
    ),
    path(
        "privacy/requests/<uuid:request_id>/notices/",
        privacy.RequestNoticeView.as_view(),
        name="privacy-request-notices",
    ),
    path(
        "privacy/requests/<uuid:request_id>/matches/",
        privacy.RequestMatchesView.as_view(),
        name="privacy-request-matches",
    ),
    path(
        "privacy/requests/<uuid:request_id>/export/",
        privacy.RequestExportView.as_view(),
        name="privacy-request-export",
    ),
    path("privacy/disclosures/", DisclosureReportView.as_view(), name="privacy-disclosures"),
    path("privacy/incidents/", privacy.IncidentListView.as_view(), name="privacy-incidents"),
    path(
        "privacy/incidents/report/",
        privacy.IncidentReportView.as_view(),
        name="privacy-incident-report",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/",
        privacy.IncidentDetailView.as_view(),
        name="privacy-incident",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/decision/",
        privacy.IncidentDecisionView.as_view(),
        name="privacy-incident-decision",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/notifications/",
        privacy.IncidentNotificationView.as_view(),
        name="privacy-incident-notifications",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/entries/",
        privacy.IncidentEntryView.as_view(),
        name="privacy-incident-entries",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/close/",
        privacy.IncidentCloseView.as_view(),
        name="privacy-incident-close",
    ),
    path("advice-requests/", cases.AdviceListView.as_view(), name="advice-list"),
    path(
        "advice-requests/<uuid:advice_id>/conclude/",
        cases.AdviceConcludeView.as_view(),
        name="advice-conclude",
    ),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/intake/", cases.IntakeView.as_view(), name="case-intake"),
    path(
        "cases/<uuid:case_id>/already-known/",
        cases.AlreadyKnownView.as_view(),
        name="case-already-known",
    ),
    path("cases/<uuid:case_id>/parties/", cases.CasePartyView.as_view(), name="case-parties"),
    path(
        "cases/<uuid:case_id>/triage/submit/",
        cases.TriageSubmitView.as_view(),
        name="case-triage-submit",
    ),
    path(
        "cases/<uuid:case_id>/triage/decision/",
        cases.TriageDecisionView.as_view(),
        name="case-triage-decision",
    ),
    path(
        "cases/<uuid:case_id>/information-requests/",
        information.CaseRequestsView.as_view(),
        name="case-requests",
    ),
    path("cases/<uuid:case_id>/items/", information.DossierView.as_view(), name="case-items"),
    path("cases/<uuid:case_id>/action-plan/", cases.ActionPlanView.as_view(), name="case-plan"),
    path(
        "cases/<uuid:case_id>/action-plan/versions/",
        cases.ActionPlanVersionsView.as_view(),
        name="case-plan-versions",
    ),
    path(
        "cases/<uuid:case_id>/action-plan/actions/",
        cases.ActionListView.as_view(),
        name="case-actions",
    ),
    path("cases/<uuid:case_id>/closure/", cases.ClosureView.as_view(), name="case-closure"),
    path("actions/overdue/", cases.OverdueActionsView.as_view(), name="actions-overdue"),
    path("actions/<uuid:action_id>/", cases.ActionDetailView.as_view(), name="action-detail"),
    path("information-requests/", information.MyRequestsView.as_view(), name="my-requests"),
    path(
        "information-requests/<uuid:request_id>/decline/",
        information.RequestDeclineView.as_view(),
        name="request-decline",
    ),
    path("items/<uuid:item_id>/", information.ItemView.as_view(), name="item-detail"),
    path(
        "items/<uuid:item_id>/sharing/", information.ItemSharingView.as_view(), name="item-sharing"
    ),
    path(
        "items/<uuid:item_id>/consents/",
        information.ItemConsentView.as_view(),
        name="item-consents",
    ),
    path("disclosures/", information.DisclosureView.as_view(), name="disclosures"),
    path("meetings/", cases.MeetingListView.as_view(), name="meeting-list"),
    path(
        "meetings/<uuid:meeting_id>/agenda-items/",
        cases.AgendaItemListView.as_view(),
        name="meeting-agenda",
    ),
    path("meetings/<uuid:meeting_id>/hold/", cases.MeetingHoldView.as_view(), name="meeting-hold"),
    path(
        "agenda-items/<uuid:agenda_item_id>/",
        cases.AgendaItemDetailView.as_view(),
        name="agenda-item-detail",
    ),
    path(
        "agenda-items/<uuid:agenda_item_id>/record/",
        cases.AgendaItemRecordView.as_view(),
        name="agenda-item-record",
    ),
]
