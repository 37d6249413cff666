# SPDX-License-Identifier: EUPL-1.2
"""Password login: Django's model backend, loading the user's party with the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from ketentafel.accounts.models import User


class PartyModelBackend(ModelBackend):
    """Every page names the signed-in user's party in its header; loading the party with the
    user saves that query on each request."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("party").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
