# SPDX-License-Identifier: EUPL-1.2
"""Screens of advice questions. Paths carry opaque UUIDs only."""

from django.urls import path

from ketentafel.advice import views

app_name = "advice"

urlpatterns = [
    path("adviesvragen/", views.AdviceListView.as_view(), name="list"),
    path("adviesvragen/<uuid:advice_id>/", views.AdviceDetailView.as_view(), name="detail"),
    path(
        "adviesvragen/<uuid:advice_id>/afhandelen/",
        views.AdviceConcludeView.as_view(),
        name="conclude",
    ),
]
