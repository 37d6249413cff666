# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "ketentafel.meetings"
    verbose_name = _("Overleggen")

    def ready(self) -> None:
        from ketentafel.cases.panels import CasePanel, register_case_panel
        from ketentafel.meetings.retention import meetings_retention
        from ketentafel.meetings.views import case_agenda_panel
        from ketentafel.privacy import registry

        # Privacy never imports this app; the app hands it its purger.
        registry.register_purger(meetings_retention)
        # The case page shows the agenda panel without importing this app (cases.panels).
        register_case_panel(CasePanel("meetings/_case_agenda.html", case_agenda_panel))
