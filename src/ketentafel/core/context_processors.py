# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.conf import settings
from django.http import HttpRequest

import ketentafel


def deployment(request: HttpRequest) -> dict[str, Any]:
    return {"ketentafel_version": ketentafel.__version__, "is_demo": settings.KETENTAFEL_DEMO}
