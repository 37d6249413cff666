# SPDX-License-Identifier: EUPL-1.2
"""Screens of action plans and actions. Paths carry opaque UUIDs only."""

from django.urls import path

from ketentafel.plans import views

app_name = "plans"

urlpatterns = [
    path("casussen/<uuid:case_id>/plan/", views.ActionPlanView.as_view(), name="plan"),
    path(
        "casussen/<uuid:case_id>/plan/acties/",
        views.ActionAddView.as_view(),
        name="action-add",
    ),
    path(
        "casussen/<uuid:case_id>/plan/pdf/",
        views.ActionPlanExportView.as_view(),
        name="plan-pdf",
    ),
    path("acties/", views.MyActionsView.as_view(), name="actions"),
    path(
        "acties/<uuid:action_id>/status/",
        views.ActionStatusView.as_view(),
        name="action-status",
    ),
    path(
        "acties/<uuid:action_id>/wijzigen/",
        views.ActionChangeView.as_view(),
        name="action-change",
    ),
]
