# SPDX-License-Identifier: EUPL-1.2
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_safe

from ketentafel.core import health

app_name = "core"

# `core.health.HealthMiddleware` answers these paths before the session is read; the routes
# name them (and serve them where that middleware is left out).
urlpatterns = [
    path("health", login_not_required(require_safe(health.ready)), name="health"),
    path("health/live", login_not_required(require_safe(health.live)), name="health_live"),
    path("health/ready", login_not_required(require_safe(health.ready)), name="health_ready"),
]
