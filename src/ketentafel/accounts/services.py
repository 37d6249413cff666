# SPDX-License-Identifier: EUPL-1.2
"""Writes to accounts: creating users, granting and confirming roles, party, activation.

Every change to who may do what is audited in the same transaction (object_type "user" or
"house_role"; for a role, `object_ids` holds the user who holds it). Nobody changes their own
roles, party or status, and a role granted by someone counts only once a second person of
the house confirms it (docs/adr/0011-four-eyes-roles-and-separation-of-duties.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import structlog
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketentafel.accounts.models import CASE_ROLES, CONFIRMING_ROLES, HouseRole, Role, User
from ketentafel.accounts.policies import has_role, may_administer, roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import Result as AuditResult
from ketentafel.audit.services import audit_record
from ketentafel.core.errors import InvalidInput, NotAllowed, NotFound

log = structlog.get_logger(__name__)


def user_create(
    *,
    username: str,
    password: str | None,
    party_id: int,
    roles: Iterable[tuple[int, Role]],
    actor: User | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> User:
    """Create an active user of `party_id` holding each (house id, role) in `roles`.

    Without an `actor` the operator provisions the account (management commands, the demo,
    tests) and its roles are in force at once; with one, the actor must administer and each
    role waits for confirmation (`house_role_grant`).
    """
    if actor is not None:
        _require_administrator(actor)
    with transaction.atomic():
        user = User(
            username=username,
            party_id=party_id,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_demo=is_demo,
        )
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.full_clean()
        user.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="user",
            object_id=user.pk,
            role=_acting_role(actor),
            reason=_by(actor, f"created with party {party_id}", system=PROVISIONED),
        )
        for house_id, role in roles:
            house_role_grant(actor=actor, user=user, house_id=house_id, role=role)
    log.info("user_created", user_id=user.pk, party_id=party_id)
    return user


# Roles: granting, confirming (four-eyes), rejecting, revoking --------------------------------

PROVISIONED = "provisioned by the system"
# Marked here and translated where raised, so tests and callers can name the refusal.
SELF_CHANGE = gettext_noop(
    "Niemand wijzigt zijn eigen rollen, partij of status; vraag een andere beheerder."
)
SEPARATION = gettext_noop(
    "Een functioneel beheerder heeft geen rol die casussen inziet (functiescheiding); "
    "trek eerst de andere rol in."
)


def _require_administrator(actor: User) -> None:
    if not may_administer(actor):
        raise NotAllowed(_("Alleen een functioneel beheerder wijzigt gebruikers en rollen."))


def _refuse_self(actor: User | None, user: User) -> None:
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed(_(SELF_CHANGE))


def _acting_role(actor: User | None) -> str:
    if actor is None:
        return ""
    if has_role(actor, Role.FUNCTIONAL_ADMINISTRATOR):
        return str(Role.FUNCTIONAL_ADMINISTRATOR)
    return "superuser" if actor.is_superuser else ""


def _by(actor: User | None, what: str, *, system: str = "by the system") -> str:
    """The reason of an event; one without an actor says the operator's shell did it."""
    return what if actor is not None else f"{what}; {system}"


def _locked_user(user: User) -> User:
    """The subject's row, locked so concurrent grants for one user queue (separation)."""
    return User.objects.select_for_update().get(pk=user.pk)


def _check_separation(user: User, role: str) -> None:
    held = set(
        HouseRole.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True)
    )
    if role == Role.FUNCTIONAL_ADMINISTRATOR and held & set(CASE_ROLES):
        raise InvalidInput(_(SEPARATION), field="role")
    if role in CASE_ROLES and Role.FUNCTIONAL_ADMINISTRATOR in held:
        raise InvalidInput(_(SEPARATION), field="role")


def _role_audit(
    *,
    actor: User | None,
    house_role: HouseRole,
    action: AuditAction,
    what: str,
    role: str = "",
    system: str = "by the system",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="house_role",
        object_id=house_role.pk,
        object_ids=[house_role.user_id],
        house_id=house_role.house_id,
        role=role or _acting_role(actor),
        reason=_by(
            actor, f"{house_role.role} for user {house_role.user_id}: {what}", system=system
        ),
    )


def house_role_grant_check(
    *,
    actor: User | None,
    user: User,
    house_id: int | None,
    role: Role | str,
    valid_until: datetime.datetime | None = None,
) -> None:
    """Raise the refusal `house_role_grant` would give, without writing (for forms)."""
    if role not in Role.values:
        raise InvalidInput(_("Onbekende rol."), field="role")
    if actor is not None:
        _require_administrator(actor)
        _refuse_self(actor, user)
    if valid_until is not None and valid_until <= timezone.now():
        raise InvalidInput(
            _("Een rol die al verlopen is, kan niet worden toegekend."), field="valid_until"
        )
    house = apps.get_model("covenants", "House")
    if house_id is None or not house.objects.filter(pk=house_id, is_active=True).exists():
        raise InvalidInput(_("Onbekend of niet actief veiligheidshuis."), field="house")
    if user.pk is None:
        return
    if user.party_id is None:
        raise InvalidInput(_("Een account zonder partij krijgt geen rol."), field="role")
    if HouseRole.objects.filter(
        user=user, house_id=house_id, role=role, revoked_at__isnull=True
    ).exists():
        raise InvalidInput(
            _("Deze gebruiker heeft deze rol in dit huis al (of die wacht op bevestiging)."),
            field="role",
        )
    _check_separation(user, role)


def house_role_grant(
    *,
    actor: User | None,
    user: User,
    house_id: int,
    role: Role | str,
    valid_until: datetime.datetime | None = None,
) -> HouseRole:
    """Grant `user` `role` in a house.

    An actor must administer, may not grant to itself, and the role waits until a location
    manager or manager of that house confirms it (`house_role_confirm`). Without an actor the
    operator provisions it and it is in force at once. A functional administrator never
    holds a case role as well (separation of duties).
    """
    with transaction.atomic():
        subject = _locked_user(user)
        house_role_grant_check(
            actor=actor, user=subject, house_id=house_id, role=role, valid_until=valid_until
        )
        now = timezone.now()
        house_role = HouseRole.objects.create(
            user=subject,
            house_id=house_id,
            role=role,
            granted_by=actor,
            granted_at=now,
            confirmed_at=now if actor is None else None,
            valid_until=valid_until,
        )
        _role_audit(
            actor=actor,
            house_role=house_role,
            action=AuditAction.CREATE,
            what="granted, in force" if actor is None else "granted, awaiting confirmation",
            system=PROVISIONED,
        )
    log.info("house_role_granted", house_role_id=house_role.pk, pending=actor is not None)
    return house_role


def _confirmable(actor: User, house_role_id: int) -> tuple[HouseRole, str]:
    """The pending role, locked, and the actor's confirming role in its house."""
    house_role = (
        HouseRole.objects.select_for_update()
        .filter(pk=house_role_id, confirmed_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    held = (
        roles_in_force(actor)
        .filter(house_id=house_role.house_id, role__in=CONFIRMING_ROLES)
        .values_list("role", flat=True)
        if house_role is not None
        else []
    )
    if house_role is None or not held:
        raise NotFound(_("Deze rol wacht niet op uw bevestiging."))
    if actor.pk in (house_role.user_id, house_role.granted_by_id):
        raise NotAllowed(
            _(
                "Wie een rol krijgt of toekent, bevestigt die niet zelf; dat doet een tweede "
                "persoon."
            )
        )
    return house_role, sorted(held)[0]


def house_role_confirm(*, actor: User, house_role_id: int) -> HouseRole:
    """Confirm a pending role: from now it counts (four-eyes, BIO 5.18).

    Only a location manager or manager with a role in force in the role's house confirms, and
    neither the person who granted it nor the person who receives it.
    """
    with transaction.atomic():
        house_role, acting = _confirmable(actor, house_role_id)
        now = timezone.now()
        if house_role.valid_until is not None and house_role.valid_until <= now:
            raise InvalidInput(_("Deze rol is al verlopen; laat hem opnieuw toekennen."))
        house_role.confirmed_by = actor
        house_role.confirmed_at = now
        house_role.save(update_fields=["confirmed_by", "confirmed_at"])
        _role_audit(
            actor=actor,
            house_role=house_role,
            action=AuditAction.UPDATE,
            what="confirmed",
            role=acting,
        )
    log.info("house_role_confirmed", house_role_id=house_role.pk)
    return house_role


def house_role_reject(*, actor: User, house_role_id: int) -> HouseRole:
    """Refuse a pending role: it never takes effect and stays as history (rejected)."""
    with transaction.atomic():
        house_role, acting = _confirmable(actor, house_role_id)
        house_role.revoked_by = actor
        house_role.revoked_at = timezone.now()
        house_role.save(update_fields=["revoked_by", "revoked_at"])
        _role_audit(
            actor=actor,
            house_role=house_role,
            action=AuditAction.UPDATE,
            what="rejected",
            role=acting,
        )
    log.info("house_role_rejected", house_role_id=house_role.pk)
    return house_role


def house_role_revoke(*, actor: User | None, house_role_id: int) -> HouseRole:
    """End a role, or withdraw a grant that awaits confirmation; the row stays as history."""
    if actor is not None:
        _require_administrator(actor)
    with transaction.atomic():
        house_role = (
            HouseRole.objects.select_for_update()
            .filter(pk=house_role_id, revoked_at__isnull=True)
            .first()
        )
        if house_role is None:
            raise NotFound(_("Deze rol bestaat niet of is al ingetrokken."))
        _refuse_self(actor, house_role.user)
        house_role.revoked_by = actor
        house_role.revoked_at = timezone.now()
        house_role.save(update_fields=["revoked_by", "revoked_at"])
        _role_audit(actor=actor, house_role=house_role, action=AuditAction.UPDATE, what="revoked")
    log.info("house_role_revoked", house_role_id=house_role.pk)
    return house_role


# The account: party, activation ----------------------------------------------------------------


def _user_audit(*, actor: User | None, user: User, what: str) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="user",
        object_id=user.pk,
        role=_acting_role(actor),
        reason=_by(actor, what),
    )


def user_party_change(*, actor: User | None, user: User, party_id: int) -> User:
    """Move `user` to another party.

    Case access follows the party, so a move by an actor puts every role the user holds back
    to awaiting confirmation: each is revoked and granted again, pending, with the same end.
    """
    if actor is not None:
        _require_administrator(actor)
        _refuse_self(actor, user)
    party = apps.get_model("covenants", "Party")
    if not party.objects.filter(pk=party_id).exists():
        raise InvalidInput(_("Onbekende partij."), field="party")
    with transaction.atomic():
        subject = _locked_user(user)
        previous = subject.party_id
        if previous == party_id:
            return subject
        User.objects.filter(pk=subject.pk).update(party_id=party_id)
        subject.party_id = party_id
        user.party_id = party_id
        _user_audit(actor=actor, user=subject, what=f"party changed from {previous} to {party_id}")
        if actor is not None:
            for held in list(HouseRole.objects.filter(user=subject, revoked_at__isnull=True)):
                house_role_revoke(actor=actor, house_role_id=held.pk)
                house_role_grant(
                    actor=actor,
                    user=subject,
                    house_id=held.house_id,
                    role=held.role,
                    valid_until=held.valid_until,
                )
    log.info("user_party_changed", user_id=user.pk)
    return subject


def user_activate(*, actor: User | None, user: User) -> None:
    """Let an inactive account sign in again (its confirmed roles count again)."""
    if actor is not None:
        _require_administrator(actor)
        _refuse_self(actor, user)
    with transaction.atomic():
        if not User.objects.filter(pk=user.pk, is_active=False).update(is_active=True):
            return
        user.is_active = True
        _user_audit(actor=actor, user=user, what="activated")
    log.info("user_activated", user_id=user.pk)


def user_deactivate(*, actor: User | None, user: User) -> int:
    """Deactivate `user` and end every session it has; return how many sessions ended.

    The authentication backend already refuses inactive users on their next request; deleting
    the sessions as well leaves nothing to resume if the account is reactivated.
    """
    if actor is not None:
        _require_administrator(actor)
        _refuse_self(actor, user)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        ended = [
            session.pk
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
            if session.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        Session.objects.filter(pk__in=ended).delete()
        _user_audit(actor=actor, user=user, what=f"deactivated, {len(ended)} sessions ended")
    log.info("user_deactivated", user_id=user.pk, sessions_ended=len(ended))
    return len(ended)


def second_factor_enrol(*, user: User, name: str = "Authenticator") -> TOTPDevice:
    """Give `user` a confirmed TOTP device (for provisioning outside the enrolment screen)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": name}
    )
    return device


def sign_in_record(*, user: User | None, step: str, succeeded: bool) -> None:
    """Audit one step of signing in or out (NEN 7513: log-ins and failed attempts).

    `step` is "password", "second_factor" or "logout"; "logout: <cause>" records a session the
    application ended (e.g. "logout: session_lifetime"). A failed attempt names the account by
    its id only when it exists; the typed username is never stored.
    """
    if step == "logout" or step.startswith("logout: "):
        action = AuditAction.LOGOUT
    else:
        action = AuditAction.LOGIN if succeeded else AuditAction.LOGIN_FAILED
    with transaction.atomic():
        audit_record(
            actor=user,
            action=action,
            object_type="user",
            object_id=user.pk if user is not None else "",
            result=AuditResult.ALLOWED if succeeded else AuditResult.DENIED,
            reason=step if user is not None else f"{step}: unknown account",
        )


def account_change_check(*, actor: User, user: User) -> None:
    """Raise the refusal a change to `user`'s roles, party or status by `actor` would get."""
    _require_administrator(actor)
    _refuse_self(actor, user)
