# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from ketentafel.privacy.audit_log import views

app_name = "audit"

urlpatterns = [path("auditlog/", views.AuditSearchView.as_view(), name="search")]
