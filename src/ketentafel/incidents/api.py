# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of security incidents under /api/v1/privacy/incidents/ (privacy officers;
the incident report also for managers and steering-group members)."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.core import http
from ketentafel.core.api_views import ApiView, with_etag
from ketentafel.incidents import selectors, services
from ketentafel.incidents.serializers import (
    EntryIn,
    IncidentDecisionIn,
    IncidentIn,
    IncidentOut,
    IncidentReportOut,
    NotificationIn,
    PeriodIn,
)
from ketentafel.privacy.api import valid_query, written
from ketentafel.privacy.selectors import listing_record


def _incident(request: Request, incident_id: UUID, code: int = status.HTTP_200_OK) -> Response:
    incident = selectors.get_incident_for(http.actor(request), incident_id)
    return with_etag(Response(IncidentOut(incident).data, status=code), incident.version)


class IncidentListView(ApiView):
    @extend_schema(responses={200: IncidentOut(many=True)}, summary="Beveiligingsincidenten")
    def get(self, request: Request) -> Response:
        actor = http.actor(request)
        found = list(selectors.incidents_visible_to(actor).prefetch_related("entries"))
        listing_record(actor, "securityincident", [i.pk for i in found])
        return Response(IncidentOut(found, many=True).data)

    @extend_schema(request=IncidentIn, responses={201: IncidentOut}, summary="Datalek registreren")
    def post(self, request: Request) -> Response:
        data = self.valid(IncidentIn, request)
        created = services.incident_register(
            actor=http.actor(request),
            house_id=data["house"],
            discovered_at=data["discovered_at"],
            description=data["description"],
            people_affected=data["people_affected"],
            data_categories=data["data_categories"],
        )
        return written(IncidentOut, created, status.HTTP_201_CREATED)


class IncidentDetailView(ApiView):
    versioned_read = True

    @extend_schema(responses={200: IncidentOut}, summary="Beveiligingsincident, met 72-uursklok")
    def get(self, request: Request, incident_id: UUID) -> Response:
        return _incident(request, incident_id)


class IncidentDecisionView(ApiView):
    conditional_methods = frozenset({"POST"})

    @extend_schema(
        request=IncidentDecisionIn, responses={200: IncidentOut}, summary="Besluit: melden?"
    )
    def post(self, request: Request, incident_id: UUID) -> Response:
        data = self.valid(IncidentDecisionIn, request)
        incident = services.incident_decide(
            actor=http.actor(request),
            incident_id=incident_id,
            expected_version=self.expected_version,
            **data,
        )
        return written(IncidentOut, incident)


class IncidentNotificationView(ApiView):
    conditional_methods = frozenset({"POST"})

    @extend_schema(
        request=NotificationIn,
        responses={200: IncidentOut},
        summary="Melding aan de AP of aan betrokkenen vastleggen",
    )
    def post(self, request: Request, incident_id: UUID) -> Response:
        data = self.valid(NotificationIn, request)
        incident = services.incident_notify(
            actor=http.actor(request),
            incident_id=incident_id,
            expected_version=self.expected_version,
            **data,
        )
        return written(IncidentOut, incident)


class IncidentEntryView(ApiView):
    @extend_schema(
        request=EntryIn, responses={200: IncidentOut}, summary="Maatregel of aantekening"
    )
    def post(self, request: Request, incident_id: UUID) -> Response:
        data = self.valid(EntryIn, request)
        entry = services.incident_entry_add(
            actor=http.actor(request), incident_id=incident_id, kind=data["kind"], text=data["text"]
        )
        return written(IncidentOut, entry.incident)


class IncidentCloseView(ApiView):
    conditional_methods = frozenset({"POST"})

    @extend_schema(request=None, responses={200: IncidentOut}, summary="Incident afsluiten")
    def post(self, request: Request, incident_id: UUID) -> Response:
        incident = services.incident_close(
            actor=http.actor(request),
            incident_id=incident_id,
            expected_version=self.expected_version,
        )
        return written(IncidentOut, incident)


class IncidentReportView(ApiView):
    @extend_schema(
        parameters=[PeriodIn],
        responses={200: IncidentReportOut},
        summary="Periodiek incidentenrapport voor de stuurgroep (zonder persoonsgegevens)",
    )
    def get(self, request: Request) -> Response:
        data = valid_query(PeriodIn, request)
        report = selectors.incident_report_for(
            http.actor(request), since=data["since"], until=data["until"], house_id=data["house"]
        )
        return Response(IncidentReportOut(report).data)
