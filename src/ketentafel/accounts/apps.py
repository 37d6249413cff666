# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ketentafel.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ketentafel.accounts import signals  # noqa: F401  (connects the receivers)
