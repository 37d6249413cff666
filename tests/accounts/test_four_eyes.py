# SPDX-License-Identifier: EUPL-1.2
"""Four-eyes role grants and separation of duties (issue 11): through the services, the
admin (/beheer/), the confirmation screen (/rollen/bevestigen/) and the database itself."""

from __future__ import annotations

import datetime
import io
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from ketentafel.accounts import services
from ketentafel.accounts.models import CASE_ROLES, HouseRole, Role, RoleStatus, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.accounts.services import SELF_CHANGE, SEPARATION
from ketentafel.audit.models import AuditEvent
from ketentafel.audit.verify import chain_verify
from ketentafel.cases.models import Case
from ketentafel.cases.selectors import cases_visible_to
from ketentafel.core.errors import InvalidInput, NotAllowed, NotFound
from ketentafel.covenants.models import House
from tests.cases.conftest import World, make_staff
from tests.cases.flows import referred

CHANGE = "/beheer/accounts/user/{}/change/"


def web(user: User) -> Client:
    """A browser past login and second factor, as the login screens would leave it."""
    client = Client()
    client.force_login(user)
    device = services.second_factor_enrol(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def newcomer(world: World, name: str = "nieuw") -> User:
    return make_staff(name, world.municipality, world.house)


def change_form(client: Client, user: User) -> tuple[dict[str, Any], dict[str, str]]:
    """The admin's change form of `user` as a browser would send it back unchanged, and the
    prefixes of its inlines ("history", "grant")."""
    response = client.get(CHANGE.format(user.pk))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    prefixes = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        kind = "grant" if type(inline.opts).__name__ == "HouseRoleGrantInline" else "history"
        prefixes[kind] = formset.prefix
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management.initial.get(name, 0)
        for i, row in enumerate(formset.forms):
            if row.instance.pk is not None:
                data[f"{formset.prefix}-{i}-id"] = row.instance.pk
                data[f"{formset.prefix}-{i}-user"] = user.pk
    return data, prefixes


def events(object_type: str, object_id: object) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
        .order_by("seq")
        .values_list("reason", flat=True)
    )


# Separation of duties ------------------------------------------------------------------------


@pytest.mark.parametrize("role", CASE_ROLES)
def test_an_administrator_gets_no_case_role_from_the_service(world: World, role: Role) -> None:
    other_admin = make_staff("beheer2", world.municipality, world.house)
    services.house_role_grant(
        actor=None, user=other_admin, house_id=world.house.pk, role=Role.FUNCTIONAL_ADMINISTRATOR
    )
    with pytest.raises(InvalidInput) as refused:
        services.house_role_grant(
            actor=world.admin, user=other_admin, house_id=world.other_house.pk, role=role
        )
    assert refused.value.message == SEPARATION
    with pytest.raises(InvalidInput):
        services.house_role_grant(actor=None, user=other_admin, house_id=world.house.pk, role=role)


def test_a_case_worker_gets_no_administrator_role(world: World) -> None:
    with pytest.raises(InvalidInput, match="functiescheiding"):
        services.house_role_grant(
            actor=world.admin,
            user=world.pc,
            house_id=world.house.pk,
            role=Role.FUNCTIONAL_ADMINISTRATOR,
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", CASE_ROLES)
def test_the_database_refuses_an_administrator_with_a_case_role(world: World, role: Role) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseRole.objects.create(
            user=world.admin, house=world.other_house, role=role, confirmed_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseRole.objects.create(
            user=world.pc, house=world.house, role=Role.FUNCTIONAL_ADMINISTRATOR
        )
    # A revoked row does not count; reviving it is an UPDATE, refused the same way.
    dormant = HouseRole.objects.create(
        user=world.pc,
        house=world.house,
        role=Role.FUNCTIONAL_ADMINISTRATOR,
        revoked_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseRole.objects.filter(pk=dormant.pk).update(revoked_at=None)
    HouseRole.objects.filter(user=world.pc, role=Role.PROCESS_COORDINATOR).update(
        revoked_at=timezone.now()
    )
    HouseRole.objects.filter(pk=dormant.pk).update(revoked_at=None)
    assert set(
        HouseRole.objects.filter(user=world.pc, revoked_at=None).values_list("role", flat=True)
    ) == {Role.FUNCTIONAL_ADMINISTRATOR}


def test_the_admin_refuses_a_case_role_for_an_administrator(world: World) -> None:
    other_admin = make_staff("beheer2", world.municipality, world.house)
    services.house_role_grant(
        actor=None, user=other_admin, house_id=world.house.pk, role=Role.FUNCTIONAL_ADMINISTRATOR
    )
    client = web(world.admin)
    data, prefix = change_form(client, other_admin)
    data[f"{prefix['grant']}-0-house"] = world.house.pk
    data[f"{prefix['grant']}-0-role"] = Role.PROCESS_COORDINATOR
    response = client.post(CHANGE.format(other_admin.pk), data)
    assert response.status_code == 200
    assert SEPARATION in response.content.decode()
    assert not other_admin.house_roles.filter(role=Role.PROCESS_COORDINATOR).exists()


# Nobody changes their own account ------------------------------------------------------------


def test_an_administrator_cannot_grant_itself_anything(world: World) -> None:
    for role in (Role.PROCESS_COORDINATOR, Role.PRIVACY_OFFICER):
        with pytest.raises(NotAllowed) as refused:
            services.house_role_grant(
                actor=world.admin, user=world.admin, house_id=world.other_house.pk, role=role
            )
        assert refused.value.message == SELF_CHANGE
    own = world.admin.house_roles.get()
    with pytest.raises(NotAllowed):
        services.house_role_revoke(actor=world.admin, house_role_id=own.pk)
    with pytest.raises(NotAllowed):
        services.user_party_change(
            actor=world.admin, user=world.admin, party_id=world.party["politie-oost-nederland"].pk
        )
    with pytest.raises(NotAllowed):
        services.user_deactivate(actor=world.admin, user=world.admin)


def test_the_admin_offers_and_takes_no_change_to_ones_own_roles_or_party(world: World) -> None:
    client = web(world.admin)
    data, prefix = change_form(client, world.admin)
    assert "grant" not in prefix
    assert "party" not in data
    assert "is_active" not in data
    # A hand-made request that still sends a grant row and another party changes nothing.
    data.update(
        {
            "house_roles-2-TOTAL_FORMS": 1,
            "house_roles-2-INITIAL_FORMS": 0,
            "house_roles-2-0-house": world.house.pk,
            "house_roles-2-0-role": Role.PROCESS_COORDINATOR,
            "party": world.party["politie-oost-nederland"].pk,
        }
    )
    client.post(CHANGE.format(world.admin.pk), data)
    world.admin.refresh_from_db()
    assert world.admin.party == world.municipality
    assert set(world.admin.house_roles.values_list("role", flat=True)) == {
        Role.FUNCTIONAL_ADMINISTRATOR
    }
    assert not cases_visible_to(world.admin).exists()


# Four eyes -----------------------------------------------------------------------------------


def test_a_granted_role_opens_cases_only_after_a_location_manager_confirms(world: World) -> None:
    case = referred(world)
    user = newcomer(world)
    page = f"/casussen/{case.pk}/"
    client = web(world.admin)
    data, prefix = change_form(client, user)
    data[f"{prefix['grant']}-0-house"] = world.house.pk
    data[f"{prefix['grant']}-0-role"] = Role.PROCESS_COORDINATOR
    response = client.post(CHANGE.format(user.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    granted = user.house_roles.get()
    assert (granted.status(), granted.granted_by) == (RoleStatus.PENDING, world.admin)
    assert not roles_in_force(user).exists()
    assert not cases_visible_to(user).exists()
    assert web(user).get(page).status_code == 404
    assert "wacht op bevestiging" in client.get(CHANGE.format(user.pk)).content.decode()

    manager = web(world.manager)
    listing = manager.get("/rollen/bevestigen/")
    assert listing.status_code == 200
    assert user.username in listing.content.decode()
    assert "Rollen bevestigen" in manager.get("/").content.decode()
    response = manager.post(f"/rollen/bevestigen/{granted.pk}/", {"decision": "confirm"})
    assert response.status_code == 302

    granted.refresh_from_db()
    assert (granted.status(), granted.confirmed_by) == (RoleStatus.CONFIRMED, world.manager)
    assert list(cases_visible_to(user)) == [Case.objects.get(pk=case.pk)]
    assert web(user).get(page).status_code == 200
    assert events("house_role", granted.pk) == [
        f"process_coordinator for user {user.pk}: granted, awaiting confirmation",
        f"process_coordinator for user {user.pk}: confirmed",
    ]
    assert chain_verify().is_intact


def test_a_rejected_role_never_counts(world: World) -> None:
    user = newcomer(world)
    granted = services.house_role_grant(
        actor=world.admin, user=user, house_id=world.house.pk, role=Role.PROCESS_COORDINATOR
    )
    response = web(world.manager).post(f"/rollen/bevestigen/{granted.pk}/", {"decision": "reject"})
    assert response.status_code == 302
    granted.refresh_from_db()
    assert granted.status() == RoleStatus.REJECTED
    assert not roles_in_force(user).exists()
    with pytest.raises(NotFound):
        services.house_role_confirm(actor=world.manager, house_role_id=granted.pk)
    assert (
        events("house_role", granted.pk)[-1] == f"process_coordinator for user {user.pk}: rejected"
    )


def test_the_granter_and_the_subject_cannot_confirm(world: World) -> None:
    # A location manager who administers is impossible (separation), so the granter here is
    # a superuser who also manages the house: still not the second pair of eyes.
    boss = make_staff("baas", world.municipality, world.house, Role.LOCATION_MANAGER)
    User.objects.filter(pk=boss.pk).update(is_superuser=True)
    boss.refresh_from_db()
    user = newcomer(world)
    granted = services.house_role_grant(
        actor=boss, user=user, house_id=world.house.pk, role=Role.LOCATION_MANAGER
    )
    with pytest.raises(NotAllowed):
        services.house_role_confirm(actor=boss, house_role_id=granted.pk)
    assert granted.pk not in {r.pk for r in web(boss).get("/rollen/bevestigen/").context["rows"]}

    second = services.house_role_grant(
        actor=world.admin, user=world.manager, house_id=world.house.pk, role=Role.MANAGER
    )
    with pytest.raises(NotAllowed):
        services.house_role_confirm(actor=world.manager, house_role_id=second.pk)
    assert (
        web(world.manager)
        .post(f"/rollen/bevestigen/{second.pk}/", {"decision": "confirm"})
        .status_code
        == 403
    )
    assert not roles_in_force(world.manager).filter(role=Role.MANAGER).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseRole.objects.filter(pk=second.pk).update(
            confirmed_by=world.manager, confirmed_at=timezone.now()
        )


def test_a_manager_of_another_house_cannot_confirm(world: World) -> None:
    elsewhere = make_staff("elders", world.municipality, world.other_house, Role.LOCATION_MANAGER)
    user = newcomer(world)
    granted = services.house_role_grant(
        actor=world.admin, user=user, house_id=world.house.pk, role=Role.PROCESS_COORDINATOR
    )
    with pytest.raises(NotFound):
        services.house_role_confirm(actor=elsewhere, house_role_id=granted.pk)
    client = web(elsewhere)
    assert list(client.get("/rollen/bevestigen/").context["rows"]) == []
    assert (
        client.post(f"/rollen/bevestigen/{granted.pk}/", {"decision": "confirm"}).status_code == 404
    )
    assert web(world.pc).get("/rollen/bevestigen/").status_code == 403
    with pytest.raises(NotFound):
        services.house_role_confirm(actor=world.pc, house_role_id=granted.pk)
    granted.refresh_from_db()
    assert granted.status() == RoleStatus.PENDING


def test_an_expired_role_does_not_count(world: World) -> None:
    user = newcomer(world)
    case = referred(world)
    ends = timezone.now() + datetime.timedelta(hours=2)
    granted = services.house_role_grant(
        actor=world.admin,
        user=user,
        house_id=world.house.pk,
        role=Role.PROCESS_COORDINATOR,
        valid_until=ends,
    )
    services.house_role_confirm(actor=world.manager, house_role_id=granted.pk)
    assert list(cases_visible_to(user)) == [Case.objects.get(pk=case.pk)]
    HouseRole.objects.filter(pk=granted.pk).update(valid_until=timezone.now())
    granted.refresh_from_db()
    assert granted.status() == RoleStatus.EXPIRED
    assert not roles_in_force(user).exists()
    assert not cases_visible_to(user).exists()
    with pytest.raises(InvalidInput):
        services.house_role_grant(
            actor=world.admin,
            user=user,
            house_id=world.house.pk,
            role=Role.MEETING_SECRETARY,
            valid_until=timezone.now() - datetime.timedelta(minutes=1),
        )


def test_revoking_in_the_admin_keeps_the_row_and_ends_access(world: World) -> None:
    client = web(world.admin)
    data, prefix = change_form(client, world.police)
    data[f"{prefix['history']}-0-DELETE"] = "on"
    assert client.post(CHANGE.format(world.police.pk), data).status_code == 302
    held = world.police.house_roles.get()
    assert (held.status(), held.revoked_by) == (RoleStatus.REVOKED, world.admin)
    assert not roles_in_force(world.police).exists()
    assert events("house_role", held.pk)[-1] == (
        f"partner_professional for user {world.police.pk}: revoked"
    )


def test_a_party_change_puts_the_roles_back_to_awaiting_confirmation(world: World) -> None:
    police = world.party["politie-oost-nederland"]
    client = web(world.admin)
    data, _prefix = change_form(client, world.care)
    data["party"] = police.pk
    assert client.post(CHANGE.format(world.care.pk), data).status_code == 302
    world.care.refresh_from_db()
    assert world.care.party == police
    assert not roles_in_force(world.care).exists()
    assert [r.status() for r in world.care.house_roles.order_by("pk")] == [
        RoleStatus.REVOKED,
        RoleStatus.PENDING,
    ]
    assert events("user", world.care.pk)[-1] == (
        f"party changed from {world.party['pro-persona'].pk} to {police.pk}"
    )


def test_activation_and_deactivation_are_audited(world: World) -> None:
    client = web(world.admin)
    data, _prefix = change_form(client, world.housing)
    del data["is_active"]
    assert client.post(CHANGE.format(world.housing.pk), data).status_code == 302
    world.housing.refresh_from_db()
    assert not world.housing.is_active
    services.user_activate(actor=world.admin, user=world.housing)
    world.housing.refresh_from_db()
    assert world.housing.is_active
    reasons = events("user", world.housing.pk)
    assert reasons[-2:] == ["deactivated, 0 sessions ended", "activated"]
    actors = AuditEvent.objects.filter(object_type="user", object_id=str(world.housing.pk))
    assert set(actors.exclude(reason__startswith="created").values_list("actor_id", flat=True)) == {
        world.admin.pk
    }


def test_provisioned_roles_are_in_force_and_recorded_as_by_the_system(world: World) -> None:
    user = make_staff("nieuw", world.municipality, world.house, Role.PROCESS_COORDINATOR)
    held = user.house_roles.get()
    assert (held.status(), held.granted_by, held.confirmed_by) == (
        RoleStatus.CONFIRMED,
        None,
        None,
    )
    event = AuditEvent.objects.get(object_type="house_role", object_id=str(held.pk))
    assert (event.actor_id, event.object_ids, event.house_id) == (
        None,
        [str(user.pk)],
        world.house.pk,
    )
    assert event.reason.endswith("provisioned by the system")
    assert chain_verify().is_intact


def test_the_operator_provisions_the_first_location_manager_of_a_house(world: World) -> None:
    user = make_staff("eerste", world.municipality, world.other_house)
    out = io.StringIO()
    call_command("role_provision", "eerste", world.other_house.slug, "location_manager", stdout=out)
    assert "in force" in out.getvalue()
    held = user.house_roles.get()
    assert (held.status(), held.granted_by) == (RoleStatus.CONFIRMED, None)
    assert events("house_role", held.pk)[0].endswith("provisioned by the system")
    with pytest.raises(CommandError, match="functiescheiding"):
        call_command("role_provision", "admin", world.house.slug, "process_coordinator")
    with pytest.raises(CommandError, match="unknown user"):
        call_command("role_provision", "niemand", world.house.slug, "process_coordinator")


def test_an_account_made_in_the_admin_is_audited_and_needs_a_party(world: World) -> None:
    client = web(world.admin)
    form = {
        "username": "nieuwkomer",
        "password1": "Een-lang-Wachtwoord-42",
        "usable_password": "true",
    }
    form["password2"] = form["password1"]
    response = client.post("/beheer/accounts/user/add/", form)
    assert response.status_code == 200
    assert not User.objects.filter(username="nieuwkomer").exists()
    form["party"] = world.municipality.pk
    response = client.post("/beheer/accounts/user/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    made = User.objects.get(username="nieuwkomer")
    assert made.check_password(form["password1"])
    event = AuditEvent.objects.get(object_type="user", object_id=str(made.pk))
    assert (event.actor_id, event.action) == (world.admin.pk, "create")
    assert client.get(f"/beheer/accounts/user/{made.pk}/delete/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_transactions_cannot_each_add_one_half_of_the_pair(
    make_user: Callable[..., User],
) -> None:
    """The PostgreSQL trigger locks the user's row first, so the second writer waits for the
    first to commit and then sees its row. (SQLite runs one writer at a time anyway.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the row lock is PostgreSQL's")
    user = make_user("tweeledig", roles=())
    house = House.objects.get(slug="noord")
    first_inserted = threading.Event()
    outcome: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                HouseRole.objects.create(
                    user_id=user.pk,
                    house=house,
                    role=Role.FUNCTIONAL_ADMINISTRATOR,
                    confirmed_at=timezone.now(),
                )
                first_inserted.set()
                # Commit only once the second writer is seen waiting for a lock.
                for _poll in range(2000):
                    with connection.cursor() as cursor:
                        # Statistics views are read once per transaction unless cleared.
                        cursor.execute("SELECT pg_stat_clear_snapshot()")
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        )
                        if cursor.fetchone()[0]:
                            break
                    time.sleep(0.005)
                else:
                    outcome["first"] = "the second writer never waited"
        finally:
            connections.close_all()

    def second() -> None:
        first_inserted.wait()
        try:
            with transaction.atomic():
                HouseRole.objects.create(
                    user_id=user.pk,
                    house=house,
                    role=Role.PROCESS_COORDINATOR,
                    confirmed_at=timezone.now(),
                )
            outcome["second"] = "inserted"
        except IntegrityError:
            outcome["second"] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome == {"second": "refused"}
    assert list(HouseRole.objects.filter(user_id=user.pk).values_list("role", flat=True)) == [
        Role.FUNCTIONAL_ADMINISTRATOR
    ]
