# SPDX-License-Identifier: EUPL-1.2
"""The disclosure report for privacy officers: consents to give items to third parties, and
what was given under them, per supplying party and period (art. 10.2; issue 6).

It lives here because the consents are this app's rows; privacy supplies the officer's scope
(`privacy.policies`) and the route sits under /api/v1/privacy/.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.accounts.models import User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.models import Person
from ketentafel.core import http
from ketentafel.core.api import IdField, Input
from ketentafel.core.api_views import ApiView
from ketentafel.information.models import DisclosureConsent
from ketentafel.privacy.policies import privacy_scope_for


@dataclass(frozen=True)
class PartyTotals:
    party: int
    party_name: str
    consents: int
    disclosures: int


@dataclass(frozen=True)
class DisclosureReport:
    consents: list[DisclosureConsent]
    per_party: list[PartyTotals]


def disclosure_report_for(
    user: User, *, since: datetime.date, until: datetime.date, party_id: int | None = None
) -> DisclosureReport:
    """Consents granted in [since, until) that the privacy officer answers for: every item in
    the officer's whole houses, or else the items the officer's own party supplied."""
    scope = privacy_scope_for(user)
    mine = Q(item__supplier_party_id=scope.party_id)
    if scope.whole_house_ids:
        mine |= Q(item__case__house_id__in=scope.whole_house_ids)
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(until, datetime.time.min))
    consents = DisclosureConsent.objects.filter(
        mine,
        item__case__house_id__in=scope.officer_house_ids,
        granted_at__gte=start,
        granted_at__lt=end,
    )
    if party_id is not None:
        consents = consents.filter(item__supplier_party_id=party_id)
    found = list(
        consents.select_related("item__supplier_party", "granted_by")
        .prefetch_related("disclosures__disclosed_by")
        .order_by("granted_at")
    )
    counts: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for consent in found:
        party = consent.item.supplier_party
        names[party.pk] = party.name
        row = counts.setdefault(party.pk, [0, 0])
        row[0] += 1
        row[1] += len(consent.disclosures.all())
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="disclosureconsent",
            object_ids=[c.pk for c in found],
            person_ids=Person.objects.filter(
                case_id__in={c.item.case_id for c in found}
            ).values_list("pk", flat=True),
            data_party_ids=[c.item.supplier_party_id for c in found],
            role="privacy_officer",
            purpose="privacy",
        )
    totals = [PartyTotals(pk, names[pk], n[0], n[1]) for pk, n in counts.items()]
    return DisclosureReport(consents=found, per_party=sorted(totals, key=lambda t: t.party_name))


class DisclosurePeriodIn(Input):
    since = serializers.DateField()
    until = serializers.DateField()
    party = IdField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["until"] <= attrs["since"]:
            raise serializers.ValidationError({"until": _("Het einde ligt na het begin.")})
        return attrs


class DisclosedOut(serializers.Serializer[Any]):
    disclosed_at = serializers.DateTimeField()
    disclosed_by = serializers.CharField(source="disclosed_by.get_full_name")


class ConsentLineOut(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    item = serializers.UUIDField(source="item.pk")
    case = serializers.UUIDField(source="item.case_id")
    supplier_party = serializers.IntegerField(source="item.supplier_party_id")
    supplier_party_name = serializers.CharField(source="item.supplier_party.name")
    recipient = serializers.CharField()
    purpose = serializers.CharField()
    written_reference = serializers.CharField()
    granted_at = serializers.DateTimeField()
    granted_by = serializers.CharField(source="granted_by.get_full_name")
    disclosures = DisclosedOut(many=True, source="disclosures.all")


class PartyTotalsOut(serializers.Serializer[Any]):
    party = serializers.IntegerField()
    party_name = serializers.CharField()
    consents = serializers.IntegerField()
    disclosures = serializers.IntegerField()


class DisclosureReportOut(serializers.Serializer[Any]):
    per_party = PartyTotalsOut(many=True)
    consents = ConsentLineOut(many=True)


class DisclosureReportView(ApiView):
    @extend_schema(
        parameters=[DisclosurePeriodIn],
        responses={200: DisclosureReportOut},
        summary="Verstrekkingen aan derden per partij en periode (privacy officer)",
    )
    def get(self, request: Request) -> Response:
        query = DisclosurePeriodIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = http.actor(request)
        report = disclosure_report_for(
            user,
            since=query.validated_data["since"],
            until=query.validated_data["until"],
            party_id=query.validated_data["party"],
        )
        return Response(DisclosureReportOut(report).data)
