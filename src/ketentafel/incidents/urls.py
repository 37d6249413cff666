# SPDX-License-Identifier: EUPL-1.2
"""The incident screens, under the privacy officer's paths. Paths carry opaque UUIDs only."""

from django.urls import path

from ketentafel.incidents import views

app_name = "incidents"

urlpatterns = [
    path("privacy/incidenten/", views.IncidentListView.as_view(), name="list"),
    path(
        "privacy/incidenten/nieuw/",
        views.IncidentRegisterView.as_view(),
        name="register",
    ),
    path(
        "privacy/incidenten/<uuid:incident_id>/",
        views.IncidentDetailView.as_view(),
        name="detail",
    ),
    path(
        "privacy/incidenten/<uuid:incident_id>/besluit/",
        views.IncidentDecisionView.as_view(),
        name="decide",
    ),
    path(
        "privacy/incidenten/<uuid:incident_id>/melding/",
        views.IncidentNotificationView.as_view(),
        name="notify",
    ),
    path(
        "privacy/incidenten/<uuid:incident_id>/logboek/",
        views.IncidentEntryView.as_view(),
        name="entry",
    ),
    path(
        "privacy/incidenten/<uuid:incident_id>/afsluiten/",
        views.IncidentCloseView.as_view(),
        name="close",
    ),
    path("privacy/rapportage/", views.IncidentReportView.as_view(), name="report"),
]
