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
