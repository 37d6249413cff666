# SPDX-License-Identifier: EUPL-1.2
"""Writes of meetings: scheduling, the agenda, the record of what was said and decided, holding
the meeting and the closing decision. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import (
    CaseParty,
    Closure,
    ClosureReason,
    Phase,
    TriageOutcome,
)
from ketentafel.cases.selectors import access_for_update
from ketentafel.cases.services import Invitation, triage_decide
from ketentafel.cases.services import case_close as _case_close
from ketentafel.cases.workflow import phase_label, session_of, session_steps, transition
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from ketentafel.core.versions import version_advance
from ketentafel.covenants.models import (
    Body,
    BodyKind,
    DecisionEffect,
    DecisionType,
)
from ketentafel.covenants.policies import house_roles, require_house_role
from ketentafel.covenants.process import FIRST_MEETING_RECORDS
from ketentafel.meetings.models import (
    PURPOSE_PHASE,
    AgendaItem,
    AgendaPurpose,
    Decision,
    Meeting,
    MeetingStatus,
)
from ketentafel.meetings.notices import meeting_invitation_notify
from ketentafel.meetings.policies import (
    coordinated_cases,
    organises_by_role,
    organises_for_cases,
    refuse_organising,
    sits_in,
)
from ketentafel.meetings.workflow import MEETING


@dataclass(frozen=True)
class TriageInput:
    """What a session records when it weighs a case: the triage decision's own fields."""

    serious_area_problem: bool = False
    system_impact: bool = False
    multiple_chains_needed: bool = False
    multiple_problems: bool = False
    explanation: str = ""
    goal: str = ""
    theme_ids: Sequence[int] = ()
    invitations: Sequence[Invitation] = ()
    # What the covenant's triage records beside the criteria (Gelderland-Midden art. 1.8,
    # 8.1a): see `cases.services.triage_decide`.
    municipality_view: str = ""
    referrer_consulted: bool = False
    referrer_consulted_on: datetime.date | None = None
    referrer_consultation: str = ""


TRIAGE_EFFECTS = {
    DecisionEffect.DECLINE: TriageOutcome.NOT_FOR_HOUSE,
    DecisionEffect.MORE_INFORMATION: TriageOutcome.MORE_INFORMATION,
    DecisionEffect.TO_CASE_MEETING: TriageOutcome.ACCEPTED,
}


@dataclass(frozen=True)
class DecisionInput:
    text: str
    decision_type_id: int | None = None


# Meetings ---------------------------------------------------------------------------------


def meeting_schedule(
    *, actor: User, house_id: int, body_id: int, starts_at: datetime.datetime, location: str = ""
) -> Meeting:
    """Plan a session of a body that weighs or discusses cases. Scheduled by its organisers
    (`meetings.policies`): the house roles the region file names, and where the body lets him,
    a casusregisseur of an open case it serves (IJsselland art. 13.2)."""
    held = require_house_role(actor, house_id)
    # The bodies that weigh or discuss cases: a triage body (the weegploeg, Gelderland-Midden
    # art. 8.1) meets in sessions as a case meeting does (ADR 0018).
    body = Body.objects.filter(
        pk=body_id,
        kind__in=(BodyKind.TRIAGE, BodyKind.CASE_MEETING),
        houses=house_id,
        is_active=True,
    ).first()
    if body is None:
        raise InvalidInput(_("Kies een overleg van dit huis dat casussen bespreekt."), field="body")
    by_role = organises_by_role(held, body)
    if not by_role and not coordinated_cases(actor, body, house_id).exists():
        raise refuse_organising(body)
    if starts_at < timezone.now():
        raise InvalidInput(_("Een overleg wordt in de toekomst gepland."), field="starts_at")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body, house_id=house_id, starts_at=starts_at, location=location, scheduled_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="meeting",
            object_id=meeting.pk,
            house_id=house_id,
            role=next(
                (role for role in body.organiser_roles if role in held), Role.PARTNER_PROFESSIONAL
            ),
            purpose="meeting",
        )
    return meeting


def _meeting_for_update(
    actor: User, meeting_id: UUID, *, case_id: UUID | None = None, sitting: bool = False
) -> Meeting:
    """The meeting, locked, for one of its organisers; with `case_id`, for a step on that case
    only. A casusregisseur organises it for the cases he coordinates (`meetings.policies`):
    for `case_id` when he coordinates it, for the whole meeting (holding it) when every case
    on its agenda is his and it has one, or he planned it. With `sitting` (holding the session,
    recording what it decided) also its chair and the roles that sit in it (`Body.chair`,
    `Body.member_roles`; Gelderland-Midden Bijlage 3, Wegingsfase: the weegploeg is chaired by
    the Ketenmanager, with the locatiemanagers and the informatiecoördinator)."""
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    held = house_roles(actor, meeting.house_id) if meeting is not None else set()
    if meeting is None or not held:
        raise NotFound(_("Dit overleg bestaat niet."))
    body = Body.objects.get(pk=meeting.body_id)
    if organises_by_role(held, body) or (sitting and sits_in(held, body)):
        return meeting
    if case_id is not None:
        case_ids = [case_id]
    else:
        case_ids = list(meeting.agenda_items.values_list("case_id", flat=True))
        if not case_ids and meeting.scheduled_by_id != actor.pk:
            raise refuse_organising(body)
    if organises_for_cases(actor, body, meeting.house_id, case_ids):
        return meeting
    if coordinated_cases(actor, body, meeting.house_id).exists():
        raise NotAllowed(
            _(
                "Als casusregisseur organiseert u dit overleg alleen voor de casussen die u "
                "regisseert."
            )
        )
    raise refuse_organising(body)


def agenda_item_add(
    *, actor: User, meeting_id: UUID, case_id: UUID, purpose: AgendaPurpose
) -> AgendaItem:
    """Put a case on a planned meeting's agenda; its participating parties are the invitees."""
    with transaction.atomic():
        meeting = _meeting_for_update(actor, meeting_id, case_id=case_id)
        try:
            MEETING.check(meeting, "add_agenda_item")
        except InvalidTransition as refusal:
            refusal.field = "meeting"
            raise
        access = access_for_update(actor, case_id)
        case = access.case
        if case.house_id != meeting.house_id:
            raise InvalidInput(_("Deze casus hoort bij een ander huis."), field="case")
        if not Body.objects.filter(pk=meeting.body_id, tracks=case.track_id).exists():
            # Each track has its own process and protocol; the region file says which tracks
            # a body discusses (`tracks`; e.g. Gelderland-Midden Bijlage 3, Proces radicalisering).
            raise InvalidInput(
                _(
                    "Het overleg '%(body)s' bespreekt geen casussen van het werkproces "
                    "'%(track)s'. Kies een overleg voor dit werkproces."
                )
                % {"body": Body.objects.get(pk=meeting.body_id).label, "track": case.track.name},
                field="case",
            )
        expected = Phase(PURPOSE_PHASE[AgendaPurpose(purpose)])
        if case.phase != expected:
            raise InvalidTransition(
                _("Een agendapunt '%(purpose)s' kan alleen voor een casus in fase '%(phase)s'.")
                % {"purpose": AgendaPurpose(purpose).label, "phase": phase_label(case, expected)},
                field="purpose",
            )
        body = Body.objects.get(pk=meeting.body_id)
        if not session_steps(case.track, body_slug=body.slug, body_kind=body.kind, phase=expected):
            # The track's process says which body decides what (ADR 0018): IJsselland's
            # Regionale Casustafel weighs and monitors, its MDO makes the plan (Bijlage 3).
            raise InvalidInput(
                _(
                    "Het overleg '%(body)s' besluit in het werkproces '%(track)s' niet over "
                    "casussen in fase '%(phase)s'."
                )
                % {
                    "body": body.label,
                    "track": case.track.name,
                    "phase": phase_label(case, expected),
                },
                field="purpose",
            )
        if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            raise InvalidInput(_("Deze casus staat al op de agenda."), field="case")
        position = meeting.agenda_items.count() + 1
        item = AgendaItem.objects.create(
            meeting=meeting, case=case, position=position, purpose=purpose
        )
        case_audit(access, AuditAction.CREATE, object_type="agendaitem", object_id=item.pk)
        meeting_invitation_notify(
            meeting=meeting,
            case_id=case.pk,
            party_ids=list(CaseParty.objects.filter(case=case).values_list("party_id", flat=True)),
        )
    return item


def agenda_item_record(
    *,
    actor: User,
    agenda_item_id: UUID,
    minutes: str | None = None,
    informs_client: str | None = None,
    on_arrest: str | None = None,
    closure_criteria: str | None = None,
    progress: str | None = None,
    case_coordinator_party_id: int | None = None,
    case_coordinator_id: int | None = None,
    decisions: Sequence[DecisionInput] = (),
    expected_version: int | None = None,
) -> AgendaItem:
    """Record what the meeting said and decided on one case (art. 9.4, Bijlage 3). A record
    made from another version of the agenda item than the stored one is refused."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("meeting").filter(pk=agenda_item_id).first()
        if item is None:
            raise NotFound(_("Dit agendapunt bestaat niet."))
        meeting = _meeting_for_update(actor, item.meeting_id, case_id=item.case_id, sitting=True)
        MEETING.check(meeting, "record")
        access = access_for_update(actor, item.case_id)
        case = access.case
        version_advance(item, expected=expected_version)
        for name, value in [
            ("minutes", minutes),
            ("informs_client", informs_client),
            ("on_arrest", on_arrest),
            ("closure_criteria", closure_criteria),
            ("progress", progress),
        ]:
            if value is not None:
                setattr(item, name, value)
        item.save()
        if case_coordinator_party_id is not None:
            if not CaseParty.objects.filter(case=case, party_id=case_coordinator_party_id).exists():
                raise InvalidInput(
                    _("De casusregisseur komt van een partij die deelneemt aan de casus."),
                    field="case_coordinator_party",
                )
            case.case_coordinator_party_id = case_coordinator_party_id
            case.case_coordinator = None
            if case_coordinator_id is not None:
                person = User.objects.filter(
                    pk=case_coordinator_id, is_active=True, party_id=case_coordinator_party_id
                ).first()
                if person is None:
                    raise InvalidInput(
                        _("De casusregisseur werkt niet bij deze partij."), field="case_coordinator"
                    )
                case.case_coordinator = person
            case.save(update_fields=["case_coordinator_party", "case_coordinator"])
        for index, decision in enumerate(decisions):
            if not decision.text.strip():
                raise InvalidInput(_("Beschrijf het besluit."), field=f"decisions[{index}].text")
            effect = (
                DecisionType.objects.filter(
                    pk=decision.decision_type_id, covenant_id=case.house.covenant_id, is_active=True
                )
                .values_list("effect", flat=True)
                .first()
                if decision.decision_type_id is not None
                else DecisionEffect.NONE
            )
            if effect is None:
                raise InvalidInput(
                    _("Onbekend besluittype voor dit convenant."),
                    field=f"decisions[{index}].decision_type",
                )
            if effect != DecisionEffect.NONE:
                # A decision that moves the case is taken with what its step records
                # (`agenda_item_decide`), not written down as a label beside it.
                raise InvalidInput(
                    _("Dit besluit zet de casus verder: neem het als besluit van het overleg."),
                    field=f"decisions[{index}].decision_type",
                )
            Decision.objects.create(
                agenda_item=item,
                decision_type_id=decision.decision_type_id,
                text=decision.text,
                recorded_by=actor,
            )
        case_audit(access, AuditAction.UPDATE, object_type="agendaitem", object_id=item.pk)
    return item


def meeting_hold(*, actor: User, meeting_id: UUID) -> Meeting:
    """Mark a meeting as held. A first discussion must have recorded what the track's process
    asks of it (`records` of its `discuss` step; Bijlage 3: the case coordinator, who informs
    the client, what happens on arrest, when to close), and then moves the case to active."""
    with transaction.atomic():
        meeting = _meeting_for_update(actor, meeting_id, sitting=True)
        MEETING.check(meeting, "hold")
        now = timezone.now()
        items = list(meeting.agenda_items.select_related("case", "case__track", "meeting__body"))
        for item in items:
            if item.purpose != AgendaPurpose.FIRST_DISCUSSION:
                continue
            discuss = item.case.track.process_spec.step("discuss")
            wanted = (
                FIRST_MEETING_RECORDS
                if discuss is None or discuss.records is None
                else discuss.records
            )
            missing = [
                str(label)
                for key, label, ok in [
                    (
                        "case_coordinator",
                        _("casusregisseur"),
                        item.case.case_coordinator_party_id is not None,
                    ),
                    (
                        "informs_client",
                        _("wie de cliënt informeert"),
                        bool(item.informs_client.strip()),
                    ),
                    ("on_arrest", _("wat te doen bij aanhouding"), bool(item.on_arrest.strip())),
                    (
                        "closure_criteria",
                        _("criteria voor afschaling"),
                        bool(item.closure_criteria.strip()),
                    ),
                ]
                if key in wanted and not ok
            ]
            if missing:
                raise InvalidInput(
                    _("Agendapunt %(position)s: leg nog vast: %(missing)s.")
                    % {"position": item.position, "missing": ", ".join(missing)},
                    field="agenda_items",
                )
        MEETING.take(meeting, "hold")
        meeting.held_at = now
        meeting.save(update_fields=["status", "held_at"])
        for item in items:
            access = replace(access_for_update(actor, item.case_id), session=session_of(item))
            if item.purpose != AgendaPurpose.TRIAGE and access.case.first_discussed_at is None:
                access.case.first_discussed_at = now
                access.case.save(update_fields=["first_discussed_at"])
            if (
                item.purpose == AgendaPurpose.FIRST_DISCUSSION
                and access.case.phase == Phase.ACCEPTED
            ):
                transition(access, "discuss")
            case_audit(
                access,
                AuditAction.UPDATE,
                object_type="meeting",
                object_id=meeting.pk,
                reason="held",
            )
    return meeting


def _held_item(agenda_item_id: UUID, case_id: UUID | None = None) -> AgendaItem:
    found = AgendaItem.objects.select_related("meeting", "meeting__body").filter(pk=agenda_item_id)
    if case_id is not None:
        found = found.filter(case_id=case_id)
    item = found.first()
    if item is None:
        raise InvalidInput(_("Dit agendapunt hoort niet bij deze casus."), field="agenda_item")
    return item


def case_close(
    *,
    actor: User,
    case_id: UUID,
    agenda_item_id: UUID,
    reason: ClosureReason,
    referrer_notice: str,
    handed_over_to_id: int | None = None,
    explanation: str = "",
) -> Closure:
    """Close a case as decided in a held meeting, record the notice to the referrer and send
    the referring party a notice that it waits in Ketentafel (through the task worker)."""
    with transaction.atomic():
        item = _held_item(agenda_item_id, case_id)
        # Lock and check the reader's access before saying anything about the meeting.
        access_for_update(actor, case_id)
        if item.meeting.status != MeetingStatus.HELD:
            raise InvalidTransition(_("Afschalen wordt besloten in een gehouden casusoverleg."))
        return _case_close(
            actor=actor,
            case_id=case_id,
            reason=reason,
            referrer_notice=referrer_notice,
            handed_over_to_id=handed_over_to_id,
            explanation=explanation,
            session=session_of(item),
        )


def agenda_item_decide(
    *,
    actor: User,
    agenda_item_id: UUID,
    decision_type_id: int,
    text: str,
    referrer_notice: str = "",
    handed_over_to_id: int | None = None,
    triage: TriageInput | None = None,
) -> Decision:
    """Record a decision of a held session on one case and take the step it has as its effect
    (ADR 0018; IJsselland Bijlage 3, fase 3: "Per casus kunnen de volgende besluiten genomen
    worden"): weigh the case (the triage decision, with its criteria), send it to the case
    meeting, close it, or hand its direction to a party. A decision without effect is recorded
    as it is."""
    with transaction.atomic():
        item = _held_item(agenda_item_id)
        meeting = _meeting_for_update(actor, item.meeting_id, case_id=item.case_id, sitting=True)
        access = access_for_update(actor, item.case_id)
        case = access.case
        decision_type = (
            DecisionType.objects.filter(
                pk=decision_type_id, covenant_id=case.house.covenant_id, is_active=True
            )
            .prefetch_related("bodies")
            .first()
        )
        if decision_type is None:
            raise InvalidInput(_("Onbekend besluittype voor dit convenant."), field="decision_type")
        bodies = {body.pk for body in decision_type.bodies.all()}
        if bodies and meeting.body_id not in bodies:
            raise InvalidInput(
                _("Het overleg '%(body)s' neemt het besluit '%(decision)s' niet.")
                % {"body": item.meeting.body.label, "decision": decision_type.label},
                field="decision_type",
            )
        if not text.strip():
            raise InvalidInput(_("Beschrijf het besluit."), field="text")
        effect = DecisionEffect(decision_type.effect)
        if effect != DecisionEffect.NONE and meeting.status != MeetingStatus.HELD:
            raise InvalidTransition(
                _("Een besluit dat de casus verder zet, wordt vastgelegd in een gehouden overleg."),
                field="decision_type",
            )
        if effect == DecisionEffect.NONE:
            MEETING.check(meeting, "record")
        decision = Decision.objects.create(
            agenda_item=item, decision_type=decision_type, text=text, recorded_by=actor
        )
        session = session_of(item)
        if effect in TRIAGE_EFFECTS:
            given = triage or TriageInput()
            triage_decide(
                actor=actor,
                case_id=case.pk,
                outcome=TRIAGE_EFFECTS[effect],
                explanation=given.explanation or text,
                serious_area_problem=given.serious_area_problem,
                system_impact=given.system_impact,
                multiple_chains_needed=given.multiple_chains_needed,
                multiple_problems=given.multiple_problems,
                goal=given.goal,
                theme_ids=given.theme_ids,
                invitations=given.invitations,
                municipality_view=given.municipality_view,
                referrer_consulted=given.referrer_consulted,
                referrer_consulted_on=given.referrer_consulted_on,
                referrer_consultation=given.referrer_consultation,
                session=session,
            )
        elif effect in (DecisionEffect.CLOSE, DecisionEffect.HANDOVER):
            _case_close(
                actor=actor,
                case_id=case.pk,
                reason=ClosureReason.HANDED_OVER
                if effect == DecisionEffect.HANDOVER
                else ClosureReason(decision_type.reason or ClosureReason.NO_LONGER_NEEDED),
                referrer_notice=referrer_notice,
                handed_over_to_id=handed_over_to_id,
                explanation=text,
                session=session,
            )
        case_audit(
            access,
            AuditAction.CREATE,
            object_type="decision",
            object_id=decision.pk,
            reason=effect.value,
        )
    return decision
