# SPDX-License-Identifier: EUPL-1.2
"""Reads of information items and requests, scoped to the actor and audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import Q, QuerySet

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.models import OPEN_PHASES
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.selectors import access_for_read, cases_visible_to, listing_record
from ketentafel.core.choices import choice_label
from ketentafel.core.errors import NotFound
from ketentafel.information.models import (
    InformationItem,
    InformationRequest,
    ItemShare,
    RequestStatus,
    Sharing,
)
from ketentafel.information.policies import item_audience, item_visibility_q


def items_visible_in(access: CaseAccess) -> QuerySet[InformationItem]:
    return (
        InformationItem.objects.filter(case=access.case)
        .filter(item_visibility_q(access))
        .select_related("supplier_party", "supplied_by", "track")
        .prefetch_related("shares__party")
        .order_by("life_domain", "supplied_at")
    )


def _dossier_read(
    user: User,
    case_id: UUID | str,
    items_of: Callable[[CaseAccess], QuerySet[InformationItem]],
) -> tuple[CaseAccess, list[InformationItem]]:
    with transaction.atomic():
        access = access_for_read(user, case_id)
        items = list(items_of(access))
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="informationitem",
            object_ids=[i.pk for i in items],
            data_party_ids=[i.supplier_party_id for i in items],
            case_id=access.case.pk,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
        )
    return access, items


def dossier_for(user: User, case_id: UUID | str) -> tuple[CaseAccess, list[InformationItem]]:
    """The case and the items the user may read in it; one audit event naming the items."""
    return _dossier_read(user, case_id, items_visible_in)


def get_item_for(user: User, item_id: UUID | str) -> tuple[CaseAccess, InformationItem]:
    """One item the user may read, audited; 404 when missing or not shared with the user."""
    with transaction.atomic():
        case_id = (
            InformationItem.objects.filter(pk=item_id, case__in=cases_visible_to(user))
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is None:
            raise NotFound("Dit informatie-item bestaat niet of is niet met u gedeeld.")
        access = access_for_read(user, case_id)
        item = items_visible_in(access).filter(pk=item_id).first()
        if item is None:
            # The refusal is recorded where the request leaves (audit.boundary), after this
            # transaction has rolled back.
            raise NotFound("Dit informatie-item bestaat niet of is niet met u gedeeld.")
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="informationitem",
            object_id=item.pk,
            data_party_ids=[item.supplier_party_id],
            case_id=case_id,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
        )
    return access, item


def requests_for_party(user: User, *, open_only: bool = True) -> QuerySet[InformationRequest]:
    """Information requests addressed to the user's party in cases the user may see."""
    requests = InformationRequest.objects.filter(
        party_id=user.party_id or 0, case__in=cases_visible_to(user)
    )
    if open_only:
        requests = requests.filter(status=RequestStatus.OPEN)
    return requests.select_related("case", "party").order_by("deadline")


def requests_of_case(access: CaseAccess) -> QuerySet[InformationRequest]:
    return access.case.information_requests.select_related("party").order_by("deadline")


# Screens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestOverview:
    """Requests addressed to the user's party, and those in the cases the user coordinates."""

    to_my_party: list[InformationRequest]
    coordinated: list[InformationRequest]


def request_overview_for(user: User, *, limit: int = 50) -> RequestOverview:
    to_party = list(requests_for_party(user, open_only=True)[:limit])
    coordinated = list(
        InformationRequest.objects.filter(
            Q(case__process_coordinator=user) | Q(case__information_coordinator=user),
            case__in=cases_visible_to(user),
            case__phase__in=OPEN_PHASES,
        )
        .select_related("case", "party")
        .order_by("party__name", "deadline")[:limit]
    )
    every = {r.pk: r for r in [*to_party, *coordinated]}
    listing_record(
        user,
        object_type="informationrequest",
        object_ids=list(every),
        case_ids=[r.case_id for r in every.values()],
        purpose="information_requests",
    )
    return RequestOverview(to_party, coordinated)


def request_for(user: User, request_id: UUID | str) -> tuple[CaseAccess, InformationRequest]:
    """One request to the user's party, audited; 404 for anyone else's."""
    with transaction.atomic():
        request = (
            InformationRequest.objects.filter(
                pk=request_id, party_id=user.party_id or 0, case__in=cases_visible_to(user)
            )
            .select_related("requested_by", "party")
            .first()
        )
        if request is None:
            raise NotFound("Dit informatieverzoek bestaat niet of is niet aan uw partij gericht.")
        access = access_for_read(user, request.case_id)
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="informationrequest",
            object_id=request.pk,
            case_id=access.case.pk,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
        )
    return access, request


def case_requests_for(
    user: User, case_id: UUID | str
) -> tuple[CaseAccess, list[InformationRequest]]:
    """The requests of a case, for its process and information coordinator only."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        if not access.is_assigned_coordinator:
            raise NotFound("Alleen de procesregie van de casus ziet haar informatieverzoeken.")
        requests = list(requests_of_case(access))
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="informationrequest",
            object_ids=[r.pk for r in requests],
            case_id=access.case.pk,
            house_id=access.case.house_id,
            person_ids=[p.pk for p in access.case.persons.all()],
            role=access.role_label,
            purpose=access.case.track.slug,
        )
    return access, requests


@dataclass(frozen=True)
class SupplierGroup:
    supplier: str
    items: list[tuple[InformationItem, str]]


@dataclass(frozen=True)
class DomainGroup:
    domain: str
    suppliers: list[SupplierGroup]


@dataclass(frozen=True)
class DossierSheet:
    access: CaseAccess
    groups: list[DomainGroup]
    party_id: int | None


def _audience(access: CaseAccess, item: InformationItem, participants: list[str]) -> str:
    return item_audience(
        sharing=item.sharing,
        supplier=item.supplier_party.name,
        participants=participants,
        named=[share.party.name for share in item.shares.all()],
        is_discussed=access.case.first_discussed_at is not None,
    )


def _sheet_items(access: CaseAccess) -> QuerySet[InformationItem]:
    """The items `items_visible_in` returns, with only the fields the dossier screen shows."""
    return (
        InformationItem.objects.filter(case=access.case)
        .filter(item_visibility_q(access))
        .select_related("supplier_party")
        .only(
            "id",
            "supplier_party__name",
            "life_domain",
            "text",
            "legal_basis",
            "data_category",
            "sharing",
            "supplied_at",
        )
        .order_by("life_domain", "supplied_at")
    )


def dossier_sheet_for(user: User, case_id: UUID | str) -> DossierSheet:
    """The dossier as a screen shows it: the items the user may read, grouped by life domain
    and supplier, each with who may read it. Recorded as `dossier_for` records it."""
    access, items = _dossier_read(user, case_id, _sheet_items)
    participants = [
        cp.party.name for cp in access.case.case_parties.select_related("party").order_by("pk")
    ]
    # The parties named on the named items, in one query instead of a prefetch per item.
    named: dict[UUID, list[str]] = {}
    named_ids = [i.pk for i in items if i.sharing == Sharing.NAMED]
    if named_ids:
        for item_id, party in (
            ItemShare.objects.filter(item_id__in=named_ids)
            .order_by("pk")
            .values_list("item_id", "party__name")
        ):
            named.setdefault(item_id, []).append(party)
    is_discussed = access.case.first_discussed_at is not None
    # Items of one supplier with the same sharing (and named parties) read the same words, so
    # each text is made once per page rather than once per item.
    audiences: dict[tuple[str, str, tuple[str, ...]], str] = {}
    by_domain: dict[str, dict[str, list[tuple[InformationItem, str]]]] = {}
    for item in sorted(items, key=lambda i: (i.life_domain, i.supplier_party.name, i.supplied_at)):
        supplier = item.supplier_party.name
        key = (item.sharing, supplier, tuple(named.get(item.pk, ())))
        audience = audiences.get(key)
        if audience is None:
            audience = audiences[key] = item_audience(
                sharing=item.sharing,
                supplier=supplier,
                participants=participants,
                named=list(key[2]),
                is_discussed=is_discussed,
            )
        by_domain.setdefault(choice_label(item, "life_domain"), {}).setdefault(supplier, []).append(
            (item, audience)
        )
    groups = [
        DomainGroup(domain, [SupplierGroup(s, entries) for s, entries in suppliers.items()])
        for domain, suppliers in by_domain.items()
    ]
    return DossierSheet(access, groups, user.party_id)


def item_sheet_for(user: User, item_id: UUID | str) -> tuple[CaseAccess, InformationItem, str]:
    """One item with who may read it; audited by `get_item_for`."""
    access, item = get_item_for(user, item_id)
    participants = [
        cp.party.name for cp in access.case.case_parties.select_related("party").order_by("pk")
    ]
    return access, item, _audience(access, item, participants)


def own_items_for(user: User, *, limit: int = 300) -> list[InformationItem]:
    """Items the user's party supplied, in cases it may see, with how each is shared."""
    with transaction.atomic():
        items = list(
            InformationItem.objects.filter(
                supplier_party_id=user.party_id or 0, case__in=cases_visible_to(user)
            )
            .select_related("case", "supplier_party", "supplied_by")
            .prefetch_related("shares__party", "case__persons")
            .order_by("-supplied_at")[:limit]
        )
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="informationitem",
            object_ids=[i.pk for i in items],
            data_party_ids=[user.party_id] if user.party_id and items else [],
            person_ids=[p.pk for i in items for p in i.case.persons.all()],
            purpose="own_items",
        )
    return items
