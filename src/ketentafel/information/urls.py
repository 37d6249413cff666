# SPDX-License-Identifier: EUPL-1.2
"""Screens for information: requests, answers, the dossier and sharing. UUIDs only in paths."""

from django.urls import path

from ketentafel.information import views

app_name = "information"

urlpatterns = [
    path("informatieverzoeken/", views.RequestListView.as_view(), name="requests"),
    path(
        "informatieverzoeken/<uuid:request_id>/",
        views.RequestAnswerView.as_view(),
        name="request",
    ),
    path(
        "informatieverzoeken/<uuid:request_id>/geen-informatie/",
        views.RequestDeclineView.as_view(),
        name="request-decline",
    ),
    path(
        "casussen/<uuid:case_id>/informatieverzoeken/",
        views.CaseRequestsView.as_view(),
        name="case-requests",
    ),
    path("casussen/<uuid:case_id>/dossier/", views.DossierView.as_view(), name="dossier"),
    path("items/<uuid:item_id>/delen/", views.ItemSharingView.as_view(), name="item-sharing"),
    path(
        "items/<uuid:item_id>/beoordelen/",
        views.PreMeetingAssessmentView.as_view(),
        name="item-assessment",
    ),
    path("eigen-informatie/", views.OwnItemsView.as_view(), name="own-items"),
    # With the privacy screens; here because the consents and their report are this app's.
    path(
        "privacy/verstrekkingen/",
        views.DisclosureReportPageView.as_view(),
        name="disclosure-report",
    ),
]
