# SPDX-License-Identifier: EUPL-1.2
"""The privacy officer's screens. Paths carry opaque UUIDs only, never a name or BSN; the
subject's identifying data are sent by POST when a request is registered."""

from django.urls import path

from ketentafel.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/verzoeken/", views.RequestListView.as_view(), name="requests"),
    path("privacy/verzoeken/nieuw/", views.RequestRegisterView.as_view(), name="request-register"),
    path("privacy/verzoeken/<uuid:request_id>/", views.RequestDetailView.as_view(), name="request"),
    path(
        "privacy/verzoeken/<uuid:request_id>/verlengen/",
        views.RequestExtendView.as_view(),
        name="request-extend",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/in-behandeling/",
        views.RequestStartView.as_view(),
        name="request-start",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/afsluiten/",
        views.RequestCloseView.as_view(),
        name="request-close",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/ontvangers/",
        views.RequestNoticeView.as_view(),
        name="request-notice",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/gevonden/",
        views.RequestMatchesView.as_view(),
        name="request-matches",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/inzage/",
        views.RequestExportView.as_view(),
        name="request-export",
    ),
    path(
        "privacy/vernietigingsverklaringen/",
        views.DeletionRecordListView.as_view(),
        name="deletion-records",
    ),
]
