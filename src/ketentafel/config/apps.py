# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ConfigConfig(AppConfig):
    """The project itself: settings, URLs and the commands that span apps (worker, env-help)."""

    default = True
    name = "ketentafel.config"
    label = "config"
    verbose_name = "Ketentafel"

    def ready(self) -> None:
        from ketentafel.config import task_admin  # noqa: F401  registers on the admin site


class KetentafelAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "ketentafel.config.admin.KetentafelAdminSite"
