# SPDX-License-Identifier: EUPL-1.2
"""Functional administration of users and their roles, through the accounts services.

Every grant, revocation, party change and (de)activation made here goes through
`accounts.services`, so the rules hold and each is audited: nobody changes their own account
this way, a functional administrator holds no case role, and a granted role waits for a
second person of the house to confirm it (/rollen/bevestigen/). Roles are never deleted:
"delete" on a role revokes it, and the row stays as history.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ketentafel.accounts import services
from ketentafel.accounts.models import HouseRole, User
from ketentafel.accounts.policies import may_administer
from ketentafel.core import http
from ketentafel.core.errors import DomainError


class FunctionalAdminPermissions:
    """Admin permissions from the functional-administrator role instead of Django's perms."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return isinstance(request.user, User) and may_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


class ReadOnlyAdmin(FunctionalAdminPermissions):
    """For rows that come from a region file: edit the file and reload, not the row."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _is_self(request: HttpRequest, obj: User | None) -> bool:
    return obj is not None and obj.pk == request.user.pk


class HouseRoleHistoryInline(FunctionalAdminPermissions, admin.TabularInline[HouseRole, User]):
    """The user's roles with their status; "delete" revokes a role or withdraws a grant."""

    model = HouseRole
    fk_name = "user"
    extra = 0
    verbose_name = _("rol")
    verbose_name_plural = _("rollen en hun geschiedenis")
    fields = (
        "house",
        "role",
        "status_label",
        "valid_until",
        "granted_by",
        "granted_at",
        "confirmed_by",
        "confirmed_at",
        "revoked_by",
        "revoked_at",
    )
    readonly_fields = fields

    @admin.display(description=_("status"))
    def status_label(self, obj: HouseRole) -> str:
        return str(obj.status().label)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and not _is_self(request, obj)


class HouseRoleGrantForm(forms.ModelForm[HouseRole]):
    """A new role; refused here with the service's message, granted in `save_formset`."""

    actor: User
    subject: User

    class Meta:
        model = HouseRole
        fields = ["house", "role", "valid_until"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors or not self.has_changed():
            return cleaned
        house = cleaned.get("house")
        try:
            services.house_role_grant_check(
                actor=self.actor,
                user=self.subject,
                house_id=house.pk if house is not None else None,
                role=cleaned.get("role", ""),
                valid_until=cleaned.get("valid_until"),
            )
        except DomainError as error:
            raise ValidationError(error.message) from error
        return cleaned

    def validate_unique(self) -> None:
        """Uniqueness among unrevoked roles is the service's check, with its message."""


class HouseRoleGrantInline(FunctionalAdminPermissions, admin.TabularInline[HouseRole, User]):
    """Rows to grant new roles; each waits for confirmation by a second person of the house."""

    model = HouseRole
    fk_name = "user"
    form = HouseRoleGrantForm
    extra = 1
    can_delete = False
    autocomplete_fields = ["house"]
    verbose_name = _("nieuwe rol")
    verbose_name_plural = _("nieuwe rollen (gelden pas na bevestiging in het huis)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[HouseRole]:
        return HouseRole.objects.none()

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        actor = http.actor(request)

        class Form(formset.form):  # type: ignore[name-defined]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                self.actor = actor
                self.subject = obj

        formset.form = Form
        return formset


class AccountChangeForm(UserChangeForm[User]):
    """Refuse a change of one's own party or status here, with the service's message."""

    actor: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        watched = {"party", "is_active"} & set(self.changed_data)
        if watched and self.actor is not None:
            try:
                services.account_change_check(actor=self.actor, user=self.instance)
            except DomainError as error:
                raise ValidationError(error.message) from error
        return cleaned


@admin.register(User)
class UserAdmin(FunctionalAdminPermissions, DjangoUserAdmin[User]):
    list_display = ["username", "first_name", "last_name", "party", "is_active"]
    list_filter = ["is_active", "party__kind", "house_roles__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["party"]
    form = AccountChangeForm
    inlines = [HouseRoleHistoryInline, HouseRoleGrantInline]
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name", "email", "party")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = ((None, {"fields": ("username", "party", "password1", "password2")}),)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Accounts are deactivated, not deleted: their roles and audit trail stay."""
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if _is_self(request, obj):
            fields += ["party", "is_active"]
        return fields

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        inlines = super().get_inline_instances(request, obj)
        if _is_self(request, obj):
            return [i for i in inlines if not isinstance(i, HouseRoleGrantInline)]
        return inlines

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "party" in form.base_fields:
            # Everyone but a superuser belongs to a party; superusers come from the shell.
            form.base_fields["party"].required = True
        if issubclass(form, AccountChangeForm):
            form.actor = http.actor(request)
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actor = http.actor(request)
        if not change:
            assert obj.party_id is not None  # required in the add form
            password = form.cleaned_data.get("password1") or None
            if not form.cleaned_data.get("usable_password", True):
                password = None
            created = services.user_create(
                actor=actor,
                username=obj.username,
                password=password,
                party_id=obj.party_id,
                roles=[],
                first_name=obj.first_name,
                last_name=obj.last_name,
                email=obj.email,
            )
            obj.pk = created.pk
            obj.password = created.password
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        stored = User.objects.get(pk=obj.pk)
        party_id, is_active = obj.party_id, obj.is_active
        obj.party_id, obj.is_active = stored.party_id, stored.is_active
        obj.save()
        if party_id != stored.party_id and party_id is not None:
            services.user_party_change(actor=actor, user=obj, party_id=party_id)
        if is_active and not stored.is_active:
            services.user_activate(actor=actor, user=obj)
        elif stored.is_active and not is_active:
            services.user_deactivate(actor=actor, user=obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        actor = http.actor(request)
        subject = form.instance
        if formset.model is not HouseRole:
            super().save_formset(request, form, formset, change)
            return
        # What the admin's change message (its LogEntry) reads; the audit log has the rest.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            deleted = formset.can_delete and row.cleaned_data.get("DELETE", False)
            if deleted and row.instance.pk is not None:
                if row.instance.revoked_at is None:
                    revoked = services.house_role_revoke(actor=actor, house_role_id=row.instance.pk)
                    formset.deleted_objects.append(revoked)
            elif (
                row.instance.pk is None
                and row.has_changed()
                and row.cleaned_data.get("house") is not None
            ):
                granted = services.house_role_grant(
                    actor=actor,
                    user=subject,
                    house_id=row.cleaned_data["house"].pk,
                    role=row.cleaned_data["role"],
                    valid_until=row.cleaned_data.get("valid_until"),
                )
                formset.new_objects.append(granted)
                self.message_user(
                    request,
                    _(
                        "De rol wacht op bevestiging door een locatiemanager of ketenmanager "
                        "van het huis."
                    ),
                    messages.INFO,
                )

    @admin.action(description=_("Deactiveren en alle sessies beëindigen"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = http.actor(request)
        done = 0
        for user in queryset:
            try:
                services.user_deactivate(actor=actor, user=user)
            except DomainError as error:
                self.message_user(request, f"{user.username}: {error.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("Gebruikers gedeactiveerd."), messages.SUCCESS)
