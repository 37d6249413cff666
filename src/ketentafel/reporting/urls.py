# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from ketentafel.reporting import views

app_name = "reporting"

urlpatterns = [
    path("managementinformatie/", views.WorkFiguresView.as_view(), name="figures"),
]
