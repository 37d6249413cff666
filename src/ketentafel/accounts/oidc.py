# SPDX-License-Identifier: EUPL-1.2
"""OpenID Connect login for deployments that switch it on (OIDC_ENABLED).

The provider proves who someone is; it cannot create accounts, because every account belongs to
a party and holds roles that the functional administrator grants. The second factor of
Ketentafel is still required after an OIDC login.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ketentafel.accounts.models import User


class ExistingUserOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = claims.get("email")
        if not email or claims.get("email_verified") is False:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        return user
