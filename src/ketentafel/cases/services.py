# SPDX-License-Identifier: EUPL-1.2
"""Writes of the complex-case process. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import acting_party_id
from ketentafel.advice.models import AdviceRequest
from ketentafel.advice.workflow import ADVICE_REQUEST
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_record
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import (
    Case,
    CaseParty,
    Person,
    Phase,
    SubjectKind,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.notices import referrer_notify
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.selectors import access_for_update, already_decided
from ketentafel.cases.workflow import transition
from ketentafel.core.bsn import is_valid_bsn
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed
from ketentafel.covenants.models import (
    Covenant,
    House,
    PartyKind,
    Theme,
    Track,
)
from ketentafel.covenants.policies import house_roles, member_party, require_house_role

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


# Referral ---------------------------------------------------------------------------------


def _check_person(index: int, person: PersonInput, today: datetime.date) -> None:
    prefix = f"persons[{index}]"
    if not person.given_names.strip():
        raise InvalidInput(_("Vul de voornamen in."), field=f"{prefix}.given_names")
    if not person.surname.strip():
        raise InvalidInput(_("Vul de achternaam in."), field=f"{prefix}.surname")
    if person.birth_date > today:
        raise InvalidInput(_("De geboortedatum ligt in de toekomst."), field=f"{prefix}.birth_date")
    if person.birth_date < today - datetime.timedelta(days=366 * 120):
        raise InvalidInput(
            _("De geboortedatum ligt meer dan 120 jaar terug."), field=f"{prefix}.birth_date"
        )
    if person.bsn and not is_valid_bsn(person.bsn):
        raise InvalidInput(_("Dit is geen geldig BSN (elfproef)."), field=f"{prefix}.bsn")


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
    held = require_house_role(actor, house_id)
    house = House.objects.select_related("covenant").get(pk=house_id)
    track = Track.objects.filter(pk=track_id, covenant_id=house.covenant_id, is_active=True).first()
    if track is None:
        raise InvalidInput(_("Onbekend werkproces voor dit huis."), field="track")
    municipality = member_party(house, municipality_id, field="municipality")
    if municipality.kind != PartyKind.GEMEENTE:
        raise InvalidInput(_("Kies een gemeente."), field="municipality")
    themes = list(
        Theme.objects.filter(pk__in=theme_ids, covenant_id=house.covenant_id, is_active=True)
    )
    if len(themes) != len(set(theme_ids)):
        raise InvalidInput(_("Onbekend thema voor dit convenant."), field="themes")
    if not problem_statement.strip():
        raise InvalidInput(_("Beschrijf de problematiek."), field="problem_statement")
    if not goal.strip():
        raise InvalidInput(_("Beschrijf het doel van de aanmelding."), field="goal")
    today = timezone.localdate()
    if subject_kind == SubjectKind.AREA:
        if persons:
            raise InvalidInput(_("Een gebied heeft geen personen."), field="persons")
        if not area_description.strip():
            raise InvalidInput(_("Beschrijf het gebied."), field="area_description")
    elif subject_kind == SubjectKind.PERSON and len(persons) != 1:
        raise InvalidInput(
            _("Een aanmelding van een persoon heeft precies één persoon."), field="persons"
        )
    elif subject_kind == SubjectKind.FAMILY and len(persons) < 2:
        raise InvalidInput(_("Een gezinssysteem heeft ten minste twee personen."), field="persons")
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
                raise InvalidInput(_("Onbekende adviesvraag."), field="advice_request")
            ADVICE_REQUEST.check(advice, "refer")
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
            ADVICE_REQUEST.take(advice, "refer")
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
        if coordinator is None or Role.INFORMATION_COORDINATOR not in house_roles(
            coordinator, case.house_id
        ):
            raise InvalidInput(
                _("Deze gebruiker is geen informatiecoördinator van dit huis."),
                field="information_coordinator",
            )
        transition(access, "start_intake")
        case.process_coordinator = actor
        case.information_coordinator = coordinator
        case.save(update_fields=["process_coordinator", "information_coordinator"])
        case_audit(
            access,
            AuditAction.TRANSITION,
            object_type="case",
            object_id=case.pk,
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
        raise NotAllowed(_("Alleen de procesregie van de casus nodigt partijen uit."))
    if case.phase in (Phase.CLOSED, Phase.DECLINED, Phase.REFERRED):
        raise InvalidTransition(
            _("In fase '%(phase)s' worden geen partijen uitgenodigd.")
            % {"phase": Phase(case.phase).label}
        )
    party = member_party(case.house, invitation.party_id, field=field)
    if not invitation.role.strip():
        raise InvalidInput(_("Leg de rol van de partij vast (art. 9.4c)."), field="role")
    if not invitation.information_need.strip():
        raise InvalidInput(
            _("Leg de informatiebehoefte van de partij vast (art. 9.4c)."), field="information_need"
        )
    if CaseParty.objects.filter(case=case, party=party).exists():
        raise InvalidInput(_("Deze partij neemt al deel aan de casus."), field=field)
    participant = CaseParty.objects.create(
        case=case,
        party=party,
        role=invitation.role,
        information_need=invitation.information_need,
        invited_by=access.user,
    )
    case_audit(access, AuditAction.CREATE, object_type="caseparty", object_id=participant.pk)
    return participant


# Triage -----------------------------------------------------------------------------------


def triage_submit(*, actor: User, case_id: UUID) -> Case:
    with transaction.atomic():
        access = access_for_update(actor, case_id)
        transition(access, "submit_to_triage")
        case_audit(
            access,
            AuditAction.TRANSITION,
            object_type="case",
            object_id=access.case.pk,
            reason="submit_to_triage",
        )
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
    municipality_view: str = "",
    referrer_consulted: bool = False,
    referrer_consulted_on: datetime.date | None = None,
    referrer_consultation: str = "",
) -> TriageDecision:
    """Record the triage body's decision (art. 8.3) and move the case accordingly.

    The criteria are checked by the region's rule (`[criteria]`, Bijlage 2). A decision on the
    case (not for the house, or accepted) is taken in consultation with the referring party
    (Gelderland-Midden art. 8.1a, Midden-Nederland art. 12.2a) and, where the covenant makes it
    part of triage, with the municipality's view (Gelderland-Midden art. 1.8); asking for more
    information decides nothing yet and needs neither. The referring party is told of the
    outcome by a notice (`_referrer_notify`)."""
    if not explanation.strip():
        field = "advice" if outcome == TriageOutcome.NOT_FOR_HOUSE else "explanation"
        raise InvalidInput(
            _("Licht het besluit toe; bij 'geen casus' is dit het advies aan de aanmelder."),
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
        covenant = case.house.covenant
        _check_triage_consultation(
            covenant,
            case,
            outcome=outcome,
            municipality_view=municipality_view,
            referrer_consulted=referrer_consulted,
            referrer_consulted_on=referrer_consulted_on,
            referrer_consultation=referrer_consultation,
        )
        criteria = covenant.criteria
        decision = TriageDecision(
            case=case,
            decided_by=actor,
            serious_area_problem=serious_area_problem,
            system_impact=system_impact,
            multiple_chains_needed=multiple_chains_needed,
            multiple_problems=multiple_problems,
            criteria_rule=criteria.rule,
            outcome=outcome,
            explanation=explanation,
            municipality_view=municipality_view.strip(),
            referrer_consulted=referrer_consulted,
            referrer_consulted_on=referrer_consulted_on if referrer_consulted else None,
            referrer_consultation=referrer_consultation.strip(),
        )
        if outcome == TriageOutcome.ACCEPTED:
            if not decision.meets_criteria:
                raise InvalidInput(
                    _(
                        "De casus voldoet niet aan de criteria complexe casuïstiek "
                        "(%(source)s): %(rule)s."
                    )
                    % {"source": criteria.source, "rule": criteria.in_words()},
                    field="criteria",
                )
            if not goal.strip():
                raise InvalidInput(_("Leg het doel van het casusoverleg vast."), field="goal")
            # A covenant that names no themes (Midden-Limburg art. 2.2a) accepts without one.
            if not theme_ids and Theme.objects.filter(covenant_id=case.house.covenant_id).exists():
                raise InvalidInput(_("Kies ten minste één thema."), field="themes")
            if not invitations:
                raise InvalidInput(
                    _("Nodig ten minste één partij uit, met rol en reden."), field="invitations"
                )
            themes = list(
                Theme.objects.filter(pk__in=theme_ids, covenant_id=case.house.covenant_id)
            )
            if len(themes) != len(set(theme_ids)):
                raise InvalidInput(_("Onbekend thema voor dit convenant."), field="themes")
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
        case_audit(
            access,
            AuditAction.CREATE,
            object_type="triagedecision",
            object_id=decision.pk,
            reason=name,
        )
        referrer_notify(
            case,
            subject="Triagebesluit over een aanmelding in Ketentafel",
            lead=(
                "Het Zorg- en Veiligheidshuis heeft besloten over een aanmelding van uw "
                "organisatie. Het besluit en het advies staan bij de casus."
            ),
        )
    return decision


def _check_triage_consultation(
    covenant: Covenant,
    case: Case,
    *,
    outcome: TriageOutcome,
    municipality_view: str,
    referrer_consulted: bool,
    referrer_consulted_on: datetime.date | None,
    referrer_consultation: str,
) -> None:
    """The municipality's view and the consultation with the referrer, as the region's
    covenant requires them (`[triage]` of the region file)."""
    decides = outcome != TriageOutcome.MORE_INFORMATION
    if decides and covenant.municipality_view_required and not municipality_view.strip():
        raise InvalidInput(
            _("Leg de zienswijze van de gemeente vast (%(source)s).")
            % {"source": covenant.municipality_view_source},
            field="municipality_view",
        )
    source = covenant.referrer_consultation_source or _("de triage-artikelen van het convenant")
    if not referrer_consulted:
        if referrer_consulted_on is not None:
            raise InvalidInput(
                _("Een datum van overleg hoort bij een overleg met de aanmelder."),
                field="referrer_consulted_on",
            )
        if decides:
            raise InvalidInput(
                _(
                    "Dit besluit wordt genomen in overleg met de partij die de casus aanmeldde "
                    "(%(source)s); leg dat overleg vast."
                )
                % {"source": source},
                field="referrer_consulted",
            )
        return
    if referrer_consulted_on is None:
        raise InvalidInput(
            _("Vul de datum van het overleg met de aanmelder in."), field="referrer_consulted_on"
        )
    if referrer_consulted_on > timezone.localdate():
        raise InvalidInput(
            _("De datum van het overleg ligt in de toekomst."), field="referrer_consulted_on"
        )
    if referrer_consulted_on < timezone.localdate(case.referred_at):
        raise InvalidInput(
            _("De datum van het overleg ligt vóór de aanmelding."), field="referrer_consulted_on"
        )
    if not referrer_consultation.strip():
        raise InvalidInput(
            _("Vat het overleg met de aanmelder samen (%(source)s).") % {"source": source},
            field="referrer_consultation",
        )


# Closure ----------------------------------------------------------------------------------
