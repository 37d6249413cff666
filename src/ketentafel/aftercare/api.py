# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of nazorg ex-gedetineerden. Thin: validate, call one service or selector,
answer."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.aftercare import selectors, services
from ketentafel.aftercare.serializers import (
    BasicConditionIn,
    BasicConditionsOut,
    BasicConditionStatusOut,
    DetentionNotificationIn,
    DetentionNotificationOut,
)
from ketentafel.cases.services import PersonInput
from ketentafel.core import http
from ketentafel.core.api_views import ApiView


class DetentionNotificationView(ApiView):
    @extend_schema(
        request=DetentionNotificationIn,
        responses={201: DetentionNotificationOut},
        summary="Detentiemelding registreren (nazorg ex-gedetineerden)",
        description=(
            "Een melding van DJI opent een nazorgcasus in het huis waarvan de gemeente van "
            "terugkeer partij is, in de fase 'aangemeld', bij de procesregisseurs van dat huis."
        ),
    )
    def post(self, request: Request) -> Response:
        data = self.valid(DetentionNotificationIn, request)
        notification = services.detention_notify(
            actor=http.actor(request),
            person=PersonInput(**data["person"]),
            detention_start=data["detention_start"],
            detention_end=data["detention_end"],
            expected_release=data["expected_release"],
            municipality_id=data["municipality"],
            institution=data["institution"],
            house_id=data["house"],
            dji_party_id=data["dji_party"],
        )
        return Response(DetentionNotificationOut(notification).data, status=status.HTTP_201_CREATED)


class BasicConditionsView(ApiView):
    @extend_schema(
        responses={200: BasicConditionsOut},
        summary="Basisvoorwaarden van een nazorgcasus (stoplicht en geschiedenis)",
    )
    def get(self, request: Request, case_id: UUID) -> Response:
        return Response(
            BasicConditionsOut(selectors.aftercare_for(http.actor(request), case_id)).data
        )

    @extend_schema(
        request=BasicConditionIn,
        responses={201: BasicConditionStatusOut},
        summary="Stoplicht van een basisvoorwaarde zetten",
    )
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(BasicConditionIn, request)
        row = services.basic_condition_set(
            actor=http.actor(request),
            case_id=case_id,
            condition=data["condition"],
            status=data["status"],
            note=data["note"],
        )
        return Response(BasicConditionStatusOut(row).data, status=status.HTTP_201_CREATED)
