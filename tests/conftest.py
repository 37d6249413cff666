# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import pytest_django
from django.test import Client
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.services import second_factor_enrol, user_create
from ketentafel.audit import protection
from ketentafel.covenants.models import Covenant, House, Party
from ketentafel.covenants.services import LoadReport, region_load, region_path
from tests.clock import clock_at

MINI_REGION = Path(__file__).parent / "covenants" / "mini-region.toml"
PASSWORD = "correct horse battery staple"
#: The shipped regions the test database holds from its creation on (`django_db_setup`).
REGIONS = ("gelderland-midden",)


def regions_ensure() -> None:
    """Load each region of `REGIONS` the database lacks.

    The test database holds them from its setup on, and each test's transaction rolls back
    what it changed in them; a transactional test (`transaction=True`, `live_server`) ends by
    emptying every table, so the tests after it load them again here.
    """
    loaded = set(Covenant.objects.filter(slug__in=REGIONS).values_list("slug", flat=True))
    for name in REGIONS:
        if name not in loaded:
            region_load(path=region_path(name))


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_blocker: pytest_django.DjangoDbBlocker
) -> None:
    """The test database after its migrations, holding the regions of `REGIONS`: loaded once
    here rather than by every test, which costs a second per test."""
    with django_db_blocker.unblock():
        regions_ensure()


@pytest.fixture(autouse=True)
def _clock_at_the_hour_asked() -> Iterator[None]:
    """With `KETENTAFEL_TEST_CLOCK=HH:MM` every test starts today at that local time
    (`tests.clock`); without it, on the real clock."""
    at = os.environ.get("KETENTAFEL_TEST_CLOCK", "")
    if not at:
        yield
        return
    with clock_at(at):
        yield


@pytest.fixture(autouse=True)
def _dutch_again_after_each_test() -> Iterator[None]:
    """A request leaves its reader's language active in the thread (the language middleware
    activates it, nothing deactivates it); a later test that calls a service outside a
    request must read the default, Dutch, whatever the test before it asked for."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _audit_tables_may_be_emptied_after_transactional_tests() -> Iterator[None]:
    """Transactional tests end by emptying every table, which the audit triggers refuse;
    the flush runs in the same maintenance mode the prune command uses."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush

    def flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        with protection.maintenance(self.connection.alias):
            original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture
def mini_region(db: None) -> LoadReport:
    return region_load(path=MINI_REGION)


@pytest.fixture
def make_user(mini_region: LoadReport) -> Callable[..., User]:
    def make(
        username: str = "pieter",
        *,
        party: str = "gemeente-noordstad",
        roles: tuple[tuple[str, Role], ...] = (("noord", Role.PROCESS_COORDINATOR),),
        with_device: bool = True,
    ) -> User:
        user = user_create(
            username=username,
            password=PASSWORD,
            party_id=Party.objects.get(slug=party).pk,
            roles=[(House.objects.get(slug=h).pk, role) for h, role in roles],
        )
        if with_device:
            second_factor_enrol(user=user)
        return user

    return make


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def login() -> Callable[[Client, User], None]:
    """Log `user` in through the real login and second-factor screens."""

    def do(client: Client, user: User) -> None:
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content
        response = client.post("/login/tweede-factor/", {"token": current_code(user)})
        assert response.status_code == 302, response.content

    return do
