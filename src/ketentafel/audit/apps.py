# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ketentafel.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from ketentafel.audit import checks  # noqa: F401  (registers the system checks)
