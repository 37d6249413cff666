# SPDX-License-Identifier: EUPL-1.2
"""Screens that combine the rooms: the work queue and the manager's overview."""

from django.urls import path

from ketentafel.desk import views

app_name = "desk"

urlpatterns = [
    path("werkvoorraad/", views.WorkQueueView.as_view(), name="work-queue"),
    path("overzicht/", views.OverviewView.as_view(), name="overview"),
]
