# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ketentafel.plans"
    verbose_name = _("Plannen van aanpak")

    def ready(self) -> None:
        from ketentafel.plans.retention import plans_retention
        from ketentafel.privacy import registry

        # Privacy never imports this app; the app hands it its purger.
        registry.register_purger(plans_retention)
