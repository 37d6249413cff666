# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of privacy operations under /api/v1/privacy/ (privacy officers; open-case
flags for process coordinators; security incidents: `incidents.api`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.core import http
from ketentafel.core.api_views import ApiView, with_etag
from ketentafel.privacy import selectors, services
from ketentafel.privacy.export import export_response
from ketentafel.privacy.models import RequestStatus
from ketentafel.privacy.serializers import (
    DeletionRecordOut,
    ExportQueryIn,
    ExtendIn,
    FlagOut,
    NoticeIn,
    NoticeOut,
    StatusIn,
    SubjectRequestIn,
    SubjectRequestOut,
)


def valid_query(serializer_class: Any, request: Request) -> dict[str, Any]:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _request(request: Request, request_id: UUID, code: int = status.HTTP_200_OK) -> Response:
    _scope, found = selectors.get_request_for(http.actor(request), request_id)
    return with_etag(Response(SubjectRequestOut(found).data, status=code), found.version)


def written(serializer_class: Any, obj: Any, code: int = status.HTTP_200_OK) -> Response:
    """The answer to a write: the object the service wrote, serialized in the write's unit of
    work (`ApiView`), never read back after the commit; the write's audit event records it. A
    versioned record's answer carries its new version as the `ETag`."""
    response = Response(serializer_class(obj).data, status=code)
    version = getattr(obj, "version", None)
    return response if version is None else with_etag(response, int(version))


class DeletionRecordListView(ApiView):
    @extend_schema(
        responses={200: DeletionRecordOut(many=True)},
        summary="Vernietigingsverklaringen van de purge (zonder persoonsgegevens)",
    )
    def get(self, request: Request) -> Response:
        actor = http.actor(request)
        records = list(selectors.deletion_records_for(actor)[:500])
        selectors.listing_record(actor, "deletionrecord", [r.case_id for r in records])
        return Response(DeletionRecordOut(records, many=True).data)


class OpenCaseFlagsView(ApiView):
    @extend_schema(
        responses={200: FlagOut(many=True)},
        summary="Mijn open casussen die hun maximale duur naderen of passeerden",
    )
    def get(self, request: Request) -> Response:
        flags = selectors.open_case_flags_for(http.actor(request))
        return Response(FlagOut(flags, many=True).data)


class RequestListView(ApiView):
    @extend_schema(
        responses={200: SubjectRequestOut(many=True)}, summary="Verzoeken van betrokkenen"
    )
    def get(self, request: Request) -> Response:
        actor = http.actor(request)
        found = list(selectors.requests_visible_to(actor).prefetch_related("notices__party"))
        selectors.listing_record(actor, "datasubjectrequest", [r.pk for r in found])
        return Response(SubjectRequestOut(found, many=True).data)

    @extend_schema(
        request=SubjectRequestIn,
        responses={201: SubjectRequestOut},
        summary="Verzoek van betrokkene registreren",
    )
    def post(self, request: Request) -> Response:
        data = self.valid(SubjectRequestIn, request)
        created = services.request_register(
            actor=http.actor(request),
            house_id=data["house"],
            kind=data["kind"],
            received_on=data["received_on"],
            subject_bsn=data["subject_bsn"],
            subject_surname=data["subject_surname"],
            subject_birth_date=data["subject_birth_date"],
            description=data["description"],
        )
        return written(SubjectRequestOut, created, status.HTTP_201_CREATED)


class RequestDetailView(ApiView):
    versioned_read = True

    @extend_schema(responses={200: SubjectRequestOut}, summary="Verzoek van betrokkene")
    def get(self, request: Request, request_id: UUID) -> Response:
        return _request(request, request_id)


class RequestExtendView(ApiView):
    conditional_methods = frozenset({"POST"})

    @extend_schema(
        request=ExtendIn,
        responses={200: SubjectRequestOut},
        summary="Termijn verlengen (art. 12 lid 3)",
    )
    def post(self, request: Request, request_id: UUID) -> Response:
        data = self.valid(ExtendIn, request)
        extended = services.request_extend(
            actor=http.actor(request),
            request_id=request_id,
            reason=data["reason"],
            expected_version=self.expected_version,
        )
        return written(SubjectRequestOut, extended)


class RequestStatusView(ApiView):
    conditional_methods = frozenset({"POST"})

    @extend_schema(
        request=StatusIn,
        responses={200: SubjectRequestOut},
        summary="In behandeling nemen, afhandelen of afwijzen",
    )
    def post(self, request: Request, request_id: UUID) -> Response:
        data = self.valid(StatusIn, request)
        actor = http.actor(request)
        if data["status"] == RequestStatus.IN_PROGRESS:
            changed = services.request_start(
                actor=actor, request_id=request_id, expected_version=self.expected_version
            )
        else:
            _scope, found = selectors.get_request_for(actor, request_id)
            changed = services.request_close(
                actor=actor,
                request_id=request_id,
                status=RequestStatus(data["status"]),
                outcome=data["outcome"],
                recipients_to_inform=selectors.recipients_for_request(actor, found),
                expected_version=self.expected_version,
            )
        return written(SubjectRequestOut, changed)


class RequestNoticeView(ApiView):
    @extend_schema(
        request=NoticeIn,
        responses={201: NoticeOut},
        summary="Ontvanger geïnformeerd over rectificatie, wissing of beperking (art. 19)",
    )
    def post(self, request: Request, request_id: UUID) -> Response:
        data = self.valid(NoticeIn, request)
        notice = services.notice_record(
            actor=http.actor(request),
            request_id=request_id,
            party_id=data["party"],
            third_party=data["third_party"],
            informed_on=data["informed_on"],
            note=data["note"],
        )
        return Response(NoticeOut(notice).data, status=status.HTTP_201_CREATED)


class RequestMatchesView(ApiView):
    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="Alles over de betrokkene: per verwerkingsverantwoordelijke, met toegangslog",
    )
    def get(self, request: Request, request_id: UUID) -> Response:
        found = selectors.request_matches_for(http.actor(request), request_id)
        return Response(found.as_json())


class RequestExportView(ApiView):
    @extend_schema(
        parameters=[ExportQueryIn],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 200: OpenApiTypes.OBJECT},
        summary="Inzage-export (art. 15) als PDF of JSON",
    )
    def get(self, request: Request, request_id: UUID) -> HttpResponse:
        data = valid_query(ExportQueryIn, request)
        export = selectors.request_export_for(
            http.actor(request), request_id, controller=data["controller"]
        )
        return export_response(export, data["as"])
