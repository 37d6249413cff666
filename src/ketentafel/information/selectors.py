# SPDX-License-Identifier: EUPL-1.2
"""Reads of information items and requests, scoped to the actor and audited."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.selectors import access_for_read, cases_visible_to
from ketentafel.core.errors import NotFound
from ketentafel.information.models import InformationItem, InformationRequest, RequestStatus
from ketentafel.information.policies import item_visibility_q


def items_visible_in(access: CaseAccess) -> QuerySet[InformationItem]:
    return (
        InformationItem.objects.filter(case=access.case)
        .filter(item_visibility_q(access))
        .select_related("supplier_party", "supplied_by", "track")
        .prefetch_related("shares__party")
        .order_by("life_domain", "supplied_at")
    )


def dossier_for(user: User, case_id: UUID | str) -> tuple[CaseAccess, list[InformationItem]]:
    """The case and the items the user may read in it; one audit event naming the items."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        items = list(items_visible_in(access))
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
