# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.views import View

from ketentafel.core.errors import NotAllowed, NotFound


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
