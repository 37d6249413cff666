# SPDX-License-Identifier: EUPL-1.2
"""The Django admin, open to functional administrators only (with a verified second factor)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ketentafel.accounts.models import User
from ketentafel.accounts.policies import may_administer


class KetentafelAdminSite(admin.AdminSite):
    site_header = _("Ketentafel functioneel beheer")
    site_title = _("Ketentafel beheer")
    index_title = _("Gebruikers en configuratie")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return (
            isinstance(user, User)
            and user.is_verified()  # type: ignore[attr-defined]
            and may_administer(user)
        )
