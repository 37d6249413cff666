# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from ketentafel.covenants import views

app_name = "covenants"

urlpatterns = [
    path("", views.home, name="home"),
    path("convenant/<slug:slug>/", views.covenant_detail, name="covenant"),
]
