# SPDX-License-Identifier: EUPL-1.2
"""Covenant configuration in the admin: read-only, because the region file is the source."""

from django.contrib import admin

from ketentafel.accounts.admin import ReadOnlyAdmin
from ketentafel.covenants.models import (
    Body,
    Covenant,
    DecisionType,
    House,
    Membership,
    Party,
    Theme,
    Track,
)


@admin.register(Covenant)
class CovenantAdmin(ReadOnlyAdmin, admin.ModelAdmin[Covenant]):
    list_display = ["region", "version", "source_file", "loaded_at"]


@admin.register(House)
class HouseAdmin(ReadOnlyAdmin, admin.ModelAdmin[House]):
    list_display = ["name", "covenant", "location", "is_active"]
    list_filter = ["covenant"]
    search_fields = ["name"]


@admin.register(Party)
class PartyAdmin(ReadOnlyAdmin, admin.ModelAdmin[Party]):
    list_display = ["name", "kind", "chain"]
    list_filter = ["kind", "chain", "memberships__covenant"]
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin, admin.ModelAdmin[Membership]):
    list_display = ["party", "covenant", "is_primary", "status", "joined_on", "ended_on"]
    list_filter = ["covenant", "status", "is_primary"]


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin, admin.ModelAdmin[Body]):
    list_display = ["label", "kind", "covenant", "cadence", "is_active"]
    list_filter = ["covenant", "kind"]


@admin.register(Track)
class TrackAdmin(ReadOnlyAdmin, admin.ModelAdmin[Track]):
    list_display = ["name", "kind", "covenant", "protocol", "is_active"]
    list_filter = ["covenant", "kind"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin, admin.ModelAdmin[Theme]):
    list_display = ["name", "covenant", "is_active"]
    list_filter = ["covenant"]


@admin.register(DecisionType)
class DecisionTypeAdmin(ReadOnlyAdmin, admin.ModelAdmin[DecisionType]):
    list_display = ["label", "covenant", "is_active"]
    list_filter = ["covenant"]
