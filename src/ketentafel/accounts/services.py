# SPDX-License-Identifier: EUPL-1.2
"""Writes to accounts: creating users, granting roles, deactivating."""

from __future__ import annotations

from collections.abc import Iterable

import structlog
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketentafel.accounts.models import HouseRole, Role, User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import Result as AuditResult
from ketentafel.audit.services import audit_record

log = structlog.get_logger(__name__)


def user_create(
    *,
    username: str,
    password: str | None,
    party_id: int,
    roles: Iterable[tuple[int, Role]],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> User:
    """Create an active user of `party_id` holding each (house id, role) in `roles`."""
    with transaction.atomic():
        user = User(
            username=username,
            party_id=party_id,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_demo=is_demo,
        )
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.full_clean()
        user.save()
        HouseRole.objects.bulk_create(
            HouseRole(user=user, house_id=house_id, role=role) for house_id, role in roles
        )
    log.info("user_created", user_id=user.pk, party_id=party_id)
    return user


def user_deactivate(*, user: User) -> int:
    """Deactivate `user` and end every session it has; return how many sessions ended.

    The authentication backend already refuses inactive users on their next request; deleting
    the sessions as well leaves nothing to resume if the account is reactivated.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        ended = [
            session.pk
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        Session.objects.filter(pk__in=ended).delete()
    log.info("user_deactivated", user_id=user.pk, sessions_ended=len(ended))
    return len(ended)


def second_factor_enrol(*, user: User, name: str = "Authenticator") -> TOTPDevice:
    """Give `user` a confirmed TOTP device (for provisioning outside the enrolment screen)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": name}
    )
    return device


def sign_in_record(*, user: User | None, step: str, succeeded: bool) -> None:
    """Audit one step of signing in or out (NEN 7513: log-ins and failed attempts).

    `step` is "password", "second_factor" or "logout"; "logout: <cause>" records a session the
    application ended (e.g. "logout: session_lifetime"). A failed attempt names the account by
    its id only when it exists; the typed username is never stored.
    """
    if step == "logout" or step.startswith("logout: "):
        action = AuditAction.LOGOUT
    else:
        action = AuditAction.LOGIN if succeeded else AuditAction.LOGIN_FAILED
    with transaction.atomic():
        audit_record(
            actor=user,
            action=action,
            object_type="user",
            object_id=user.pk if user is not None else "",
            result=AuditResult.ALLOWED if succeeded else AuditResult.DENIED,
            reason=step if user is not None else f"{step}: unknown account",
        )
