# SPDX-License-Identifier: EUPL-1.2
"""Reads of advice questions, scoped to the actor: fetching and authorising in one call."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import CASE_ROLES, Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.advice.workflow import ADVICE_REQUEST
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_listing, audit_record
from ketentafel.core.choices import label_for
from ketentafel.core.errors import NotFound
from ketentafel.core.links import link_for_each

# Advice requests --------------------------------------------------------------------------
# An advice request (adviesvraag, Gelderland-Midden Bijlage 3 "Adviesfase") holds no person
# rows, only the question and the advice as free text: its reads name the request, and the
# case it led to, but no person id.


def advice_requests_visible_to(user: User) -> QuerySet[AdviceRequest]:
    """The advice requests `user` may read, filtered in the database: every request of the
    houses where it is process coordinator (they answer them), and the requests its own party
    asked in houses where it holds a case role (to read the advice given)."""
    if not user.is_active or user.party_id is None:
        return AdviceRequest.objects.none()
    roles = list(roles_in_force(user).filter(role__in=CASE_ROLES).values_list("house_id", "role"))
    working = sorted({house for house, _role in roles})
    if not working:
        return AdviceRequest.objects.none()
    coordinated = sorted({house for house, role in roles if role == Role.PROCESS_COORDINATOR})
    return AdviceRequest.objects.filter(
        Q(house_id__in=coordinated) | Q(house_id__in=working, requesting_party_id=user.party_id)
    )


def _age_in_days(moment: datetime.datetime, today: datetime.date) -> int:
    return (today - timezone.localdate(moment)).days


@dataclass(frozen=True)
class AdviceRow:
    """One advice request as the advice list shows it, its texts ready."""

    pk: UUID
    url: str
    house: str
    requesting_party: str
    question: str
    recorded_on: str  # dd-mm-yyyy
    age_days: int  # days since it was recorded (open requests)
    outcome: str
    advice: str
    concluded_on: str  # dd-mm-yyyy, or "" while open
    case_url: str  # the case it was referred as, or ""


@dataclass(frozen=True)
class AdviceOverview:
    """The open advice requests, longest waiting first, and the most recently concluded."""

    open: list[AdviceRow]
    concluded: list[AdviceRow]


def _advice_rows(requests: QuerySet[AdviceRequest], today: datetime.date) -> list[AdviceRow]:
    advice_url = link_for_each("advice:detail")
    case_url = link_for_each("cases:detail")
    return [
        AdviceRow(
            pk=pk,
            url=advice_url(pk),
            house=house,
            requesting_party=party,
            question=question,
            recorded_on=timezone.localtime(created_at).strftime("%d-%m-%Y"),
            age_days=_age_in_days(created_at, today),
            outcome=str(label_for(AdviceRequest, "outcome", outcome)),
            advice=advice,
            concluded_on=(
                timezone.localtime(concluded_at).strftime("%d-%m-%Y") if concluded_at else ""
            ),
            case_url=case_url(case_id) if case_id else "",
        )
        for pk, house, party, question, created_at, outcome, advice, concluded_at, case_id in (
            requests.values_list(
                "pk",
                "house__name",
                "requesting_party__name",
                "question",
                "created_at",
                "outcome",
                "advice",
                "concluded_at",
                "case_id",
            )
        )
    ]


def advice_overview_for(
    user: User, *, open_limit: int = 200, concluded_limit: int = 25
) -> AdviceOverview:
    """The advice requests the user may read: open ones oldest first (the process
    coordinator's to conclude), then the `concluded_limit` most recently concluded. Recorded
    as one search naming every request shown."""
    today = timezone.localdate()
    visible = advice_requests_visible_to(user)
    opened = _advice_rows(
        visible.filter(outcome=AdviceOutcome.OPEN).order_by("created_at", "id")[:open_limit],
        today,
    )
    concluded = _advice_rows(
        visible.exclude(outcome=AdviceOutcome.OPEN).order_by("-concluded_at", "-id")[
            :concluded_limit
        ],
        today,
    )
    audit_listing(
        user,
        object_type="advicerequest",
        object_ids=[str(row.pk) for row in [*opened, *concluded]],
        purpose="advice_list",
    )
    return AdviceOverview(open=opened, concluded=concluded)


@dataclass(frozen=True)
class AdviceSheet:
    """One advice request, with what the reader may do with it."""

    advice: AdviceRequest
    age_days: int
    may_conclude: bool  # a process coordinator of the house, while it is open
    may_refer: bool  # the house's process coordinator or the asking party, while it is open


def advice_request_for(user: User, advice_id: UUID | str) -> AdviceSheet:
    """One advice request the user may read, recording the read; 404 otherwise."""
    with transaction.atomic():
        advice = (
            advice_requests_visible_to(user)
            .select_related("house", "requesting_party", "recorded_by")
            .filter(pk=advice_id)
            .first()
        )
        if advice is None:
            raise NotFound(_("Deze adviesvraag bestaat niet of u kunt haar niet inzien."))
        coordinates = (
            roles_in_force(user)
            .filter(house_id=advice.house_id, role=Role.PROCESS_COORDINATOR)
            .exists()
        )
        audit_record(
            actor=user,
            action=AuditAction.READ,
            object_type="advicerequest",
            object_id=advice.pk,
            case_id=advice.case_id or "",
            house_id=advice.house_id,
            role=Role.PROCESS_COORDINATOR if coordinates else Role.PARTNER_PROFESSIONAL,
            purpose="advice",
        )
    is_open = "conclude" in ADVICE_REQUEST.allowed_steps(advice)
    return AdviceSheet(
        advice=advice,
        age_days=_age_in_days(advice.created_at, timezone.localdate()),
        may_conclude=is_open and coordinates,
        may_refer=is_open and (coordinates or advice.requesting_party_id == user.party_id),
    )
