# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints for information requests, items, sharing and disclosure."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.cases.selectors import listing_record
from ketentafel.core import http
from ketentafel.core.api_views import ApiView, with_etag
from ketentafel.information import selectors, services
from ketentafel.information.serializers import (
    ConsentIn,
    ConsentOut,
    DeclineIn,
    DisclosureIn,
    ItemIn,
    ItemOut,
    PreMeetingAssessmentIn,
    PreMeetingAssessmentOut,
    RequestIn,
    RequestOut,
    SharingIn,
)


def _item(request: Request, item_id: UUID, code: int = status.HTTP_200_OK) -> Response:
    actor = http.actor(request)
    _access, item = selectors.get_item_for(actor, item_id)
    response = Response(ItemOut(item, context={"party_id": actor.party_id}).data, status=code)
    return with_etag(response, item.version)


class CaseRequestsView(ApiView):
    @extend_schema(
        request=RequestIn, responses={201: RequestOut}, summary="Informatie opvragen bij een partij"
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(RequestIn, request)
        created = services.information_request_send(
            actor=http.actor(request),
            case_id=case_id,
            party_id=data["party"],
            question=data["question"],
            reason=data["reason"],
            deadline=data["deadline"],
        )
        return Response(RequestOut(created).data, status=status.HTTP_201_CREATED)


class MyRequestsView(ApiView):
    @extend_schema(
        responses={200: RequestOut(many=True)}, summary="Open informatieverzoeken aan mijn partij"
    )
    def get(self, request: Request) -> Response:
        actor = http.actor(request)
        requests = list(selectors.requests_for_party(actor))
        listing_record(
            actor,
            object_type="informationrequest",
            object_ids=[r.pk for r in requests],
            case_ids=[r.case_id for r in requests],
            purpose="information_requests",
        )
        return Response(RequestOut(requests, many=True).data)


class RequestDeclineView(ApiView):
    conditional_methods = frozenset({"POST"})

    @extend_schema(
        request=DeclineIn,
        responses={200: RequestOut},
        summary="Verzoek beantwoorden: geen informatie",
    )
    def post(self, request: Request, request_id: UUID) -> Response:
        data = self.valid(DeclineIn, request)
        answered = services.information_request_decline(
            actor=http.actor(request),
            request_id=request_id,
            note=data["note"],
            expected_version=self.expected_version,
        )
        return with_etag(Response(RequestOut(answered).data), answered.version)


class DossierView(ApiView):
    @extend_schema(
        responses={200: ItemOut(many=True)}, summary="Dossier: de items die uw partij mag zien"
    )
    def get(self, request: Request, case_id: UUID) -> Response:
        actor = http.actor(request)
        _access, items = selectors.dossier_for(actor, case_id)
        return Response(ItemOut(items, many=True, context={"party_id": actor.party_id}).data)

    @extend_schema(request=ItemIn, responses={201: ItemOut}, summary="Informatie aanleveren")
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(ItemIn, request)
        item = services.information_item_supply(
            actor=http.actor(request),
            case_id=case_id,
            life_domain=data["life_domain"],
            text=data["text"],
            legal_basis=data["legal_basis"],
            data_category=data["data_category"],
            sharing=data["sharing"],
            named_party_ids=data["named_parties"],
            request_id=data["request"],
        )
        # The item as supplied, serialized in the write's unit of work (`ApiView`); the supply's
        # audit event records it, so no read is recorded beside it.
        data = ItemOut(item, context={"party_id": http.actor(request).party_id}).data
        return Response(data, status=status.HTTP_201_CREATED)


class ItemView(ApiView):
    versioned_read = True

    @extend_schema(responses={200: ItemOut}, summary="Informatie-item inzien")
    def get(self, request: Request, item_id: UUID) -> Response:
        return _item(request, item_id)


class ItemSharingView(ApiView):
    conditional_methods = frozenset({"PUT"})

    @extend_schema(
        request=SharingIn,
        responses={200: ItemOut},
        summary="Delen wijzigen (alleen de leverancier)",
    )
    def put(self, request: Request, item_id: UUID) -> Response:
        data = self.valid(SharingIn, request)
        services.item_sharing_change(
            actor=http.actor(request),
            item_id=item_id,
            sharing=data["sharing"],
            named_party_ids=data["named_parties"],
            expected_version=self.expected_version,
        )
        return _item(request, item_id)


class PreMeetingAssessmentView(ApiView):
    @extend_schema(
        request=PreMeetingAssessmentIn,
        responses={200: PreMeetingAssessmentOut},
        summary="Beoordelen wat vóór het overleg gelezen mag worden (procesregisseur, art. 13.2d)",
    )
    def put(self, request: Request, item_id: UUID) -> Response:
        data = self.valid(PreMeetingAssessmentIn, request)
        assessment = services.pre_meeting_assess(
            actor=http.actor(request),
            item_id=item_id,
            may_read_before_meeting=data["may_read_before_meeting"],
            consulted_party_id=data["consulted_party"],
            consulted_on=data["consulted_on"],
            assessment=data["assessment"],
        )
        return Response(PreMeetingAssessmentOut(assessment).data)


class ItemConsentView(ApiView):
    @extend_schema(
        request=ConsentIn,
        responses={201: ConsentOut},
        summary="Schriftelijke toestemming voor verstrekking aan een derde",
    )
    def post(self, request: Request, item_id: UUID) -> Response:
        data = self.valid(ConsentIn, request)
        consent = services.disclosure_consent_record(
            actor=http.actor(request), item_id=item_id, **data
        )
        return Response(ConsentOut(consent).data, status=status.HTTP_201_CREATED)


class DisclosureView(ApiView):
    @extend_schema(
        request=DisclosureIn,
        responses={201: ConsentOut},
        summary="Verstrekking aan een derde vastleggen",
    )
    def post(self, request: Request) -> Response:
        data = self.valid(DisclosureIn, request)
        disclosure = services.disclosure_record(
            actor=http.actor(request), consent_id=data["consent"]
        )
        return Response(ConsentOut(disclosure.consent).data, status=status.HTTP_201_CREATED)
