# SPDX-License-Identifier: EUPL-1.2
"""Signing in and out leaves audit events, whichever way it happens (form, OIDC, admin)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ketentafel.accounts.middleware import LOGOUT_CAUSE, session_start
from ketentafel.accounts.models import User
from ketentafel.accounts.services import sign_in_record


@receiver(user_logged_in)
def _logged_in(sender: Any, user: User, request: Any = None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request.session)
    sign_in_record(user=user, step="password", succeeded=True)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = credentials.get("username") or ""
    user = User.objects.filter(username=username).first() if username else None
    sign_in_record(user=user, step="password", succeeded=False)


@receiver(user_logged_out)
def _logged_out(sender: Any, user: User | None, request: Any = None, **kwargs: Any) -> None:
    if user is not None:
        cause = getattr(request, LOGOUT_CAUSE, "")
        sign_in_record(user=user, step=f"logout: {cause}" if cause else "logout", succeeded=True)
