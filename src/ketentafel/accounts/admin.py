# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ketentafel.accounts.models import HouseRole, User
from ketentafel.accounts.policies import may_administer
from ketentafel.accounts.services import user_deactivate


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


class HouseRoleInline(FunctionalAdminPermissions, admin.TabularInline[HouseRole, User]):
    model = HouseRole
    extra = 1
    autocomplete_fields = ["house"]


@admin.register(User)
class UserAdmin(FunctionalAdminPermissions, DjangoUserAdmin[User]):
    list_display = ["username", "first_name", "last_name", "party", "is_active"]
    list_filter = ["is_active", "party__kind", "house_roles__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["party"]
    inlines = [HouseRoleInline]
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name", "email", "party")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    add_fieldsets = ((None, {"fields": ("username", "party", "password1", "password2")}),)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            user_deactivate(user=obj)

    @admin.action(description=_("Deactiveren en alle sessies beëindigen"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_deactivate(user=user)
        self.message_user(request, _("Gebruikers gedeactiveerd."), messages.SUCCESS)
