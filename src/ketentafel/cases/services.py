# SPDX-License-Identifier: EUPL-1.2
"""Writes of the complex-case process. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace
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
    Closure,
    ClosureReason,
    Person,
    Phase,
    SubjectKind,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.cases.notices import referrer_notify
from ketentafel.cases.policies import CaseAccess, Session
from ketentafel.cases.selectors import access_for_update, already_decided
from ketentafel.cases.workflow import check, transition
from ketentafel.core.bsn import is_valid_bsn
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed
from ketentafel.covenants.models import (
    Covenant,
    ExcludedSubject,
    House,
    Party,
    PartyKind,
    Theme,
    Track,
    TrackKind,
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
    # Why a party that is not a core partner of the track takes part (Gelderland-Midden
    # Bijlage 3, Proces radicalisering: "externe casuspartners" that must be involved).
    justification: str = ""


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


def _case_create(
    actor: User,
    *,
    house: House,
    track: Track,
    subject_kind: SubjectKind,
    area_description: str = "",
    municipality: Party,
    referrer_id: int,
    problem_statement: str,
    goal: str,
    persons: Sequence[PersonInput],
) -> Case:
    """The rows of a new case in phase `referred`: the case, its persons (the first its
    primary one) and the referring party taking part as its referrer, with the audit event
    of its creation."""
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
    # Recorded as the party's referral, or as the process coordinator's registration of it.
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


def _refuse_excluded(house: House, slugs: Sequence[str], *, field: str) -> None:
    """Refuse a referral on a subject the covenant puts outside this process (IJsselland
    art. 2.3 slotzin), with the covenant's own words and article."""
    subject = ExcludedSubject.objects.filter(
        covenant_id=house.covenant_id, slug__in=slugs, is_active=True
    ).first()
    if subject is not None:
        raise InvalidInput(
            _("%(subject)s valt buiten dit convenant: %(message)s (%(source)s)")
            % {"subject": subject.name, "message": subject.message, "source": subject.source},
            field=field,
        )


def _offered_track(house: House, track_id: int) -> Track:
    """The active track of the house's covenant that the house offers (Midden-Nederland
    art. 2.3 b: PGA ondermijning only in Regio Utrecht)."""
    track = Track.objects.filter(pk=track_id, covenant_id=house.covenant_id).first()
    if track is not None and not track.is_active:
        # A stale choice, for example a track a later region file took out of the process.
        _refuse_excluded(house, [track.slug], field="track")
        track = None
    if track is None:
        raise InvalidInput(_("Onbekend werkproces voor dit huis."), field="track")
    if not track.houses.filter(pk=house.pk).exists():
        raise InvalidInput(
            _("Het werkproces '%(track)s' wordt in %(house)s niet aangeboden.")
            % {"track": track.name, "house": house.name},
            field="track",
        )
    return track


def _active_themes(house: House, theme_ids: Sequence[int]) -> list[Theme]:
    themes = list(Theme.objects.filter(pk__in=theme_ids, covenant_id=house.covenant_id))
    stale = [theme.slug for theme in themes if not theme.is_active]
    if stale:
        _refuse_excluded(house, stale, field="themes")
    themes = [theme for theme in themes if theme.is_active]
    if len(themes) != len(set(theme_ids)):
        raise InvalidInput(_("Onbekend thema voor dit convenant."), field="themes")
    return themes


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
    track = _offered_track(house, track_id)
    if track.kind == TrackKind.AFTERCARE:
        # Gelderland-Midden Bijlage 3, Proces nazorg: the case starts from DJI's notification.
        raise InvalidInput(
            _(
                "Een nazorgcasus begint met een detentiemelding van DJI (Bijlage 3, Proces "
                "nazorg ex-gedetineerden); registreer die melding in plaats van een aanmelding."
            ),
            field="track",
        )
    municipality = member_party(house, municipality_id, field="municipality")
    if municipality.kind != PartyKind.GEMEENTE:
        raise InvalidInput(_("Kies een gemeente."), field="municipality")
    themes = _active_themes(house, theme_ids)
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
        _check_referrer(track, referrer_id)
        case = _case_create(
            actor,
            house=house,
            track=track,
            subject_kind=subject_kind,
            area_description=area_description,
            municipality=municipality,
            referrer_id=referrer_id,
            problem_statement=problem_statement,
            goal=goal,
            persons=persons,
        )
        case.themes.set(themes)
        if advice is not None:
            ADVICE_REQUEST.take(advice, "refer")
            advice.case = case
            advice.concluded_at = timezone.now()
            advice.save()
    return case


def _check_referrer(track: Track, party_id: int) -> None:
    """Who may raise a case on the track (`referrer_kinds`; Gelderland-Midden Bijlage 3, Proces
    radicalisering: signals reach the weegploeg through one of the core parties)."""
    kinds = track.process_spec.referrer_kinds
    if kinds is None:
        return
    party = Party.objects.filter(pk=party_id).first()
    if party is None or party.kind not in kinds:
        names = ", ".join(str(PartyKind(kind).label) for kind in kinds)
        raise InvalidInput(
            _(
                "Op het werkproces '%(track)s' meldt alleen een kernpartij aan (%(kinds)s); "
                "uw partij is dat niet."
            )
            % {"track": track.name, "kinds": names},
            field="track",
        )


def case_open(
    *,
    actor: User,
    house: House,
    track: Track,
    referring_party: Party,
    municipality: Party,
    person: PersonInput,
    problem_statement: str,
    goal: str,
) -> Case:
    """Open the case of one person that reached the house through a party's own channel
    rather than the referral form: DJI's notification of a detention reaches the process
    coordinator for nazorg (Gelderland-Midden Bijlage 3, Proces nazorg ex-gedetineerden,
    Aanmeldingsfase). The case is in phase `referred`, with `referring_party` as its referrer.

    The caller (the room of that channel) has checked who may register for whom and that
    house, track and municipality belong together; the person is checked here as a
    referral's is. Runs in the caller's transaction, with the audit event of the referral."""
    _check_person(0, person, timezone.localdate())
    with transaction.atomic():
        case = _case_create(
            actor,
            house=house,
            track=track,
            subject_kind=SubjectKind.PERSON,
            municipality=municipality,
            referrer_id=referring_party.pk,
            problem_statement=problem_statement,
            goal=goal,
            persons=[person],
        )
    return case


# Intake and participation -----------------------------------------------------------------


def intake_start(
    *, actor: User, case_id: UUID, information_coordinator_id: int | None = None
) -> Case:
    """Take up a referral: the actor becomes its process coordinator and names the IC.

    Where the covenant has no information coordinator (Midden-Limburg and Midden-Nederland
    art. 3.1) none is named: the process coordinator enriches the case alone, as the
    coordinator guards of `cases.workflow` already allow. A track whose process names none
    (`information_coordinator = false`; Gelderland-Midden Bijlage 3, Proces nazorg: "en evt.
    informatiecoördinator") may name one or not."""
    with transaction.atomic():
        access = access_for_update(actor, case_id, step="start_intake")
        case = access.case
        covenant = case.house.covenant
        coordinator = None
        if not covenant.has_information_coordinator:
            if information_coordinator_id is not None:
                raise InvalidInput(
                    _(
                        "Dit convenant kent geen informatiecoördinator; de procesregisseur doet "
                        "de intake en verrijking (%(source)s)."
                    )
                    % {"source": covenant.roles_source},
                    field="information_coordinator",
                )
        elif information_coordinator_id is not None:
            coordinator = User.objects.filter(pk=information_coordinator_id, is_active=True).first()
            if coordinator is None or Role.INFORMATION_COORDINATOR not in house_roles(
                coordinator, case.house_id
            ):
                raise InvalidInput(
                    _("Deze gebruiker is geen informatiecoördinator van dit huis."),
                    field="information_coordinator",
                )
        elif case.track.process_spec.information_coordinator:
            raise InvalidInput(
                _("Kies de informatiecoördinator van de casus."), field="information_coordinator"
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
    *,
    actor: User,
    case_id: UUID,
    party_id: int,
    role: str,
    information_need: str,
    justification: str = "",
) -> CaseParty:
    """Invite a party to take part, with its role and information need (art. 9.4c, 13.2c)."""
    with transaction.atomic():
        access = access_for_update(actor, case_id)
        return _invite(access, Invitation(party_id, role, information_need, justification))


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
    process = case.track.process_spec
    is_core = process.core_kinds is None or party.kind in process.core_kinds
    if process.invite_justification and not is_core and not invitation.justification.strip():
        # Gelderland-Midden Bijlage 3, Proces radicalisering: besides the core parties only the
        # external case partners that must be involved take part; why is recorded.
        raise InvalidInput(
            _(
                "'%(party)s' is geen kernpartij van het werkproces '%(track)s': leg vast waarom "
                "deze partij moet deelnemen."
            )
            % {"party": party.name, "track": case.track.name},
            field=field.replace("party", "justification") if "party" in field else "justification",
        )
    participant = CaseParty.objects.create(
        case=case,
        party=party,
        role=invitation.role,
        information_need=invitation.information_need,
        justification=invitation.justification.strip(),
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
    session: Session | None = None,
) -> TriageDecision:
    """Record the triage body's decision (art. 8.3) and move the case accordingly. Where the
    track's process has a body decide triage, the meetings room passes its held `session`.

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
        access = replace(access_for_update(actor, case_id, step=name), session=session)
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
            agenda_item_id=session.agenda_item_id if session else None,
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
            if case.track.process_spec.complex_case_criteria and not decision.meets_criteria:
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
            # Only a covenant that requires a theme refuses an acceptance without one (the
            # region file's `themes_required`, with its article: Gelderland-Midden art. 1.8).
            if not theme_ids and case.house.covenant.themes_required:
                raise InvalidInput(_("Kies ten minste één thema."), field="themes")
            if not invitations:
                raise InvalidInput(
                    _("Nodig ten minste één partij uit, met rol en reden."), field="invitations"
                )
            themes = list(
                Theme.objects.filter(
                    pk__in=theme_ids, covenant_id=case.house.covenant_id, is_active=True
                )
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


def case_close(
    *,
    actor: User,
    case_id: UUID,
    reason: ClosureReason,
    referrer_notice: str,
    handed_over_to_id: int | None = None,
    explanation: str = "",
    session: Session | None = None,
) -> Closure:
    """Close a case (afschalen) and record the notice to the referrer. Where the track's process
    has a body decide closure, only in its held `session` (the meetings room passes it, with
    the agenda item); a track whose closure needs no meeting (nazorg: Gelderland-Midden
    Bijlage 3, Proces nazorg) closes by the case's process coordinator alone."""
    with transaction.atomic():
        access = replace(access_for_update(actor, case_id, step="close"), session=session)
        check(access, "close")
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
            agenda_item_id=session.agenda_item_id if session else None,
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
