# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of the case process. Thin: validate, call one service or selector, answer."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.audit.services import audit_listing
from ketentafel.cases import selectors, services
from ketentafel.cases.models import Case
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.serializers import (
    CaseListOut,
    CaseOut,
    CasePartyOut,
    CaseQueryIn,
    IntakeIn,
    InvitationIn,
    KnownElsewhereOut,
    ReferralIn,
    TriageDecisionOut,
    TriageIn,
)
from ketentafel.cases.workflow import allowed_transitions
from ketentafel.core import http
from ketentafel.core.api import BoundedCursorPagination
from ketentafel.core.api_views import ApiView


def _case_context(access: CaseAccess) -> dict[str, Any]:
    return {
        "allowed_transitions": allowed_transitions(access),
        "triage_outcome": selectors.triage_outcome_for(access),
        "closure_notice": selectors.closure_notice_for(access),
    }


def _case_response(request: Request, case_id: UUID, code: int = status.HTTP_200_OK) -> Response:
    access = selectors.get_case_for(http.actor(request), case_id)
    data = CaseOut(access.case, context=_case_context(access)).data
    return Response(data, status=code)


def _written_case(request: Request, case: Case, code: int = status.HTTP_200_OK) -> Response:
    """The answer to a write of a case: the case the service wrote, serialized in the write's
    unit of work (`ApiView`), never read back after the commit. The write's own audit event
    names the actor, the case and its persons, so no read is recorded beside it."""
    access = selectors.access_for_read(http.actor(request), case.pk)
    data = CaseOut(case, context=_case_context(access)).data
    return Response(data, status=code)


class CasePagination(BoundedCursorPagination):
    ordering = ("-referred_at", "-id")
    page_size = 50
    max_page_size = 200


class CaseListView(ApiView):
    pagination_class = CasePagination

    @extend_schema(
        parameters=[CaseQueryIn],
        responses={200: CaseListOut(many=True)},
        summary="Mijn casussen",
        description="De casussen waarin u een rol heeft, de laatst aangemelde eerst.",
    )
    def get(self, request: Request) -> Response:
        actor = http.actor(request)
        cases = (
            selectors.cases_visible_to(actor)
            .select_related("house", "track")
            .prefetch_related("persons")
        )
        query = CaseQueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        if phase := query.validated_data.get("phase"):
            cases = cases.filter(phase=phase)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(cases, request, view=self) or []
        audit_listing(
            actor,
            object_type="case",
            object_ids=[c.pk for c in page],
            person_ids=[p.pk for c in page for p in c.persons.all()],
            purpose="case_list",
        )
        return paginator.get_paginated_response(CaseListOut(page, many=True).data)

    @extend_schema(request=ReferralIn, responses={201: CaseOut}, summary="Casus aanmelden")
    def post(self, request: Request) -> Response:
        data = self.valid(ReferralIn, request)
        case = services.case_refer(
            actor=http.actor(request),
            house_id=data["house"],
            track_id=data["track"],
            subject_kind=data["subject_kind"],
            persons=[services.PersonInput(**p) for p in data["persons"]],
            area_description=data["area_description"],
            municipality_id=data["municipality"],
            problem_statement=data["problem_statement"],
            goal=data["goal"],
            theme_ids=data["themes"],
            advice_request_id=data["advice_request"],
        )
        return _written_case(request, case, status.HTTP_201_CREATED)


class CaseDetailView(ApiView):
    @extend_schema(responses={200: CaseOut}, summary="Casus inzien")
    def get(self, request: Request, case_id: UUID) -> Response:
        return _case_response(request, case_id)


class IntakeView(ApiView):
    @extend_schema(request=IntakeIn, responses={200: CaseOut}, summary="Intake starten")
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(IntakeIn, request)
        case = services.intake_start(
            actor=http.actor(request),
            case_id=case_id,
            information_coordinator_id=data.get("information_coordinator"),
        )
        return _written_case(request, case)


class AlreadyKnownView(ApiView):
    @extend_schema(
        responses={200: KnownElsewhereOut(many=True)}, summary="Elders bekend (zonder inhoud)"
    )
    def get(self, request: Request, case_id: UUID) -> Response:
        found = selectors.already_known_for(http.actor(request), case_id)
        return Response(KnownElsewhereOut(found, many=True).data)


class CasePartyView(ApiView):
    @extend_schema(
        request=InvitationIn,
        responses={201: CasePartyOut},
        summary="Partij uitnodigen (rol en informatiebehoefte)",
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(InvitationIn, request)
        participant = services.case_party_invite(
            actor=http.actor(request),
            case_id=case_id,
            party_id=data["party"],
            role=data["role"],
            information_need=data["information_need"],
        )
        return Response(CasePartyOut(participant).data, status=status.HTTP_201_CREATED)


class TriageSubmitView(ApiView):
    @extend_schema(request=None, responses={200: CaseOut}, summary="Aanbieden voor triage")
    def post(self, request: Request, case_id: UUID) -> Response:
        case = services.triage_submit(actor=http.actor(request), case_id=case_id)
        return _written_case(request, case)


class TriageDecisionView(ApiView):
    @extend_schema(request=TriageIn, responses={201: TriageDecisionOut}, summary="Triagebesluit")
    def post(self, request: Request, case_id: UUID) -> Response:
        """The decision is the answer: triage staff see the case only while it is in triage."""
        data = self.valid(TriageIn, request)
        decision = services.triage_decide(
            actor=http.actor(request),
            case_id=case_id,
            serious_area_problem=data["serious_area_problem"],
            system_impact=data["system_impact"],
            multiple_chains_needed=data["multiple_chains_needed"],
            multiple_problems=data["multiple_problems"],
            outcome=data["outcome"],
            explanation=data["explanation"],
            goal=data["goal"],
            theme_ids=data["themes"],
            invitations=[
                services.Invitation(
                    i["party"], i["role"], i["information_need"], i["justification"]
                )
                for i in data["invitations"]
            ],
            municipality_view=data["municipality_view"],
            referrer_consulted=data["referrer_consulted"],
            referrer_consulted_on=data["referrer_consulted_on"],
            referrer_consultation=data["referrer_consultation"],
        )
        return Response(TriageDecisionOut(decision).data, status=status.HTTP_201_CREATED)
