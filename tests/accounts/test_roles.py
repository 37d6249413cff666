# SPDX-License-Identifier: EUPL-1.2
"""Each role sees what it may: administration for functional administrators only; roles lapse
when the user's party leaves the covenant."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import may_administer, roles_in_force
from ketentafel.covenants.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]
Login = Callable[[Client, User], None]

NON_ADMIN_ROLES = [role for role in Role if role != Role.FUNCTIONAL_ADMINISTRATOR]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_functional_administrators_reach_the_admin(
    client: Client, make_user: MakeUser, login: Login, role: Role
) -> None:
    user = make_user(roles=(("noord", role),))
    login(client, user)
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")
    assert client.get("/beheer/accounts/user/").status_code == 302
    assert "Gebruikers en configuratie beheren" not in client.get("/").text


def test_a_functional_administrator_manages_users_and_sees_configuration(
    client: Client, make_user: MakeUser, login: Login
) -> None:
    admin = make_user("beheer", roles=(("noord", Role.FUNCTIONAL_ADMINISTRATOR),))
    login(client, admin)
    assert client.get("/beheer/").status_code == 200
    assert client.get("/beheer/accounts/user/").status_code == 200
    assert client.get("/beheer/covenants/party/").status_code == 200
    # Configuration comes from the region file: readable, not editable in the admin.
    assert client.get("/beheer/covenants/party/add/").status_code == 403


def test_the_covenant_overview_shows_configuration_to_its_staff(
    client: Client, make_user: MakeUser, login: Login
) -> None:
    user = make_user(roles=(("noord", Role.PARTNER_PROFESSIONAL),), party="politie-test")
    login(client, user)
    response = client.get("/convenant/mini-region/")
    assert response.status_code == 200
    assert "Stuurgroep" in response.text
    assert "GGZ Test" in response.text


def test_a_covenant_without_a_role_answers_404(
    client: Client, make_user: MakeUser, login: Login
) -> None:
    user = make_user(roles=())
    login(client, user)
    assert client.get("/convenant/mini-region/").status_code == 404
    assert client.get("/convenant/bestaat-niet/").status_code == 404


@pytest.mark.parametrize("status", [MembershipStatus.LEFT, MembershipStatus.EXCLUDED])
def test_roles_lapse_when_the_party_leaves_the_covenant(
    client: Client, make_user: MakeUser, login: Login, status: MembershipStatus
) -> None:
    user = make_user(
        "beheer", party="politie-test", roles=(("noord", Role.FUNCTIONAL_ADMINISTRATOR),)
    )
    login(client, user)
    assert client.get("/beheer/").status_code == 200
    membership = Membership.objects.get(party__slug="politie-test")
    membership.end(status=status, on=datetime.date.today())
    membership.save()
    assert not roles_in_force(user).exists()
    assert not may_administer(user)
    assert client.get("/beheer/").status_code == 302
    assert client.get("/convenant/mini-region/").status_code == 404
    assert "geen rol" in client.get("/").text
