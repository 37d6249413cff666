# SPDX-License-Identifier: EUPL-1.2
"""Screens of the case process. Paths carry opaque UUIDs only, never a name or BSN."""

from django.urls import path

from ketentafel.cases import views

app_name = "cases"

urlpatterns = [
    path("casussen/", views.CaseListView.as_view(), name="list"),
    path("aanmelden/", views.ReferralView.as_view(), name="refer"),
    path("casussen/<uuid:case_id>/", views.CaseDetailView.as_view(), name="detail"),
    path(
        "casussen/<uuid:case_id>/elders-bekend/",
        views.AlreadyKnownView.as_view(),
        name="already-known",
    ),
    path("casussen/<uuid:case_id>/intake/", views.IntakeView.as_view(), name="intake"),
    path("casussen/<uuid:case_id>/partijen/", views.InvitationView.as_view(), name="invite"),
    path(
        "casussen/<uuid:case_id>/triage/aanbieden/",
        views.TriageSubmitView.as_view(),
        name="triage-submit",
    ),
    path("casussen/<uuid:case_id>/triage/", views.TriageView.as_view(), name="triage"),
]
