# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The `demo` and `bench` commands and the mark of a benchmark database."""

    name = "ketentafel_devtools"
    label = "devtools"
    verbose_name = "Ketentafel development tools"
