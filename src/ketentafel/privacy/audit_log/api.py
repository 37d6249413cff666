# SPDX-License-Identifier: EUPL-1.2
"""The audit log for privacy officers: search events, and who accessed a person's data."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.core import http
from ketentafel.core.api import BoundedCursorPagination
from ketentafel.core.api_views import ApiView
from ketentafel.privacy.audit_log import selectors
from ketentafel.privacy.audit_log.serializers import AccessLineOut, EventOut, EventQueryIn


class EventPagination(BoundedCursorPagination):
    ordering = "-seq"
    page_size = 100
    max_page_size = 500


class EventListView(ApiView):
    pagination_class = EventPagination

    @extend_schema(
        parameters=[EventQueryIn],
        responses={200: EventOut(many=True)},
        summary="Auditlog doorzoeken (privacy officer)",
    )
    def get(self, request: Request) -> Response:
        query = EventQueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        where = selectors.EventFilter(
            person_id=str(data["person"]) if data.get("person") else None,
            actor_id=data.get("user"),
            case_id=str(data["case"]) if data.get("case") else None,
            since=data.get("since"),
            until=data.get("until"),
            action=data.get("action"),
        )
        actor = http.actor(request)
        events = selectors.events_visible_to(actor, where)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(events, request, view=self) or []
        selectors.reading_record(actor, page, where)
        return paginator.get_paginated_response(EventOut(page, many=True).data)


class PersonAccessView(ApiView):
    @extend_schema(
        parameters=[OpenApiParameter("person_id", UUID, OpenApiParameter.PATH)],
        responses={200: AccessLineOut(many=True)},
        summary="Wie heeft de gegevens van deze persoon ingezien?",
    )
    def get(self, request: Request, person_id: UUID) -> Response:
        lines = selectors.person_access_report_for(http.actor(request), str(person_id))
        return Response(AccessLineOut(lines, many=True).data)
