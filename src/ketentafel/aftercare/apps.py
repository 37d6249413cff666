# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "ketentafel.aftercare"
    verbose_name = _("Nazorg ex-gedetineerden")

    def ready(self) -> None:
        from ketentafel.aftercare.policies import may_notify_detention
        from ketentafel.aftercare.retention import aftercare_retention
        from ketentafel.aftercare.views import aftercare_panel
        from ketentafel.cases.panels import (
            CasePanel,
            ReferralStart,
            register_case_panel,
            register_referral_start,
        )
        from ketentafel.privacy import registry

        # Privacy never imports this app; the app hands it its purger and export source.
        registry.register_purger(aftercare_retention)
        registry.register_export_source(aftercare_retention)
        # The case page shows the traffic light, the referral form the detention notification,
        # without `cases` importing this app (cases.panels).
        register_case_panel(CasePanel("aftercare/_case_panel.html", aftercare_panel))
        register_referral_start(
            ReferralStart(
                "aftercare:notify", _("Detentiemelding registreren"), may_notify_detention
            )
        )
