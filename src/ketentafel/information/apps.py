# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "ketentafel.information"
    verbose_name = _("Informatie")

    def ready(self) -> None:
        from ketentafel.information.retention import information_retention
        from ketentafel.privacy import registry

        # Privacy never imports this app; the app hands it its retention and export handlers.
        registry.register_purger(information_retention)
        registry.register_export_source(information_retention)
