# SPDX-License-Identifier: EUPL-1.2
"""Screens of nazorg ex-gedetineerden. Paths carry opaque UUIDs only."""

from django.urls import path

from ketentafel.aftercare import views

app_name = "aftercare"

urlpatterns = [
    path("nazorg/detentiemelding/", views.NotificationView.as_view(), name="notify"),
    path(
        "casussen/<uuid:case_id>/basisvoorwaarden/",
        views.BasicConditionView.as_view(),
        name="basic-condition",
    ),
]
