# SPDX-License-Identifier: EUPL-1.2
"""Reads of information items and requests, scoped to the actor and audited."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import OPEN_PHASES, Case
from ketentafel.cases.policies import CaseAccess, coordinated_by_q
from ketentafel.cases.selectors import (
    access_for_item_read,
    access_for_read,
    cases_visible_to,
    listing_record,
)
from ketentafel.core.choices import label_for
from ketentafel.core.errors import NotFound
from ketentafel.core.links import link_for_each
from ketentafel.covenants.models import Party
from ketentafel.information.models import (
    InformationItem,
    InformationRequest,
    ItemShare,
    PreMeetingAssessment,
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


def _dossier_record(user: User, access: CaseAccess, supplied: list[tuple[UUID, int]]) -> None:
    """The search event of a dossier read, naming each item returned (id, supplier party)."""
    case_audit(
        access,
        AuditAction.SEARCH,
        object_type="informationitem",
        object_ids=[item_id for item_id, _party_id in supplied],
        data_party_ids=[party_id for _item_id, party_id in supplied],
    )


def dossier_for(user: User, case_id: UUID | str) -> tuple[CaseAccess, list[InformationItem]]:
    """The case and the items the user may read in it; one audit event naming the items."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        items = list(items_visible_in(access))
        _dossier_record(user, access, [(i.pk, i.supplier_party_id) for i in items])
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
            raise NotFound(_("Dit informatie-item bestaat niet of is niet met u gedeeld."))
        access = access_for_read(user, case_id)
        item = items_visible_in(access).filter(pk=item_id).first()
        if item is None:
            # The refusal is recorded where the request leaves (audit.boundary), after this
            # transaction has rolled back.
            raise NotFound(_("Dit informatie-item bestaat niet of is niet met u gedeeld."))
        case_audit(
            access,
            AuditAction.READ,
            object_type="informationitem",
            object_id=item.pk,
            data_party_ids=[item.supplier_party_id],
        )
    return access, item


def requests_for_party(
    user: User, *, open_only: bool = True, visible: QuerySet[Case] | None = None
) -> QuerySet[InformationRequest]:
    """Information requests addressed to the user's party in cases the user may see
    (`visible`, when the caller has `cases_visible_to(user)` already)."""
    requests = InformationRequest.objects.filter(
        party_id=user.party_id or 0,
        case__in=cases_visible_to(user) if visible is None else visible,
    )
    if open_only:
        requests = requests.filter(status=RequestStatus.OPEN)
    return requests.select_related("case", "party").order_by("deadline")


def requests_of_case(access: CaseAccess) -> QuerySet[InformationRequest]:
    return access.case.information_requests.select_related("party").order_by("deadline")


# Screens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    """One information request as the requests screen shows it, its texts ready.

    The screen lists up to 100 requests; as model instances with their whole case, and with
    a `{% url %}`, `|date` and `{% translate %}` per row, they cost more than the queries that
    read them (docs/performance.md, pages)."""

    pk: UUID
    url: str  # the answer page (to the user's party) or the case's requests (coordinated)
    question: str  # shortened as `truncatechars:120` shows it
    deadline: str  # dd-mm-yyyy
    status: str
    is_open: bool
    is_overdue: bool  # open and past its deadline, by the local date


@dataclass(frozen=True)
class PartyRequests:
    party: str
    rows: list[RequestRow]


@dataclass(frozen=True)
class RequestOverview:
    """Requests addressed to the user's party, and those in the cases the user coordinates
    grouped by the party asked."""

    to_my_party: list[RequestRow]
    coordinated: list[PartyRequests]


def _question(text: str, length: int = 120) -> str:
    """`text` as `|truncatechars:length` shows it; most questions are shorter and only
    normalised."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= length else Truncator(text).chars(length)


def _request_rows(
    values: list[tuple[UUID, UUID, str, datetime.date, str]],
    url: Callable[[UUID, UUID], str],
    today: datetime.date,
) -> list[RequestRow]:
    return [
        RequestRow(
            pk=pk,
            url=url(pk, case_id),
            question=_question(question),
            deadline=deadline.strftime("%d-%m-%Y"),
            status=str(label_for(InformationRequest, "status", status)),
            is_open=status == RequestStatus.OPEN,
            is_overdue=status == RequestStatus.OPEN and deadline < today,
        )
        for pk, case_id, question, deadline, status in values
    ]


def request_overview_for(user: User, *, limit: int = 50) -> RequestOverview:
    """The requests screen: the open requests to the user's party, soonest deadline first,
    and the requests of open cases the user coordinates; one search event naming both."""
    visible = cases_visible_to(user)
    shown = ("pk", "case_id", "question", "deadline", "status")
    to_party = list(requests_for_party(user, visible=visible).values_list(*shown)[:limit])
    # The coordinator's open cases first (the partial indexes `case_open_process_coord` and
    # `case_open_info_coord`): filtering requests by an OR over their case's two coordinator
    # columns made PostgreSQL read every case, 130-290 ms (docs/performance.md, pages).
    own_cases = list(
        Case.objects.filter(coordinated_by_q(user), phase__in=OPEN_PHASES).values_list(
            "pk", flat=True
        )
    )
    coordinated = list(
        InformationRequest.objects.filter(case_id__in=own_cases, case__in=visible)
        # The id breaks ties of a deadline, so the rows shown and recorded stay the same from
        # one visit to the next.
        .order_by("party__name", "deadline", "pk")
        .values_list(*shown, "party__name")[:limit]
    )
    every = {row[0]: row[1] for row in [*to_party, *coordinated]}
    listing_record(
        user,
        object_type="informationrequest",
        object_ids=list(every),
        case_ids=list(every.values()),
        purpose="information_requests",
    )
    today = timezone.localdate()
    answer_url = link_for_each("information:request")
    case_url = link_for_each("information:case-requests")
    return RequestOverview(
        _request_rows(to_party, lambda pk, _case_id: answer_url(pk), today),
        [
            PartyRequests(
                party,
                _request_rows(
                    [row[:5] for row in rows], lambda _pk, case_id: case_url(case_id), today
                ),
            )
            for party, rows in groupby(coordinated, key=lambda row: row[5])
        ],
    )


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
            raise NotFound(
                _("Dit informatieverzoek bestaat niet of is niet aan uw partij gericht.")
            )
        access = access_for_read(user, request.case_id)
        case_audit(access, AuditAction.READ, object_type="informationrequest", object_id=request.pk)
    return access, request


def case_requests_for(
    user: User, case_id: UUID | str
) -> tuple[CaseAccess, list[InformationRequest]]:
    """The requests of a case, for its process and information coordinator only."""
    with transaction.atomic():
        access = access_for_read(user, case_id)
        if not access.is_assigned_coordinator:
            raise NotFound(_("Alleen de procesregie van de casus ziet haar informatieverzoeken."))
        requests = list(requests_of_case(access))
        case_audit(
            access,
            AuditAction.SEARCH,
            object_type="informationrequest",
            object_ids=[r.pk for r in requests],
        )
    return access, requests


@dataclass(frozen=True)
class DossierItem:
    """One item as the dossier shows it, its texts ready.

    A dossier holds up to a hundred items or more; as model instances with a `|date`, a
    choice label, a `{% url %}` and an `{% include %}` each, they cost more to show than the
    queries that read them (docs/performance.md, pages)."""

    pk: UUID
    supplied_on: str  # the local date it was supplied, dd-mm-yyyy as every screen shows dates
    data_category: str
    text: str
    legal_basis: str
    audience: str  # who may read it, in words (art. 17.4)
    sharing_url: str  # where the supplier's party changes the sharing; "" for anyone else
    # Where the case's process coordinator assesses pre-meeting reading (art. 13.2d); "" else.
    assessment_url: str = ""


@dataclass(frozen=True)
class SupplierGroup:
    supplier: str
    items: list[DossierItem]


@dataclass(frozen=True)
class DomainGroup:
    domain: str
    suppliers: list[SupplierGroup]


@dataclass(frozen=True)
class DossierSheet:
    access: CaseAccess
    groups: list[DomainGroup]


def _audience(access: CaseAccess, item: InformationItem, participants: list[str]) -> str:
    assessment = PreMeetingAssessment.objects.filter(item=item).first()
    return item_audience(
        sharing=item.sharing,
        supplier=item.supplier_party.name,
        participants=participants,
        named=[share.party.name for share in item.shares.all()],
        is_discussed=access.case.first_discussed_at is not None,
        assessed=assessment.may_read_before_meeting if assessment else None,
    )


def dossier_sheet_for(user: User, case_id: UUID | str) -> DossierSheet:
    """The dossier as a screen shows it: the items the user may read, grouped by life domain
    and supplier, each with who may read it. Reads and records the items `dossier_for` does,
    as values rather than model instances."""
    with transaction.atomic():
        access = access_for_item_read(user, case_id)
        items = list(
            InformationItem.objects.filter(case=access.case)
            .filter(item_visibility_q(access))
            .order_by("life_domain", "supplied_at")
            .values_list(
                "pk",
                "supplier_party_id",
                "supplier_party__name",
                "life_domain",
                "text",
                "legal_basis",
                "data_category",
                "sharing",
                "supplied_at",
                "pre_meeting_assessment__may_read_before_meeting",
            )
        )
        _dossier_record(user, access, [(item[0], item[1]) for item in items])
    participants = list(
        access.case.case_parties.order_by("pk").values_list("party__name", flat=True)
    )
    # The parties named on the named items, in one query instead of a prefetch per item.
    named: dict[UUID, list[str]] = {}
    named_ids = [item[0] for item in items if item[7] == Sharing.NAMED]
    if named_ids:
        for item_id, party in (
            ItemShare.objects.filter(item_id__in=named_ids)
            .order_by("pk")
            .values_list("item_id", "party__name")
        ):
            named.setdefault(item_id, []).append(party)
    is_discussed = access.case.first_discussed_at is not None
    sharing_url = link_for_each("information:item-sharing")
    assessment_url = link_for_each("information:item-assessment")
    assesses = access.is_process_coordinator and not is_discussed
    # The language and the time zone are looked up once per page, not three times per item.
    domain_of = {
        value: str(label_for(InformationItem, "life_domain", value))
        for value in {i[3] for i in items}
    }
    category_of = {
        value: str(label_for(InformationItem, "data_category", value))
        for value in {i[6] for i in items}
    }
    zone = timezone.get_current_timezone()
    # Items of one supplier with the same sharing (and named parties) read the same words, so
    # each text is made once per page rather than once per item.
    audiences: dict[tuple[str, str, tuple[str, ...], bool | None], str] = {}
    by_domain: dict[str, dict[str, list[DossierItem]]] = {}
    for (
        pk,
        supplier_id,
        supplier,
        life_domain,
        text,
        legal_basis,
        data_category,
        sharing,
        supplied_at,
        assessed,
    ) in sorted(items, key=lambda item: (item[3], item[2], item[8])):
        key = (sharing, supplier, tuple(named.get(pk, ())), assessed)
        audience = audiences.get(key)
        if audience is None:
            audience = audiences[key] = item_audience(
                sharing=sharing,
                supplier=supplier,
                participants=participants,
                named=list(key[2]),
                is_discussed=is_discussed,
                assessed=assessed,
            )
        by_domain.setdefault(domain_of[life_domain], {}).setdefault(supplier, []).append(
            DossierItem(
                pk=pk,
                supplied_on=timezone.localtime(supplied_at, zone).strftime("%d-%m-%Y"),
                data_category=category_of[data_category],
                text=text,
                legal_basis=legal_basis,
                audience=audience,
                sharing_url=sharing_url(pk) if supplier_id == user.party_id else "",
                assessment_url=assessment_url(pk)
                if assesses and sharing == Sharing.PRE_MEETING
                else "",
            )
        )
    groups = [
        DomainGroup(domain, [SupplierGroup(s, entries) for s, entries in suppliers.items()])
        for domain, suppliers in by_domain.items()
    ]
    return DossierSheet(access, groups)


def item_sheet_for(user: User, item_id: UUID | str) -> tuple[CaseAccess, InformationItem, str]:
    """One item with who may read it; audited by `get_item_for`."""
    access, item = get_item_for(user, item_id)
    participants = [
        cp.party.name for cp in access.case.case_parties.select_related("party").order_by("pk")
    ]
    return access, item, _audience(access, item, participants)


def pre_meeting_sheet_for(
    user: User, item_id: UUID | str
) -> tuple[CaseAccess, InformationItem, str, PreMeetingAssessment | None]:
    """One item with who may read it and the process coordinator's assessment of reading it
    before the meeting (art. 13.2d), beside the supplier's choice; audited by `get_item_for`."""
    access, item, audience = item_sheet_for(user, item_id)
    assessment = (
        PreMeetingAssessment.objects.filter(item=item)
        .select_related("consulted_party", "assessed_by")
        .first()
    )
    return access, item, audience, assessment


def consultable_parties(access: CaseAccess) -> QuerySet[Party]:
    """The parties the process coordinator consults on pre-meeting reading (art. 13.2d): the
    one that referred the case and the one that holds its casusregie."""
    case = access.case
    return Party.objects.filter(
        pk__in=[p for p in (case.referring_party_id, case.case_coordinator_party_id) if p]
    ).order_by("name")


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
