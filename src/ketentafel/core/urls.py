# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from ketentafel.core import views

app_name = "core"

urlpatterns = [path("health", views.health, name="health")]
