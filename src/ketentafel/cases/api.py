# SPDX-License-Identifier: EUPL-1.2
"""REST endpoints of the case process. Thin: validate, call one service or selector, answer."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.accounts.models import User
from ketentafel.cases import selectors, services
from ketentafel.cases.models import Case
from ketentafel.cases.serializers import (
    ActionIn,
    ActionOut,
    ActionPlanOut,
    ActionPlanVersionOut,
    ActionUpdateIn,
    AdviceConcludeIn,
    AdviceIn,
    AdviceOut,
    AdviceQueryIn,
    AgendaItemIn,
    AgendaItemOut,
    AgendaRecordIn,
    CaseListOut,
    CaseOut,
    CasePartyOut,
    CaseQueryIn,
    ClosureIn,
    GoalIn,
    IntakeIn,
    InvitationIn,
    KnownElsewhereOut,
    MeetingIn,
    MeetingOut,
    ReferralIn,
    TriageDecisionOut,
    TriageIn,
)
from ketentafel.cases.workflow import allowed_transitions
from ketentafel.core.api import BoundedCursorPagination
from ketentafel.core.api_views import ApiView, with_etag
from ketentafel.core.errors import NotFound


def _actor(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _case_response(request: Request, case_id: UUID, code: int = status.HTTP_200_OK) -> Response:
    access = selectors.get_case_for(_actor(request), case_id)
    data = CaseOut(access.case, context={"allowed_transitions": allowed_transitions(access)}).data
    return Response(data, status=code)


def _written_case(request: Request, case: Case, code: int = status.HTTP_200_OK) -> Response:
    """The answer to a write of a case: the case the service wrote, serialized in the write's
    unit of work (`ApiView`), never read back after the commit. The write's own audit event
    names the actor, the case and its persons, so no read is recorded beside it."""
    access = selectors.access_for_read(_actor(request), case.pk)
    data = CaseOut(case, context={"allowed_transitions": allowed_transitions(access)}).data
    return Response(data, status=code)


class CasePagination(BoundedCursorPagination):
    ordering = ("-referred_at", "-id")
    page_size = 50
    max_page_size = 200


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
        actor = _actor(request)
        requests = selectors.advice_requests_visible_to(actor)
        query = AdviceQueryIn(data=request.query_params)
        query.is_valid(raise_exception=True)
        if outcome := query.validated_data.get("outcome"):
            requests = requests.filter(outcome=outcome)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(requests, request, view=self) or []
        selectors.advice_listing_record(actor, [a.pk for a in page], purpose="advice_list")
        return paginator.get_paginated_response(AdviceOut(page, many=True).data)

    @extend_schema(request=AdviceIn, responses={201: AdviceOut}, summary="Adviesvraag vastleggen")
    def post(self, request: Request) -> Response:
        data = self.valid(AdviceIn, request)
        advice = services.advice_record(
            actor=_actor(request),
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
            actor=_actor(request), advice_id=advice_id, advice=data["advice"]
        )
        return Response(AdviceOut(advice).data)


class CaseListView(ApiView):
    pagination_class = CasePagination

    @extend_schema(
        parameters=[CaseQueryIn],
        responses={200: CaseListOut(many=True)},
        summary="Mijn casussen",
        description="De casussen waarin u een rol heeft, de laatst aangemelde eerst.",
    )
    def get(self, request: Request) -> Response:
        actor = _actor(request)
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
        selectors.record_listing(actor, page)
        return paginator.get_paginated_response(CaseListOut(page, many=True).data)

    @extend_schema(request=ReferralIn, responses={201: CaseOut}, summary="Casus aanmelden")
    def post(self, request: Request) -> Response:
        data = self.valid(ReferralIn, request)
        case = services.case_refer(
            actor=_actor(request),
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
            actor=_actor(request),
            case_id=case_id,
            information_coordinator_id=data["information_coordinator"],
        )
        return _written_case(request, case)


class AlreadyKnownView(ApiView):
    @extend_schema(
        responses={200: KnownElsewhereOut(many=True)}, summary="Elders bekend (zonder inhoud)"
    )
    def get(self, request: Request, case_id: UUID) -> Response:
        found = selectors.already_known_for(_actor(request), case_id)
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
            actor=_actor(request),
            case_id=case_id,
            party_id=data["party"],
            role=data["role"],
            information_need=data["information_need"],
        )
        return Response(CasePartyOut(participant).data, status=status.HTTP_201_CREATED)


class TriageSubmitView(ApiView):
    @extend_schema(request=None, responses={200: CaseOut}, summary="Aanbieden voor triage")
    def post(self, request: Request, case_id: UUID) -> Response:
        case = services.triage_submit(actor=_actor(request), case_id=case_id)
        return _written_case(request, case)


class TriageDecisionView(ApiView):
    @extend_schema(request=TriageIn, responses={201: TriageDecisionOut}, summary="Triagebesluit")
    def post(self, request: Request, case_id: UUID) -> Response:
        """The decision is the answer: triage staff see the case only while it is in triage."""
        data = self.valid(TriageIn, request)
        decision = services.triage_decide(
            actor=_actor(request),
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
                services.Invitation(i["party"], i["role"], i["information_need"])
                for i in data["invitations"]
            ],
        )
        return Response(TriageDecisionOut(decision).data, status=status.HTTP_201_CREATED)


class MeetingListView(ApiView):
    @extend_schema(responses={200: MeetingOut(many=True)}, summary="Overleggen")
    def get(self, request: Request) -> Response:
        meetings = selectors.meetings_visible_to(_actor(request)).select_related("body")
        return Response(MeetingOut(meetings, many=True).data)

    @extend_schema(request=MeetingIn, responses={201: MeetingOut}, summary="Overleg plannen")
    def post(self, request: Request) -> Response:
        data = self.valid(MeetingIn, request)
        meeting = services.meeting_schedule(
            actor=_actor(request),
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
            actor=_actor(request),
            meeting_id=meeting_id,
            case_id=data["case"],
            purpose=data["purpose"],
        )
        return Response(AgendaItemOut(item).data, status=status.HTTP_201_CREATED)


class AgendaItemDetailView(ApiView):
    versioned_read = True

    @extend_schema(responses={200: AgendaItemOut}, summary="Agendapunt inzien")
    def get(self, request: Request, agenda_item_id: UUID) -> Response:
        _access, item = selectors.agenda_item_for(_actor(request), agenda_item_id)
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
            actor=_actor(request),
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
        meeting = services.meeting_hold(actor=_actor(request), meeting_id=meeting_id)
        return Response(MeetingOut(meeting).data)


def _plan_response(request: Request, case_id: UUID, code: int = 200) -> Response:
    access = selectors.get_case_for(_actor(request), case_id)
    plan = getattr(access.case, "action_plan", None)
    if plan is None:
        raise NotFound("Deze casus heeft nog geen plan van aanpak.")
    plan = (
        type(plan).objects.prefetch_related("actions__owner_party", "actions__plan").get(pk=plan.pk)
    )
    return with_etag(Response(ActionPlanOut(plan).data, status=code), plan.version)


class ActionPlanView(ApiView):
    versioned_read = True
    conditional_methods = frozenset({"PUT"})

    @extend_schema(responses={200: ActionPlanOut}, summary="Plan van aanpak")
    def get(self, request: Request, case_id: UUID) -> Response:
        return _plan_response(request, case_id)

    @extend_schema(
        request=GoalIn, responses={200: ActionPlanOut}, summary="Doel van het plan vastleggen"
    )
    def put(self, request: Request, case_id: UUID) -> Response:
        """Sets the goal, and makes the plan when the case has none: then `If-Match: "0"`
        (or `*`) fits, as no version exists yet."""
        data = self.valid(GoalIn, request)
        services.action_plan_set_goal(
            actor=_actor(request),
            case_id=case_id,
            goal=data["goal"],
            expected_version=self.expected_version,
        )
        return _plan_response(request, case_id)


class ActionPlanVersionsView(ApiView):
    @extend_schema(
        responses={200: ActionPlanVersionOut(many=True)}, summary="Eerdere versies van het plan"
    )
    def get(self, request: Request, case_id: UUID) -> Response:
        access = selectors.get_case_for(_actor(request), case_id)
        plan = getattr(access.case, "action_plan", None)
        versions = plan.versions.all() if plan else []
        return Response(ActionPlanVersionOut(versions, many=True).data)


class ActionListView(ApiView):
    @extend_schema(request=ActionIn, responses={201: ActionOut}, summary="Actie toevoegen")
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(ActionIn, request)
        action = services.action_add(
            actor=_actor(request),
            case_id=case_id,
            owner_party_id=data["owner_party"],
            owner_id=data["owner"],
            what=data["what"],
            due_on=data["due_on"],
        )
        return Response(ActionOut(action).data, status=status.HTTP_201_CREATED)


class ActionDetailView(ApiView):
    versioned_read = True
    conditional_methods = frozenset({"PATCH"})

    @extend_schema(responses={200: ActionOut}, summary="Actie inzien")
    def get(self, request: Request, action_id: UUID) -> Response:
        action = selectors.action_for(_actor(request), action_id)
        return with_etag(Response(ActionOut(action).data), action.version)

    @extend_schema(request=ActionUpdateIn, responses={200: ActionOut}, summary="Actie wijzigen")
    def patch(self, request: Request, action_id: UUID) -> Response:
        data = self.valid(ActionUpdateIn, request)
        action = services.action_update(
            actor=_actor(request),
            action_id=action_id,
            expected_version=self.expected_version,
            **data,
        )
        return with_etag(Response(ActionOut(action).data), action.version)


class OverdueActionsView(ApiView):
    @extend_schema(responses={200: ActionOut(many=True)}, summary="Verlopen acties van mijn partij")
    def get(self, request: Request) -> Response:
        actor = _actor(request)
        actions = list(selectors.overdue_actions_for(actor))
        selectors.listing_record(
            actor,
            object_type="action",
            object_ids=[a.pk for a in actions],
            case_ids=[a.plan.case_id for a in actions],
            purpose="overdue_actions",
        )
        return Response(ActionOut(actions, many=True).data)


class ClosureView(ApiView):
    @extend_schema(request=ClosureIn, responses={200: CaseOut}, summary="Afschalen")
    def post(self, request: Request, case_id: UUID) -> Response:
        data = self.valid(ClosureIn, request)
        closure = services.case_close(
            actor=_actor(request),
            case_id=case_id,
            agenda_item_id=data["agenda_item"],
            reason=data["reason"],
            referrer_notice=data["referrer_notice"],
            handed_over_to_id=data["handed_over_to"],
            explanation=data["explanation"],
        )
        return _written_case(request, closure.case)
