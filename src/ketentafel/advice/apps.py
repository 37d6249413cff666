# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdviceConfig(AppConfig):
    name = "ketentafel.advice"
    verbose_name = _("Adviesvragen")

    def ready(self) -> None:
        from ketentafel.advice.retention import advice_retention
        from ketentafel.privacy import registry

        # Privacy never imports this app; the app hands it its retention handlers.
        registry.register_record_source(advice_retention)
        registry.register_purger(advice_retention)
