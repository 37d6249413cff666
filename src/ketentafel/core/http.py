# SPDX-License-Identifier: EUPL-1.2
"""What a view or an API endpoint needs to know of the request it answers.

`actor(request)` gives the logged-in user that services take as their `actor`. Screens sit
behind `login_required` and endpoints behind their permission classes, so an anonymous request
never reaches it in practice; should one slip through, it is refused (403 on a screen, 401 from
the API) rather than passed on, and the check is no `assert`, which `python -O` would strip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

if TYPE_CHECKING:
    # The stubs' name for the model AUTH_USER_MODEL names: core is the lowest layer and imports
    # no app, so the user model is known here only through the settings.
    from django.contrib.auth.models import _User


def actor(request: HttpRequest | Request) -> _User:
    """The authenticated user behind `request`, of the project's user model.

    Raises `rest_framework.exceptions.NotAuthenticated` for an API request and
    `django.core.exceptions.PermissionDenied` for a screen when there is none.
    """
    user = request.user
    if user is not None and user.is_authenticated and isinstance(user, get_user_model()):
        return user
    if isinstance(request, Request):
        raise NotAuthenticated()
    raise PermissionDenied
