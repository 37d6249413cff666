# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of meetings, agenda items and the closing decision. Thin: validate, call one
service or selector, answer."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.cases.api import _written_case
from ketentafel.cases.serializers import (
    CaseOut,
)
from ketentafel.cases.services import Invitation
from ketentafel.cases.services import case_close as case_close_without_meeting
from ketentafel.core import http
from ketentafel.core.api_views import ApiView, with_etag
from ketentafel.meetings import selectors, services
from ketentafel.meetings.serializers import (
    AgendaItemIn,
    AgendaItemOut,
    AgendaRecordIn,
    ClosureIn,
    DecisionOut,
    MeetingIn,
    MeetingOut,
    SessionDecisionIn,
)


class MeetingListView(ApiView):
    @extend_schema(responses={200: MeetingOut(many=True)}, summary="Overleggen")
    def get(self, request: Request) -> Response:
        meetings = selectors.meetings_visible_to(http.actor(request)).select_related("body")
        return Response(MeetingOut(meetings, many=True).data)

    @extend_schema(request=MeetingIn, responses={201: MeetingOut}, summary="Overleg plannen")
    def post(self, request: Request) -> Response:
        data = self.valid(MeetingIn, request)
        meeting = services.meeting_schedule(
            actor=http.actor(request),
            house_id=data["house"],
            body_id=data["body"],
            starts_at=data["starts_at"],
            location=data["location"],
        )
        return Response(MeetingOut(meeting).data, status=status.HTTP_201_CREATED)


class AgendaItemListView(ApiView):
    @extend_schema(request=AgendaItemIn, responses={201: AgendaItemOut}, summary="Casus agenderen")
    def post(self, request: Request, meeting_id: UUID) -> Response:
        data = self.valid(AgendaItemIn, request)
        item = services.agenda_item_add(
            actor=http.actor(request),
            meeting_id=meeting_id,
            case_id=data["case"],
            purpose=data["purpose"],
        )
        return Response(AgendaItemOut(item).data, status=status.HTTP_201_CREATED)


class AgendaItemDetailView(ApiView):
    versioned_read = True

    @extend_schema(responses={200: AgendaItemOut}, summary="Agendapunt inzien")
    def get(self, request: Request, agenda_item_id: UUID) -> Response:
        _access, item = selectors.agenda_item_for(http.actor(request), agenda_item_id)
        return with_etag(Response(AgendaItemOut(item).data), item.version)


class AgendaItemRecordView(ApiView):
    conditional_methods = frozenset({"POST"})

    @extend_schema(
        request=AgendaRecordIn,
        responses={200: AgendaItemOut},
        summary="Verslag en besluiten bij een agendapunt",
    )
    def post(self, request: Request, agenda_item_id: UUID) -> Response:
        data = self.valid(AgendaRecordIn, request)
        item = services.agenda_item_record(
            actor=http.actor(request),
            agenda_item_id=agenda_item_id,
            minutes=data.get("minutes"),
            informs_client=data.get("informs_client"),
            on_arrest=data.get("on_arrest"),
            closure_criteria=data.get("closure_criteria"),
            progress=data.get("progress"),
            case_coordinator_party_id=data.get("case_coordinator_party"),
            case_coordinator_id=data.get("case_coordinator"),
            decisions=[
                services.DecisionInput(d["text"], d["decision_type"]) for d in data["decisions"]
            ],
            expected_version=self.expected_version,
        )
        return with_etag(Response(AgendaItemOut(item).data), item.version)


class MeetingHoldView(ApiView):
    @extend_schema(request=None, responses={200: MeetingOut}, summary="Overleg gehouden")
    def post(self, request: Request, meeting_id: UUID) -> Response:
        meeting = services.meeting_hold(actor=http.actor(request), meeting_id=meeting_id)
        return Response(MeetingOut(meeting).data)


class AgendaItemDecideView(ApiView):
    @extend_schema(
        request=SessionDecisionIn,
        responses={201: DecisionOut},
        summary="Besluit van het overleg over een casus (met zijn gevolg)",
    )
    def post(self, request: Request, agenda_item_id: UUID) -> Response:
        """A decision of a held session: its type's effect moves the case (ADR 0018)."""
        data = self.valid(SessionDecisionIn, request)
        triage = data["triage"]
        decision = services.agenda_item_decide(
            actor=http.actor(request),
            agenda_item_id=agenda_item_id,
            decision_type_id=data["decision_type"],
            text=data["text"],
            referrer_notice=data["referrer_notice"],
            handed_over_to_id=data["handed_over_to"],
            triage=services.TriageInput(
                serious_area_problem=triage["serious_area_problem"],
                system_impact=triage["system_impact"],
                multiple_chains_needed=triage["multiple_chains_needed"],
                multiple_problems=triage["multiple_problems"],
                explanation=triage["explanation"],
                goal=triage["goal"],
                theme_ids=triage["themes"],
                invitations=[
                    Invitation(i["party"], i["role"], i["information_need"], i["justification"])
                    for i in triage["invitations"]
                ],
                municipality_view=triage["municipality_view"],
                referrer_consulted=triage["referrer_consulted"],
                referrer_consulted_on=triage["referrer_consulted_on"],
                referrer_consultation=triage["referrer_consultation"],
            )
            if triage
            else None,
        )
        return Response(DecisionOut(decision).data, status=status.HTTP_201_CREATED)


class ClosureView(ApiView):
    @extend_schema(request=ClosureIn, responses={200: CaseOut}, summary="Afschalen")
    def post(self, request: Request, case_id: UUID) -> Response:
        """Closure as decided in a held meeting (`agenda_item`), or, where the track's process
        closes without one (nazorg), by the case's process coordinator alone."""
        data = self.valid(ClosureIn, request)
        common = {
            "actor": http.actor(request),
            "case_id": case_id,
            "reason": data["reason"],
            "referrer_notice": data["referrer_notice"],
            "handed_over_to_id": data["handed_over_to"],
            "explanation": data["explanation"],
        }
        if data["agenda_item"] is None:
            closure = case_close_without_meeting(**common)
        else:
            closure = services.case_close(agenda_item_id=data["agenda_item"], **common)
        return _written_case(request, closure.case)
