# SPDX-License-Identifier: EUPL-1.2
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ketentafel.core.urls")),
    path("", include("ketentafel.accounts.urls")),
    path("", include("ketentafel.covenants.urls")),
    path("", include("ketentafel.desk.urls")),
    path("", include("ketentafel.advice.urls")),
    path("", include("ketentafel.cases.urls")),
    path("", include("ketentafel.meetings.urls")),
    path("", include("ketentafel.plans.urls")),
    path("", include("ketentafel.information.urls")),
    path("", include("ketentafel.aftercare.urls")),
    path("", include("ketentafel.privacy.audit_log.urls")),
    path("", include("ketentafel.privacy.urls")),
    path("", include("ketentafel.incidents.urls")),
    path("", include("ketentafel.reporting.urls")),
    path("api/v1/", include("ketentafel.config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "ketentafel.audit.boundary.permission_denied"
handler404 = "ketentafel.audit.boundary.page_not_found"
# A database outage raised outside a view (loading the session) is a 503 too (core.outage).
handler500 = "ketentafel.core.outage.server_error"
