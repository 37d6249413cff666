# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ketentafel.cases"
    verbose_name = _("Casuïstiek")

    def ready(self) -> None:
        from ketentafel.cases.retention import cases_retention
        from ketentafel.privacy import registry

        # Privacy never imports this app; the app hands it its retention and export handlers.
        registry.register_case_source(cases_retention)
        registry.register_purger(cases_retention)
        registry.register_export_source(cases_retention)
