# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View

from ketentafel.core.errors import NotAllowed, NotFound
from ketentafel.core.idempotency import FORM_TOKEN, form_submission_for, form_submission_record
from ketentafel.core.middleware import mark_committed


class ScreenView(View):
    """A screen of the web application.

    Missing and not-visible objects (`NotFound`) answer 404 and refusals (`NotAllowed`) 403
    through the project's handlers, which record the denial in the audit log.

    A POST that carries a form token (`{% form_token %}` in the form) runs as one unit of work
    with the token's consumption: when it saves something and redirects, the token is stored
    with where it redirected to, in the same transaction. The same token again (a double click,
    a reload, a second tab racing the first) saves nothing and goes to that first result with
    the message "Dit formulier is al verstuurd".
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            token = request.POST.get(FORM_TOKEN, "") if request.method == "POST" else ""
            if token and request.user.is_authenticated:
                return self._once(request, token, *args, **kwargs)
            return super().dispatch(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc

    def _once(
        self, request: HttpRequest, token: str, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        user_id = int(request.user.pk or 0)
        if len(token) > 64:
            raise SuspiciousOperation("form token too long")
        first = form_submission_for(user_id, token)
        if first is not None:
            return self._already_sent(request, first.result_url)
        try:
            with transaction.atomic():
                response = super().dispatch(request, *args, **kwargs)
                location = response.get("Location") if response.status_code in (302, 303) else None
                if location:
                    form_submission_record(user_id=user_id, token=token, result_url=location)
        except IntegrityError:
            # A submit of the same form committed while this one ran; this one saved nothing.
            first = form_submission_for(user_id, token)
            if first is None:
                raise
            for _message in messages.get_messages(request):
                pass  # the rolled-back submit's own "saved" message is not true
            return self._already_sent(request, first.result_url)
        return mark_committed(response)

    @staticmethod
    def _already_sent(request: HttpRequest, result_url: str) -> HttpResponseBase:
        messages.info(request, _("Dit formulier is al verstuurd."))
        return HttpResponseRedirect(result_url)
