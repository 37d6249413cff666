# SPDX-License-Identifier: EUPL-1.2
"""The REST API, version 1. The OpenAPI description is served at /api/v1/schema/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from ketentafel.advice import api as advice_api
from ketentafel.aftercare import api as aftercare_api
from ketentafel.cases import api as case_api
from ketentafel.incidents import api as incidents
from ketentafel.information import api as information
from ketentafel.information.disclosures import DisclosureReportView
from ketentafel.meetings import api as meeting_api
from ketentafel.plans import api as plan_api
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
    path("privacy/incidents/", incidents.IncidentListView.as_view(), name="privacy-incidents"),
    path(
        "privacy/incidents/report/",
        incidents.IncidentReportView.as_view(),
        name="privacy-incident-report",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/",
        incidents.IncidentDetailView.as_view(),
        name="privacy-incident",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/decision/",
        incidents.IncidentDecisionView.as_view(),
        name="privacy-incident-decision",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/notifications/",
        incidents.IncidentNotificationView.as_view(),
        name="privacy-incident-notifications",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/entries/",
        incidents.IncidentEntryView.as_view(),
        name="privacy-incident-entries",
    ),
    path(
        "privacy/incidents/<uuid:incident_id>/close/",
        incidents.IncidentCloseView.as_view(),
        name="privacy-incident-close",
    ),
    path("advice-requests/", advice_api.AdviceListView.as_view(), name="advice-list"),
    path(
        "advice-requests/<uuid:advice_id>/conclude/",
        advice_api.AdviceConcludeView.as_view(),
        name="advice-conclude",
    ),
    path("cases/", case_api.CaseListView.as_view(), name="case-list"),
    path("cases/<uuid:case_id>/", case_api.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<uuid:case_id>/intake/", case_api.IntakeView.as_view(), name="case-intake"),
    path(
        "cases/<uuid:case_id>/already-known/",
        case_api.AlreadyKnownView.as_view(),
        name="case-already-known",
    ),
    path("cases/<uuid:case_id>/parties/", case_api.CasePartyView.as_view(), name="case-parties"),
    path(
        "cases/<uuid:case_id>/triage/submit/",
        case_api.TriageSubmitView.as_view(),
        name="case-triage-submit",
    ),
    path(
        "cases/<uuid:case_id>/triage/decision/",
        case_api.TriageDecisionView.as_view(),
        name="case-triage-decision",
    ),
    path(
        "cases/<uuid:case_id>/information-requests/",
        information.CaseRequestsView.as_view(),
        name="case-requests",
    ),
    path("cases/<uuid:case_id>/items/", information.DossierView.as_view(), name="case-items"),
    path("cases/<uuid:case_id>/action-plan/", plan_api.ActionPlanView.as_view(), name="case-plan"),
    path(
        "cases/<uuid:case_id>/action-plan/versions/",
        plan_api.ActionPlanVersionsView.as_view(),
        name="case-plan-versions",
    ),
    path(
        "cases/<uuid:case_id>/action-plan/actions/",
        plan_api.ActionListView.as_view(),
        name="case-actions",
    ),
    path("cases/<uuid:case_id>/closure/", meeting_api.ClosureView.as_view(), name="case-closure"),
    path(
        "cases/<uuid:case_id>/basic-conditions/",
        aftercare_api.BasicConditionsView.as_view(),
        name="case-basic-conditions",
    ),
    path(
        "detention-notifications/",
        aftercare_api.DetentionNotificationView.as_view(),
        name="detention-notifications",
    ),
    path("actions/overdue/", plan_api.OverdueActionsView.as_view(), name="actions-overdue"),
    path("actions/<uuid:action_id>/", plan_api.ActionDetailView.as_view(), name="action-detail"),
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
        "items/<uuid:item_id>/pre-meeting-assessment/",
        information.PreMeetingAssessmentView.as_view(),
        name="item-pre-meeting-assessment",
    ),
    path(
        "items/<uuid:item_id>/consents/",
        information.ItemConsentView.as_view(),
        name="item-consents",
    ),
    path("disclosures/", information.DisclosureView.as_view(), name="disclosures"),
    path("meetings/", meeting_api.MeetingListView.as_view(), name="meeting-list"),
    path(
        "meetings/<uuid:meeting_id>/agenda-items/",
        meeting_api.AgendaItemListView.as_view(),
        name="meeting-agenda",
    ),
    path(
        "meetings/<uuid:meeting_id>/hold/",
        meeting_api.MeetingHoldView.as_view(),
        name="meeting-hold",
    ),
    path(
        "agenda-items/<uuid:agenda_item_id>/",
        meeting_api.AgendaItemDetailView.as_view(),
        name="agenda-item-detail",
    ),
    path(
        "agenda-items/<uuid:agenda_item_id>/record/",
        meeting_api.AgendaItemRecordView.as_view(),
        name="agenda-item-record",
    ),
    path(
        "agenda-items/<uuid:agenda_item_id>/decide/",
        meeting_api.AgendaItemDecideView.as_view(),
        name="agenda-item-decide",
    ),
]
