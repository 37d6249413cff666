# SPDX-License-Identifier: EUPL-1.2
"""Writes of the complex-case process. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import acting_party_id, roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.models import (
    Action,
    ActionPlan,
    ActionPlanVersion,
    ActionStatus,
    AdviceOutcome,
    AdviceRequest,
    AgendaItem,
    AgendaPurpose,
    Case,
    CaseParty,
    Closure,
    ClosureReason,
    Decision,
    Meeting,
    MeetingStatus,
    Person,
    Phase,
    SubjectKind,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.notices import meeting_invitation_notify
from ketentafel.cases.policies import CASE_ROLES, SCHEDULING_ROLES, CaseAccess
from ketentafel.cases.selectors import (
    access_for_update,
    advice_requests_visible_to,
    already_decided,
)
from ketentafel.cases.workflow import transition
from ketentafel.core.bsn import is_valid_bsn
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from ketentafel.core.versions import StaleVersion, version_advance
from ketentafel.covenants.models import (
    Body,
    BodyKind,
    DecisionType,
    House,
    MembershipStatus,
    Party,
    PartyKind,
    Theme,
    Track,
)

REFERRER_ROLE = "Aanmelder"


@dataclass(frozen=True)
class PersonInput:
    given_names: str
    surname: str
    birth_date: datetime.date
    bsn: str = ""
    address: str = ""
    municipality: str = ""


@dataclass(frozen=True)
class Invitation:
    party_id: int
    role: str
    information_need: str


@dataclass(frozen=True)
class DecisionInput:
    text: str
    decision_type_id: int | None = None


def _house_roles(actor: User, house_id: int) -> set[str]:
    """The actor's case roles in force in the house (`CASE_ROLES`)."""
    return set(
        roles_in_force(actor)
        .filter(house_id=house_id, role__in=CASE_ROLES)
        .values_list("role", flat=True)
    )


def _require_house_role(actor: User, house_id: int, *roles: Role) -> set[str]:
    """The actor's case roles in the house, refused when it holds none (or none of `roles`).

    Houses are public configuration, so an unknown house is bad input, not a secret.
    """
    held = _house_roles(actor, house_id)
    if not held:
        if not House.objects.filter(pk=house_id).exists():
            raise InvalidInput("Dit veiligheidshuis bestaat niet.", field="house")
        raise NotAllowed("U heeft in dit veiligheidshuis geen rol in het casuswerk.")
    if roles and not held.intersection(roles):
        names = ", ".join(str(r.label) for r in roles)
        raise NotAllowed(f"Hiervoor is een van deze rollen in het huis nodig: {names}.")
    return held


def _member_party(house: House, party_id: int, *, field: str) -> Party:
    party = Party.objects.filter(
        pk=party_id,
        memberships__covenant_id=house.covenant_id,
        memberships__status=MembershipStatus.MEMBER,
    ).first()
    if party is None:
        raise InvalidInput(
            "Deze partij is geen (huidige) partij van het convenant van dit huis.", field=field
        )
    return party


def _audit(
    access: CaseAccess,
    action: AuditAction,
    obj: Any,
    *,
    person_ids: Sequence[Any] = (),
    object_type: str | None = None,
    reason: str = "",
) -> None:
    audit_record(
        actor=access.user,
        action=action,
        object_type=object_type or type(obj).__name__.lower(),
        object_id=obj.pk,
        person_ids=person_ids or _persons_of(access.case),
        case_id=access.case.pk,
        house_id=access.case.house_id,
        role=access.role_label,
        purpose=access.case.track.slug,
        reason=reason,
    )


def _persons_of(case: Case) -> list[UUID]:
    return list(case.persons.values_list("id", flat=True))


# Advice -----------------------------------------------------------------------------------


def advice_record(
    *, actor: User, house_id: int, question: str, requesting_party_id: int | None = None
) -> AdviceRequest:
    """Record a consultation with minimal data (Gelderland-Midden Bijlage 3, adviesfase).

    The requesting party is the actor's own. A process coordinator of the house who takes a
    partner's call records it for that party (`requesting_party_id`, a current party of the
    house's covenant), so the partner can read the advice given; anyone else is refused.
    """
    held = _require_house_role(actor, house_id)
    own = acting_party_id(actor)
    party_id = own if requesting_party_id is None else requesting_party_id
    if party_id != own:
        if Role.PROCESS_COORDINATOR not in held:
            raise NotAllowed(
                "Alleen een procesregisseur van dit huis legt een adviesvraag vast namens een "
                "andere partij.",
                field="requesting_party",
            )
        _member_party(House.objects.get(pk=house_id), party_id, field="requesting_party")
    if not question.strip():
        raise InvalidInput("Beschrijf de adviesvraag.", field="question")
    with transaction.atomic():
        advice = AdviceRequest.objects.create(
            house_id=house_id,
            requesting_party_id=party_id,
            recorded_by=actor,
            question=question,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="advicerequest",
            object_id=advice.pk,
            house_id=house_id,
            role=Role.PROCESS_COORDINATOR if party_id != own else "",
            purpose="advice",
        )
    return advice


def advice_conclude(*, actor: User, advice_id: UUID, advice: str) -> AdviceRequest:
    """Conclude an advice request as handled locally, with the advice given. One the actor
    may not read is missing to it; the asking party reads but does not conclude."""
    with transaction.atomic():
        request = advice_requests_visible_to(actor).select_for_update().filter(pk=advice_id).first()
        if request is None:
            raise NotFound("Deze adviesvraag bestaat niet.")
        _require_house_role(actor, request.house_id, Role.PROCESS_COORDINATOR)
        if request.outcome != AdviceOutcome.OPEN:
            raise InvalidTransition("Deze adviesvraag is al afgehandeld.")
        if not advice.strip():
            raise InvalidInput("Vermeld het gegeven advies.", field="advice")
        request.outcome = AdviceOutcome.HANDLED_LOCALLY
        request.advice = advice
        request.concluded_at = timezone.now()
        request.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="advicerequest",
            object_id=request.pk,
            house_id=request.house_id,
            role=Role.PROCESS_COORDINATOR,
            purpose="advice",
        )
    return request


# Referral ---------------------------------------------------------------------------------


def _check_person(index: int, person: PersonInput, today: datetime.date) -> None:
    prefix = f"persons[{index}]"
    if not person.given_names.strip():
        raise InvalidInput("Vul de voornamen in.", field=f"{prefix}.given_names")
    if not person.surname.strip():
        raise InvalidInput("Vul de achternaam in.", field=f"{prefix}.surname")
    if person.birth_date > today:
        raise InvalidInput("De geboortedatum ligt in de toekomst.", field=f"{prefix}.birth_date")
    if person.birth_date < today - datetime.timedelta(days=366 * 120):
        raise InvalidInput(
            "De geboortedatum ligt meer dan 120 jaar terug.", field=f"{prefix}.birth_date"
        )
    if person.bsn and not is_valid_bsn(person.bsn):
        raise InvalidInput("Dit is geen geldig BSN (elfproef).", field=f"{prefix}.bsn")


def case_refer(
    *,
    actor: User,
    house_id: int,
    track_id: int,
    subject_kind: SubjectKind,
    persons: Sequence[PersonInput],
    area_description: str = "",
    municipality_id: int,
    problem_statement: str,
    goal: str,
    theme_ids: Sequence[int] = (),
    advice_request_id: UUID | None = None,
) -> Case:
    """Refer a case to the house on behalf of the actor's party (Bijlage 3: at least personalia,
    problem statement and goal).

    A referral that follows an advice question is the asking party's: when a process
    coordinator registers a case that a partner raised by phone, that partner is the
    referring party (Bijlage 3: "Aanmeldende partij en procesregisseur"), takes part in the
    case as its referrer and is the one told of its closure."""
    held = _require_house_role(actor, house_id)
    house = House.objects.select_related("covenant").get(pk=house_id)
    track = Track.objects.filter(pk=track_id, covenant_id=house.covenant_id, is_active=True).first()
    if track is None:
        raise InvalidInput("Onbekend werkproces voor dit huis.", field="track")
    municipality = _member_party(house, municipality_id, field="municipality")
    if municipality.kind != PartyKind.GEMEENTE:
        raise InvalidInput("Kies een gemeente.", field="municipality")
    themes = list(
        Theme.objects.filter(pk__in=theme_ids, covenant_id=house.covenant_id, is_active=True)
    )
    if len(themes) != len(set(theme_ids)):
        raise InvalidInput("Onbekend thema voor dit convenant.", field="themes")
    if not problem_statement.strip():
        raise InvalidInput("Beschrijf de problematiek.", field="problem_statement")
    if not goal.strip():
        raise InvalidInput("Beschrijf het doel van de aanmelding.", field="goal")
    today = timezone.localdate()
    if subject_kind == SubjectKind.AREA:
        if persons:
            raise InvalidInput("Een gebied heeft geen personen.", field="persons")
        if not area_description.strip():
            raise InvalidInput("Beschrijf het gebied.", field="area_description")
    elif subject_kind == SubjectKind.PERSON and len(persons) != 1:
        raise InvalidInput(
            "Een aanmelding van een persoon heeft precies één persoon.", field="persons"
        )
    elif subject_kind == SubjectKind.FAMILY and len(persons) < 2:
        raise InvalidInput("Een gezinssysteem heeft ten minste twee personen.", field="persons")
    for index, person in enumerate(persons):
        _check_person(index, person, today)

    with transaction.atomic():
        advice = None
        if advice_request_id is not None:
            # The house's process coordinators refer what was asked of them; a partner refers
            # only what its own party asked. Another's advice request looks unknown.
            pending = AdviceRequest.objects.select_for_update().filter(
                pk=advice_request_id, house_id=house_id
            )
            if Role.PROCESS_COORDINATOR not in held:
                pending = pending.filter(requesting_party_id=acting_party_id(actor))
            advice = pending.first()
            if advice is None:
                raise InvalidInput("Onbekende adviesvraag.", field="advice_request")
            if advice.outcome != AdviceOutcome.OPEN:
                raise InvalidTransition("Deze adviesvraag is al afgehandeld.")
        referrer_id = advice.requesting_party_id if advice else acting_party_id(actor)
        case = Case.objects.create(
            house=house,
            track=track,
            subject_kind=subject_kind,
            area_description=area_description,
            municipality=municipality,
            referring_party_id=referrer_id,
            referred_by=actor,
            problem_statement=problem_statement,
            goal=goal,
        )
        case.themes.set(themes)
        created = Person.objects.bulk_create(
            Person(
                case=case,
                given_names=p.given_names.strip(),
                surname=p.surname.strip(),
                surname_key=Person.key_for(p.surname),
                birth_date=p.birth_date,
                bsn=p.bsn,
                address=p.address,
                municipality=p.municipality,
                is_primary=index == 0,
            )
            for index, p in enumerate(persons)
        )
        CaseParty.objects.create(
            case=case,
            party_id=referrer_id,
            role=REFERRER_ROLE,
            information_need="Aanmeldende partij",
            invited_by=actor,
        )
        if advice is not None:
            advice.outcome = AdviceOutcome.REFERRED
            advice.case = case
            advice.concluded_at = timezone.now()
            advice.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="case",
            object_id=case.pk,
            case_id=case.pk,
            house_id=case.house_id,
            person_ids=[p.pk for p in created],
            role=Role.PARTNER_PROFESSIONAL
            if referrer_id == acting_party_id(actor)
            else Role.PROCESS_COORDINATOR,
            purpose=track.slug,
        )
    return case


# Intake and participation -----------------------------------------------------------------


def intake_start(*, actor: User, case_id: UUID, information_coordinator_id: int) -> Case:
    """Take up a referral: the actor becomes its process coordinator and names the IC."""
    with transaction.atomic():
        access = access_for_update(actor, case_id, step="start_intake")
        case = access.case
        coordinator = User.objects.filter(pk=information_coordinator_id, is_active=True).first()
        if coordinator is None or Role.INFORMATION_COORDINATOR not in _house_roles(
            coordinator, case.house_id
        ):
            raise InvalidInput(
                "Deze gebruiker is geen informatiecoördinator van dit huis.",
                field="information_coordinator",
            )
        transition(access, "start_intake")
        case.process_coordinator = actor
        case.information_coordinator = coordinator
        case.save(update_fields=["process_coordinator", "information_coordinator"])
        _audit(
            access,
            AuditAction.TRANSITION,
            case,
            person_ids=_persons_of(case),
            reason="start_intake",
        )
    return case


def case_party_invite(
    *, actor: User, case_id: UUID, party_id: int, role: str, information_need: str
) -> CaseParty:
    """Invite a party to take part, with its role and information need (art. 9.4c, 13.2c)."""
    with transaction.atomic():
        access = access_for_update(actor, case_id)
        return _invite(access, Invitation(party_id, role, information_need))


def _invite(
    access: CaseAccess, invitation: Invitation, *, field: str = "party", by_triage: bool = False
) -> CaseParty:
    """Add a participating party. The triage decision invites as part of accepting (art. 8.3c);
    otherwise only the case's coordinators invite."""
    case = access.case
    if not by_triage and not access.is_assigned_coordinator:
        raise NotAllowed("Alleen de procesregie van de casus nodigt partijen uit.")
    if case.phase in (Phase.CLOSED, Phase.DECLINED, Phase.REFERRED):
        raise InvalidTransition(
            f"In fase '{Phase(case.phase).label}' worden geen partijen uitgenodigd."
        )
    party = _member_party(case.house, invitation.party_id, field=field)
    if not invitation.role.strip():
        raise InvalidInput("Leg de rol van de partij vast (art. 9.4c).", field="role")
    if not invitation.information_need.strip():
        raise InvalidInput(
            "Leg de informatiebehoefte van de partij vast (art. 9.4c).", field="information_need"
        )
    if CaseParty.objects.filter(case=case, party=party).exists():
        raise InvalidInput("Deze partij neemt al deel aan de casus.", field=field)
    participant = CaseParty.objects.create(
        case=case,
        party=party,
        role=invitation.role,
        information_need=invitation.information_need,
        invited_by=access.user,
    )
    _audit(access, AuditAction.CREATE, participant, object_type="caseparty")
    return participant


# Triage -----------------------------------------------------------------------------------


def triage_submit(*, actor: User, case_id: UUID) -> Case:
    with transaction.atomic():
        access = access_for_update(actor, case_id)
        transition(access, "submit_to_triage")
        _audit(access, AuditAction.TRANSITION, access.case, reason="submit_to_triage")
    return access.case


def triage_decide(
    *,
    actor: User,
    case_id: UUID,
    serious_area_problem: bool,
    system_impact: bool,
    multiple_chains_needed: bool,
    multiple_problems: bool,
    outcome: TriageOutcome,
    explanation: str,
    goal: str = "",
    theme_ids: Sequence[int] = (),
    invitations: Sequence[Invitation] = (),
) -> TriageDecision:
    """Record the triage body's decision (art. 8.3) and move the case accordingly."""
    if not explanation.strip():
        field = "advice" if outcome == TriageOutcome.NOT_FOR_HOUSE else "explanation"
        raise InvalidInput(
            "Licht het besluit toe; bij 'geen casus' is dit het advies aan de aanmelder.",
            field=field,
        )
    name = {
        TriageOutcome.NOT_FOR_HOUSE: "decline",
        TriageOutcome.MORE_INFORMATION: "request_more_information",
        TriageOutcome.ACCEPTED: "accept",
    }[outcome]
    with transaction.atomic():
        access = access_for_update(actor, case_id, step=name)
        case = access.case
        decision = TriageDecision(
            case=case,
            decided_by=actor,
            serious_area_problem=serious_area_problem,
            system_impact=system_impact,
            multiple_chains_needed=multiple_chains_needed,
            multiple_problems=multiple_problems,
            outcome=outcome,
            explanation=explanation,
        )
        if outcome == TriageOutcome.ACCEPTED:
            if not decision.meets_criteria:
                raise InvalidInput(
                    "De casus voldoet niet aan de criteria complexe casuïstiek (Bijlage 2): "
                    "(ernstige gebiedsproblematiek of impact op het systeem) én meerdere ketens "
                    "én meerdere problemen.",
                    field="criteria",
                )
            if not goal.strip():
                raise InvalidInput("Leg het doel van het casusoverleg vast.", field="goal")
            # A covenant that names no themes (Midden-Limburg art. 2.2a) accepts without one.
            if not theme_ids and Theme.objects.filter(covenant_id=case.house.covenant_id).exists():
                raise InvalidInput("Kies ten minste één thema.", field="themes")
            if not invitations:
                raise InvalidInput(
                    "Nodig ten minste één partij uit, met rol en reden.", field="invitations"
                )
            themes = list(
                Theme.objects.filter(pk__in=theme_ids, covenant_id=case.house.covenant_id)
            )
            if len(themes) != len(set(theme_ids)):
                raise InvalidInput("Onbekend thema voor dit convenant.", field="themes")
        if (decided := already_decided(case)) is not None:
            raise decided
        transition(access, name)
        decision.save()
        if outcome == TriageOutcome.ACCEPTED:
            case.goal = goal
            case.save(update_fields=["goal"])
            case.themes.set(themes)
            for index, invitation in enumerate(invitations):
                _invite(access, invitation, field=f"invitations[{index}].party", by_triage=True)
        _audit(access, AuditAction.CREATE, decision, object_type="triagedecision", reason=name)
    return decision


# Meetings ---------------------------------------------------------------------------------


def meeting_schedule(
    *, actor: User, house_id: int, body_id: int, starts_at: datetime.datetime, location: str = ""
) -> Meeting:
    _require_house_role(actor, house_id, *SCHEDULING_ROLES)
    body = Body.objects.filter(
        pk=body_id, kind=BodyKind.CASE_MEETING, houses=house_id, is_active=True
    ).first()
    if body is None:
        raise InvalidInput("Kies een casusoverleg van dit huis.", field="body")
    if starts_at < timezone.now():
        raise InvalidInput("Een overleg wordt in de toekomst gepland.", field="starts_at")
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
    if meeting is None or not _house_roles(actor, meeting.house_id):
        raise NotFound("Dit overleg bestaat niet.")
    _require_house_role(actor, meeting.house_id, *SCHEDULING_ROLES)
    return meeting


def agenda_item_add(
    *, actor: User, meeting_id: UUID, case_id: UUID, purpose: AgendaPurpose
) -> AgendaItem:
    """Put a case on a planned meeting's agenda; its participating parties are the invitees."""
    with transaction.atomic():
        meeting = _meeting_for_update(actor, meeting_id)
        if meeting.status != MeetingStatus.PLANNED:
            raise InvalidTransition(
                "Alleen een gepland overleg krijgt agendapunten.", field="meeting"
            )
        access = access_for_update(actor, case_id)
        case = access.case
        if case.house_id != meeting.house_id:
            raise InvalidInput("Deze casus hoort bij een ander huis.", field="case")
        if not Body.objects.filter(pk=meeting.body_id, tracks=case.track_id).exists():
            # Each track has its own process and protocol; the region file says which tracks
            # a body discusses (`tracks`; e.g. Gelderland-Midden Bijlage 3, Proces radicalisering).
            raise InvalidInput(
                f"Het overleg '{Body.objects.get(pk=meeting.body_id).label}' bespreekt geen "
                f"casussen van het werkproces '{case.track.name}'. Kies een overleg voor dit "
                "werkproces.",
                field="case",
            )
        expected = Phase.ACCEPTED if purpose == AgendaPurpose.FIRST_DISCUSSION else Phase.ACTIVE
        if case.phase != expected:
            raise InvalidTransition(
                f"Een agendapunt '{AgendaPurpose(purpose).label}' kan alleen voor een casus in "
                f"fase '{expected.label}'.",
                field="purpose",
            )
        if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            raise InvalidInput("Deze casus staat al op de agenda.", field="case")
        position = meeting.agenda_items.count() + 1
        item = AgendaItem.objects.create(
            meeting=meeting, case=case, position=position, purpose=purpose
        )
        _audit(access, AuditAction.CREATE, item, object_type="agendaitem")
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
            raise NotFound("Dit agendapunt bestaat niet.")
        meeting = _meeting_for_update(actor, item.meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise InvalidTransition("Dit overleg is geannuleerd.")
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
                    "De casusregisseur komt van een partij die deelneemt aan de casus.",
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
                        "De casusregisseur werkt niet bij deze partij.", field="case_coordinator"
                    )
                case.case_coordinator = person
            case.save(update_fields=["case_coordinator_party", "case_coordinator"])
        for index, decision in enumerate(decisions):
            if not decision.text.strip():
                raise InvalidInput("Beschrijf het besluit.", field=f"decisions[{index}].text")
            if (
                decision.decision_type_id is not None
                and not DecisionType.objects.filter(
                    pk=decision.decision_type_id, covenant_id=case.house.covenant_id, is_active=True
                ).exists()
            ):
                raise InvalidInput(
                    "Onbekend besluittype voor dit convenant.",
                    field=f"decisions[{index}].decision_type",
                )
            Decision.objects.create(
                agenda_item=item,
                decision_type_id=decision.decision_type_id,
                text=decision.text,
                recorded_by=actor,
            )
        _audit(
            access, AuditAction.UPDATE, item, object_type="agendaitem", person_ids=_persons_of(case)
        )
    return item


def meeting_hold(*, actor: User, meeting_id: UUID) -> Meeting:
    """Mark a meeting as held. First discussions must have appointed a case coordinator and
    recorded who informs the client, what happens on arrest and when to close (Bijlage 3)."""
    with transaction.atomic():
        meeting = _meeting_for_update(actor, meeting_id)
        if meeting.status != MeetingStatus.PLANNED:
            raise InvalidTransition("Dit overleg is al gehouden of geannuleerd.")
        now = timezone.now()
        if timezone.localdate(meeting.starts_at) > timezone.localdate(now):
            raise InvalidTransition("Een overleg kan pas op de dag zelf als gehouden gelden.")
        items = list(meeting.agenda_items.select_related("case"))
        for item in items:
            if item.purpose != AgendaPurpose.FIRST_DISCUSSION:
                continue
            missing = [
                label
                for label, ok in [
                    ("casusregisseur", item.case.case_coordinator_party_id is not None),
                    ("wie de cliënt informeert", bool(item.informs_client.strip())),
                    ("wat te doen bij aanhouding", bool(item.on_arrest.strip())),
                    ("criteria voor afschaling", bool(item.closure_criteria.strip())),
                ]
                if not ok
            ]
            if missing:
                raise InvalidInput(
                    f"Agendapunt {item.position}: leg nog vast: {', '.join(missing)}.",
                    field="agenda_items",
                )
        meeting.status = MeetingStatus.HELD
        meeting.held_at = now
        meeting.save(update_fields=["status", "held_at"])
        for item in items:
            access = access_for_update(actor, item.case_id)
            if access.case.first_discussed_at is None:
                access.case.first_discussed_at = now
                access.case.save(update_fields=["first_discussed_at"])
            if access.case.phase == Phase.ACCEPTED:
                transition(access, "discuss")
            _audit(access, AuditAction.UPDATE, meeting, object_type="meeting", reason="held")
    return meeting


# Action plan ------------------------------------------------------------------------------


def _plan_snapshot(plan: ActionPlan) -> list[dict[str, Any]]:
    return [
        {
            "id": str(a.pk),
            "owner_party_id": a.owner_party_id,
            "owner_id": a.owner_id,
            "what": a.what,
            "due_on": a.due_on.isoformat(),
            "status": a.status,
        }
        for a in plan.actions.order_by("due_on", "pk")
    ]


def _plan_access(actor: User, case_id: UUID) -> tuple[CaseAccess, ActionPlan | None]:
    access = access_for_update(actor, case_id)
    if not access.is_process_coordinator:
        raise NotAllowed("Alleen de procesregisseur van de casus legt het plan van aanpak vast.")
    if access.case.phase not in (Phase.ACCEPTED, Phase.ACTIVE):
        raise InvalidTransition("Een plan van aanpak hoort bij een geaccepteerde of lopende casus.")
    plan = ActionPlan.objects.select_for_update().filter(case=access.case).first()
    return access, plan


def _new_version(
    plan: ActionPlan, actor: User, change: str, *, expected: int | None = None
) -> None:
    """Refuse a change made from another version than the stored one, keep the plan as it was
    before this change, then count up (`core.versions`)."""
    number = plan.version
    version_advance(plan, expected=expected)
    ActionPlanVersion.objects.create(
        plan=plan,
        number=number,
        goal=plan.goal,
        actions=_plan_snapshot(plan),
        changed_by=actor,
        change=change,
    )


def action_plan_set_goal(
    *, actor: User, case_id: UUID, goal: str, expected_version: int | None = None
) -> ActionPlan:
    """Set the plan's goal, making the plan when there is none. `expected_version` is the
    plan's version the change was made from, 0 when it was made while there was no plan:
    a plan made meanwhile by someone else is not overwritten."""
    if not goal.strip():
        raise InvalidInput("Beschrijf het doel van het plan van aanpak.", field="goal")
    with transaction.atomic():
        access, plan = _plan_access(actor, case_id)
        if plan is None:
            if expected_version not in (None, 0):
                raise StaleVersion(0)
            plan = ActionPlan.objects.create(case=access.case, goal=goal)
        else:
            _new_version(plan, actor, gettext_noop("doel gewijzigd"), expected=expected_version)
            plan.goal = goal
            plan.save(update_fields=["goal"])
        _audit(access, AuditAction.UPDATE, plan, object_type="actionplan")
    return plan


def _check_owner(access: CaseAccess, owner_party_id: int, owner_id: int | None) -> None:
    if not CaseParty.objects.filter(case=access.case, party_id=owner_party_id).exists():
        raise InvalidInput(
            "De eigenaar is een partij die deelneemt aan de casus.", field="owner_party"
        )
    if (
        owner_id is not None
        and not User.objects.filter(pk=owner_id, party_id=owner_party_id, is_active=True).exists()
    ):
        raise InvalidInput("Deze persoon werkt niet bij de eigenaar-partij.", field="owner")


def action_add(
    *,
    actor: User,
    case_id: UUID,
    owner_party_id: int,
    owner_id: int | None,
    what: str,
    due_on: datetime.date,
) -> Action:
    """Add an action (who, what, when) to the plan; the previous plan is kept as a version."""
    if not what.strip():
        raise InvalidInput("Beschrijf de actie.", field="what")
    if due_on < timezone.localdate():
        raise InvalidInput("De einddatum ligt in het verleden.", field="due_on")
    with transaction.atomic():
        access, plan = _plan_access(actor, case_id)
        if plan is None:
            raise InvalidTransition("Leg eerst het doel van het plan van aanpak vast.")
        _check_owner(access, owner_party_id, owner_id)
        _new_version(plan, actor, gettext_noop("actie toegevoegd"))
        action = Action.objects.create(
            plan=plan, owner_party_id=owner_party_id, owner_id=owner_id, what=what, due_on=due_on
        )
        _audit(access, AuditAction.CREATE, action, object_type="action")
    return action


def action_update(
    *,
    actor: User,
    action_id: UUID,
    status: ActionStatus | None = None,
    due_on: datetime.date | None = None,
    what: str | None = None,
    expected_version: int | None = None,
) -> Action:
    """Change an action; the owner party may report its status, the process coordinator may
    change anything. The plan before the change is kept as a version; a change that changes
    nothing leaves the plan as it is.

    What and when can be corrected while the plan is drafted (accepted case) and while it runs;
    a status is reported only once the case is active, after the meeting agreed the plan.

    A change made from another version of the action than the stored one is refused
    (`expected_version`, `core.versions`), also one that would change nothing."""
    with transaction.atomic():
        action = Action.objects.select_related("plan").filter(pk=action_id).first()
        if action is None:
            raise NotFound("Deze actie bestaat niet.")
        access = access_for_update(actor, action.plan.case_id)
        if expected_version is not None and expected_version != action.version:
            raise StaleVersion(action.version)
        is_coordinator = access.is_process_coordinator
        if not is_coordinator and not (
            actor.party_id == action.owner_party_id and due_on is None and what is None
        ):
            raise NotAllowed(
                "Alleen de procesregisseur wijzigt acties; de eigenaar-partij meldt de status."
            )
        status_changes = status is not None and status != action.status
        if access.case.phase != Phase.ACTIVE and (
            status_changes or access.case.phase != Phase.ACCEPTED
        ):
            raise InvalidTransition(
                "De status van een actie wordt gemeld bij een lopende casus; wat en wanneer "
                "wijzigen kan ook zolang het plan wordt opgesteld."
            )
        if what is not None and not what.strip():
            raise InvalidInput("Beschrijf de actie.", field="what")
        if due_on is not None and due_on != action.due_on and due_on < timezone.localdate():
            raise InvalidInput("De einddatum ligt in het verleden.", field="due_on")
        changes = {
            name: value
            for name, value in (("status", status), ("due_on", due_on), ("what", what))
            if value is not None and value != getattr(action, name)
        }
        if not changes:
            return action
        version_advance(action, expected=expected_version)
        plan = ActionPlan.objects.select_for_update().get(pk=action.plan_id)
        _new_version(plan, actor, gettext_noop("actie gewijzigd"))
        for name, value in changes.items():
            setattr(action, name, value)
        action.save(update_fields=list(changes))
        _audit(access, AuditAction.UPDATE, action, object_type="action")
    return action


# Closure ----------------------------------------------------------------------------------


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
    """Close a case as decided in a held meeting, and record the notice to the referrer."""
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_related("meeting")
            .filter(pk=agenda_item_id, case_id=case_id)
            .first()
        )
        if item is None:
            raise InvalidInput("Dit agendapunt hoort niet bij deze casus.", field="agenda_item")
        access = access_for_update(actor, case_id)
        if item.meeting.status != MeetingStatus.HELD:
            raise InvalidTransition("Afschalen wordt besloten in een gehouden casusoverleg.")
        if reason == ClosureReason.HANDED_OVER:
            if handed_over_to_id is None:
                raise InvalidInput("Noem de partij die de casus overneemt.", field="handed_over_to")
            _member_party(access.case.house, handed_over_to_id, field="handed_over_to")
        elif handed_over_to_id is not None:
            raise InvalidInput(
                "Alleen bij overdracht wordt een partij genoemd.", field="handed_over_to"
            )
        if reason == ClosureReason.OTHER and not explanation.strip():
            raise InvalidInput("Licht de reden toe.", field="explanation")
        if not referrer_notice.strip():
            raise InvalidInput("Leg vast wat de aanmelder is meegedeeld.", field="referrer_notice")
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
        _audit(
            access,
            AuditAction.TRANSITION,
            access.case,
            reason="close",
            person_ids=_persons_of(access.case),
        )
    return closure
