# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of advice questions. Thin: validate, call one service or selector, answer."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.advice import selectors, services
from ketentafel.advice.serializers import AdviceConcludeIn, AdviceIn, AdviceOut, AdviceQueryIn
from ketentafel.audit.services import audit_listing
from ketentafel.core import http
from ketentafel.core.api import BoundedCursorPagination
from ketentafel.core.api_views import ApiView


class AdvicePagination(BoundedCursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    max_page_size = 200


class AdviceListView(ApiView):
    pagination_class = AdvicePagination

    @extend_schema(
        parameters=[AdviceQueryIn],
        responses={200: AdviceOut(many=True)},
        summary="Adviesvragen",
        description=(
            "De adviesvragen van de huizen waar u procesregisseur bent, en die uw eigen partij "
            "stelde; de nieuwste eerst. Elke pagina wordt vastgelegd als één zoekactie."
        ),
    )
    def get(self, request: Request) -> Response:
        actor = http.actor(request)
        requests = selectors.advice_requests_visible_to(actor)
        query = AdviceQueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        if outcome := query.validated_data.get("outcome"):
            requests = requests.filter(outcome=outcome)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(requests, request, view=self) or []
        audit_listing(
            actor,
            object_type="advicerequest",
            object_ids=[str(a.pk) for a in page],
            purpose="advice_list",
        )
        return paginator.get_paginated_response(AdviceOut(page, many=True).data)

    @extend_schema(request=AdviceIn, responses={201: AdviceOut}, summary="Adviesvraag vastleggen")
    def post(self, request: Request) -> Response:
        data = self.valid(AdviceIn, request)
        advice = services.advice_record(
            actor=http.actor(request),
            house_id=data["house"],
            question=data["question"],
            requesting_party_id=data["requesting_party"],
        )
        return Response(AdviceOut(advice).data, status=status.HTTP_201_CREATED)


class AdviceConcludeView(ApiView):
    @extend_schema(
        request=AdviceConcludeIn,
        responses={200: AdviceOut},
        summary="Adviesvraag lokaal afhandelen",
    )
    def post(self, request: Request, advice_id: UUID) -> Response:
        data = self.valid(AdviceConcludeIn, request)
        advice = services.advice_conclude(
            actor=http.actor(request), advice_id=advice_id, advice=data["advice"]
        )
        return Response(AdviceOut(advice).data)
