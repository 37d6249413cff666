# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import ketentafel
from ketentafel.core.errors import NotAllowed, NotFound


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability for load balancers and the demo; no data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": database,
            "version": ketentafel.__version__,
        },
        status=status,
    )


class ScreenView(View):
    """A screen of the web application.

    Missing and not-visible objects (`NotFound`) answer 404 and refusals (`NotAllowed`) 403
    through the project's handlers, which record the denial in the audit log.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
