# SPDX-License-Identifier: EUPL-1.2
"""Writes of meetings: scheduling, the agenda, the record of what was said and decided, holding
the meeting and the closing decision. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
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
)
from ketentafel.cases.notices import referrer_notify
from ketentafel.cases.policies import SCHEDULING_ROLES
from ketentafel.cases.selectors import access_for_update
from ketentafel.cases.workflow import transition
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotFound
from ketentafel.core.versions import version_advance
from ketentafel.covenants.models import (
    Body,
    BodyKind,
    DecisionType,
)
from ketentafel.covenants.policies import house_roles, member_party, require_house_role
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Decision, Meeting, MeetingStatus
from ketentafel.meetings.notices import meeting_invitation_notify
from ketentafel.meetings.workflow import MEETING


@dataclass(frozen=True)
class DecisionInput:
    text: str
    decision_type_id: int | None = None


# Meetings ---------------------------------------------------------------------------------


def meeting_schedule(
    *, actor: User, house_id: int, body_id: int, starts_at: datetime.datetime, location: str = ""
) -> Meeting:
    require_house_role(actor, house_id, *SCHEDULING_ROLES)
    body = Body.objects.filter(
        pk=body_id, kind=BodyKind.CASE_MEETING, houses=house_id, is_active=True
    ).first()
    if body is None:
        raise InvalidInput(_("Kies een casusoverleg van dit huis."), field="body")
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
            role=Role.PROCESS_COORDINATOR,
            purpose="meeting",
        )
    return meeting


def _meeting_for_update(actor: User, meeting_id: UUID) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None or not house_roles(actor, meeting.house_id):
        raise NotFound(_("Dit overleg bestaat niet."))
    require_house_role(actor, meeting.house_id, *SCHEDULING_ROLES)
    return meeting


def agenda_item_add(
    *, actor: User, meeting_id: UUID, case_id: UUID, purpose: AgendaPurpose
) -> AgendaItem:
    """Put a case on a planned meeting's agenda; its participating parties are the invitees."""
    with transaction.atomic():
        meeting = _meeting_for_update(actor, meeting_id)
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
        expected = Phase.ACCEPTED if purpose == AgendaPurpose.FIRST_DISCUSSION else Phase.ACTIVE
        if case.phase != expected:
            raise InvalidTransition(
                _("Een agendapunt '%(purpose)s' kan alleen voor een casus in fase '%(phase)s'.")
                % {"purpose": AgendaPurpose(purpose).label, "phase": expected.label},
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
        meeting = _meeting_for_update(actor, item.meeting_id)
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
            if (
                decision.decision_type_id is not None
                and not DecisionType.objects.filter(
                    pk=decision.decision_type_id, covenant_id=case.house.covenant_id, is_active=True
                ).exists()
            ):
                raise InvalidInput(
                    _("Onbekend besluittype voor dit convenant."),
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
    """Mark a meeting as held. First discussions must have appointed a case coordinator and
    recorded who informs the client, what happens on arrest and when to close (Bijlage 3)."""
    with transaction.atomic():
        meeting = _meeting_for_update(actor, meeting_id)
        MEETING.check(meeting, "hold")
        now = timezone.now()
        items = list(meeting.agenda_items.select_related("case"))
        for item in items:
            if item.purpose != AgendaPurpose.FIRST_DISCUSSION:
                continue
            missing = [
                label
                for label, ok in [
                    (_("casusregisseur"), item.case.case_coordinator_party_id is not None),
                    (_("wie de cliënt informeert"), bool(item.informs_client.strip())),
                    (_("wat te doen bij aanhouding"), bool(item.on_arrest.strip())),
                    (_("criteria voor afschaling"), bool(item.closure_criteria.strip())),
                ]
                if not ok
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
            access = access_for_update(actor, item.case_id)
            if access.case.first_discussed_at is None:
                access.case.first_discussed_at = now
                access.case.save(update_fields=["first_discussed_at"])
            if access.case.phase == Phase.ACCEPTED:
                transition(access, "discuss")
            case_audit(
                access,
                AuditAction.UPDATE,
                object_type="meeting",
                object_id=meeting.pk,
                reason="held",
            )
    return meeting


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
        item = (
            AgendaItem.objects.select_related("meeting")
            .filter(pk=agenda_item_id, case_id=case_id)
            .first()
        )
        if item is None:
            raise InvalidInput(_("Dit agendapunt hoort niet bij deze casus."), field="agenda_item")
        access = access_for_update(actor, case_id)
        if item.meeting.status != MeetingStatus.HELD:
            raise InvalidTransition(_("Afschalen wordt besloten in een gehouden casusoverleg."))
        if reason == ClosureReason.HANDED_OVER:
            if handed_over_to_id is None:
                raise InvalidInput(
                    _("Noem de partij die de casus overneemt."), field="handed_over_to"
                )
            member_party(access.case.house, handed_over_to_id, field="handed_over_to")
        elif handed_over_to_id is not None:
            raise InvalidInput(
                _("Alleen bij overdracht wordt een partij genoemd."), field="handed_over_to"
            )
        if reason == ClosureReason.OTHER and not explanation.strip():
            raise InvalidInput(_("Licht de reden toe."), field="explanation")
        if not referrer_notice.strip():
            raise InvalidInput(
                _("Leg vast wat de aanmelder is meegedeeld."), field="referrer_notice"
            )
        transition(access, "close")
        closure = Closure.objects.create(
            case=access.case,
            agenda_item=item,
            reason=reason,
            handed_over_to_id=handed_over_to_id,
            explanation=explanation,
            referrer_notice=referrer_notice,
            referrer_informed_at=timezone.now(),
            decided_by=actor,
        )
        case_audit(
            access,
            AuditAction.TRANSITION,
            object_type="case",
            object_id=access.case.pk,
            reason="close",
        )
        # The referrer is informed (PRODUCT.md section 2, step 7): what it is told stays in
        # Ketentafel, on the case page, and the notice only says where to read it.
        referrer_notify(
            access.case,
            subject="Casus afgeschaald in Ketentafel",
            lead=(
                "Een casus die uw organisatie aanmeldde, is afgeschaald. Het bericht van het "
                "Zorg- en Veiligheidshuis aan u staat bij de casus."
            ),
        )
    return closure
