# SPDX-License-Identifier: EUPL-1.2
"""Run by tests/config/test_fault_idempotency.py inside the fault database's settings: load a
region, make a partner professional past the second factor and print what a client needs."""

from __future__ import annotations

import json

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402

from ketentafel.accounts.models import Role  # noqa: E402
from ketentafel.accounts.services import second_factor_enrol  # noqa: E402
from ketentafel.covenants.models import House, Party, Theme, Track  # noqa: E402
from ketentafel.covenants.services import region_load, region_path  # noqa: E402
from tests.cases.conftest import make_staff  # noqa: E402


def main() -> None:
    region_load(path=region_path("gelderland-midden"))
    house = House.objects.get(slug="arnhem")
    police = Party.objects.get(slug="politie-oost-nederland")
    user = make_staff("fault-police", police, house, Role.PARTNER_PROFESSIONAL)
    device = second_factor_enrol(user=user)
    client = Client()
    client.force_login(user)
    session = SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    track = Track.objects.get(covenant=house.covenant, slug="complex-cases")
    theme = Theme.objects.filter(covenant=house.covenant).order_by("pk").first()
    municipality = Party.objects.get(slug="gemeente-arnhem")
    assert theme is not None
    print(
        json.dumps(
            {
                "session": session.session_key,
                "cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "house": house.pk,
                "track": track.pk,
                "theme": theme.pk,
                "municipality": municipality.pk,
            }
        )
    )


main()
