# SPDX-License-Identifier: EUPL-1.2
"""Reads of meetings and agenda items, scoped to the actor: a meeting shows only the agenda
items of cases the reader may see (cases.policies)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.services import audit_listing
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import (
    Case,
    CaseParty,
    Person,
)
from ketentafel.cases.policies import CaseAccess
from ketentafel.cases.selectors import (
    CaseRow,
    _case_rows,
    _persons_of,
    _roles_read,
    _row_values,
    access_for_read,
    cases_visible_to,
)
from ketentafel.cases.workflow import session_steps
from ketentafel.core.choices import label_for
from ketentafel.core.errors import NotAllowed, NotFound
from ketentafel.core.links import link_for_each
from ketentafel.covenants.models import Body, DecisionType, Track
from ketentafel.covenants.process import EFFECT_STEPS
from ketentafel.meetings.models import (
    PHASE_PURPOSE,
    AgendaItem,
    AgendaPurpose,
    Decision,
    Meeting,
    MeetingStatus,
)
from ketentafel.meetings.policies import (
    coordinated_cases,
    organisers_label,
    organises_by_role,
    sits_in,
)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings of the houses where the user holds a role in force."""
    return Meeting.objects.filter(house_id__in=roles_in_force(user).values("house_id"))


@dataclass(frozen=True)
class CaseAgenda:
    """What the case page offers for putting the case on a meeting's agenda."""

    offered: bool
    meetings: QuerySet[Meeting]
    purpose: AgendaPurpose
    # The region's names of the bodies whose sessions decide the case's next step.
    body_labels: list[str]
    # The sessions the case was or is on, newest first, for the links to their agenda items.
    items: QuerySet[AgendaItem]


def case_agenda_for(access: CaseAccess) -> CaseAgenda:
    """The planned upcoming meetings of the case's house, of bodies that discuss the case's
    track, that the actor may put this case on.

    Offered to the organisers of one of those bodies (`meetings.policies`: the process
    coordinators and meeting secretaries by default, the case's casusregisseur where the body
    names him, IJsselland art. 13.2) while the case is accepted (first discussion) or
    active (progress, closure), the phases services.agenda_item_add accepts. The meetings are
    listed whatever the phase and role, so a post the service refuses still shows the form
    with its error (a wrong phase) or answers 403 (no scheduling role).
    """
    case = access.case
    purpose = PHASE_PURPOSE.get(case.phase, AgendaPurpose.REVIEW)
    # Only bodies whose sessions decide a step of the case's track in its phase (the track's
    # process, ADR 0018), as services.agenda_item_add requires.
    bodies = [
        body
        for body in Body.objects.filter(tracks=case.track_id, houses=case.house_id, is_active=True)
        if session_steps(case.track, body_slug=body.slug, body_kind=body.kind, phase=case.phase)
    ]
    deciding = [body.pk for body in bodies]
    organised = any(
        organises_by_role(access.house_roles, body)
        or (access.is_case_coordinator and body.is_organised_by_case_coordinator)
        for body in bodies
    )
    # `meetings_visible_to(actor)` limited to the case's house: the actor holds a case role in
    # force there (`access.house_roles`, which let the actor read the case), so that house's
    # meetings are the actor's without asking the database for the roles again.
    of_house = Meeting.objects.filter(house_id=case.house_id)
    meetings = (
        (of_house if access.house_roles else Meeting.objects.none())
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .filter(body_id__in=deciding)
        .select_related("body")
        .order_by("starts_at")
    )
    return CaseAgenda(
        offered=organised and case.phase in PHASE_PURPOSE,
        meetings=meetings,
        purpose=purpose,
        body_labels=[body.label for body in bodies],
        items=AgendaItem.objects.filter(case=case)
        .select_related("meeting__body")
        .order_by("-meeting__starts_at"),
    )


@dataclass(frozen=True)
class MeetingSheet:
    """A meeting with the agenda items of the cases the reader may see (purpose limitation:
    each participant sees only the cases its party takes part in)."""

    meeting: Meeting
    items: list[AgendaItem]
    may_organise: bool


def _meeting_of(
    user: User, meeting_id: UUID | str, roles: Sequence[tuple[int, str]]
) -> tuple[Meeting, bool]:
    """The meeting, as `meetings_visible_to` lets the user see it (404 otherwise), and whether
    the user may organise it (`meetings.policies`): a holder of an organising role of its
    house, or a casusregisseur who planned it or has a case of his on its agenda."""
    meeting = (
        Meeting.objects.select_related("body", "house")
        .filter(pk=meeting_id, house_id__in={house_id for house_id, _role in roles})
        .first()
    )
    if meeting is None:
        raise NotFound(_("Dit overleg bestaat niet of u werkt niet in dit huis."))
    held = {role for house_id, role in roles if house_id == meeting.house_id}
    may_organise = organises_by_role(held, meeting.body) or (
        meeting.body.is_organised_by_case_coordinator
        and (
            meeting.scheduled_by_id == user.pk
            or AgendaItem.objects.filter(meeting=meeting, case__case_coordinator=user).exists()
        )
        and coordinated_cases(user, meeting.body, meeting.house_id).exists()
    )
    return meeting, may_organise


def _visible_agenda(
    user: User, meeting: Meeting, roles: Sequence[tuple[int, str]]
) -> QuerySet[AgendaItem]:
    """The meeting's items of cases the user may see: the one purpose-limitation filter of the
    agenda screen and its exports."""
    return AgendaItem.objects.filter(
        meeting=meeting, case__in=cases_visible_to(user, roles_read=roles)
    ).order_by("position")


def _meeting_sheet(user: User, meeting_id: UUID | str) -> MeetingSheet:
    roles = _roles_read(user)
    meeting, may_organise = _meeting_of(user, meeting_id, roles)
    items = list(
        _visible_agenda(user, meeting, roles)
        .select_related("case", "case__track", "case__case_coordinator_party")
        .prefetch_related("case__persons", "case__case_parties__party", "decisions__decision_type")
    )
    return MeetingSheet(meeting, items, may_organise)


def meeting_for(
    user: User,
    meeting_id: UUID | str,
    *,
    action: AuditAction = AuditAction.SEARCH,
    reason: str = "",
) -> MeetingSheet:
    """A meeting and the agenda items the user may see, recorded naming every item shown.
    Exports pass `AuditAction.EXPORT` or `PRINT` with what was made, so a PDF or calendar
    file is an event of its own (NEN 7513: export)."""
    sheet = _meeting_sheet(user, meeting_id)
    audit_listing(
        user,
        action=action,
        object_type="meeting",
        object_id=sheet.meeting.pk,
        object_ids=[str(i.pk) for i in sheet.items],
        person_ids=[p.pk for i in sheet.items for p in i.case.persons.all()],
        house_id=sheet.meeting.house_id,
        purpose="meeting",
        reason=reason,
    )
    return sheet


@dataclass(frozen=True)
class AgendaRow:
    """One agenda item as the meeting screen shows it, its texts ready.

    A meeting has 50-120 visible items; as model graphs (case, persons, parties, decisions)
    they cost more to build and to walk in the template than the rest of the page
    (docs/performance.md, pages)."""

    pk: UUID
    case_id: UUID
    case_url: str
    record_url: str  # where the organisers record minutes and decisions
    may_record: bool  # the reader organises the meeting for this case
    position: int
    title: str  # the case's first person, or its kind of subject when it names none
    purpose: str
    parties: list[str]  # "party (role)", in invitation order
    minutes: str
    progress: str
    decisions: list[tuple[str | None, str]]  # (decision type label or None, text)

    # The heading and the invited parties as one text each: every value a template writes
    # costs a lookup and an escape, and three values and a `|join` per item added about 3 ms
    # to a meeting of 60 items.
    @property
    def heading(self) -> str:
        """The item's heading: its position, title and purpose."""
        return f"{self.position}. {self.title} — {self.purpose}"

    @property
    def invited(self) -> str:
        """The invited parties as the item lists them."""
        return ", ".join(self.parties)


@dataclass(frozen=True)
class MeetingPage:
    """The meeting screen: the same items, filter and audit event as `meeting_for`."""

    meeting: Meeting
    items: list[AgendaRow]
    may_organise: bool
    # Chairs or sits in the body's sessions (`Body.chair`, `Body.member_roles`): holds the
    # session and records what it decided, without organising its agenda.
    may_sit: bool = False


def meeting_page_for(user: User, meeting_id: UUID | str) -> MeetingPage:
    """The meeting screen's agenda: only the shown fields, read as rows in four queries."""
    roles = _roles_read(user)
    meeting, may_organise = _meeting_of(user, meeting_id, roles)
    held = {role for house_id, role in roles if house_id == meeting.house_id}
    # A casusregisseur records for the cases he coordinates only (`meetings.policies`).
    may_sit = sits_in(held, meeting.body)
    records_all = (may_organise and organises_by_role(held, meeting.body)) or may_sit
    items = list(
        _visible_agenda(user, meeting, roles).values_list(
            "pk",
            "case_id",
            "position",
            "purpose",
            "minutes",
            "progress",
            "case__subject_kind",
            "case__case_coordinator_id",
        )
    )
    case_ids = [item[1] for item in items]
    # Person, CaseParty and Decision keep their model ordering, as the prefetches of
    # `meeting_for` read them: the first person heads the item and the audit names all.
    persons = _persons_of(case_ids)
    parties: dict[UUID, list[str]] = defaultdict(list)
    for case_id, name, role in CaseParty.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "party__name", "role"
    ):
        parties[case_id].append(f"{name} ({role})")
    decisions: dict[UUID, list[tuple[str | None, str]]] = defaultdict(list)
    for item_id, type_id, label, text in Decision.objects.filter(
        agenda_item_id__in=[item[0] for item in items]
    ).values_list("agenda_item_id", "decision_type_id", "decision_type__label", "text"):
        decisions[item_id].append((label if type_id is not None else None, text))
    case_url = link_for_each("cases:detail")
    record_url = link_for_each("meetings:agenda-item")
    rows = [
        AgendaRow(
            pk=pk,
            case_id=case_id,
            case_url=case_url(case_id),
            record_url=record_url(pk),
            may_record=records_all or (may_organise and coordinator_id == user.pk),
            position=position,
            title=(
                persons[case_id][0][1]
                if persons[case_id]
                else str(label_for(Case, "subject_kind", subject_kind))
            ),
            purpose=str(label_for(AgendaItem, "purpose", purpose)),
            parties=parties[case_id],
            minutes=minutes,
            progress=progress,
            decisions=decisions[pk],
        )
        for pk, case_id, position, purpose, minutes, progress, subject_kind, coordinator_id in items
    ]
    audit_listing(
        user,
        object_type="meeting",
        object_id=meeting.pk,
        object_ids=[str(row.pk) for row in rows],
        person_ids=[person_id for row in rows for person_id, _name in persons[row.case_id]],
        house_id=meeting.house_id,
        purpose="meeting",
    )
    return MeetingPage(meeting, rows, may_organise, may_sit)


def agenda_candidates_for(
    user: User, meeting_id: UUID | str, search: str, *, limit: int = 10
) -> list[CaseRow]:
    """The cases an organiser of the meeting may put on its agenda whose persons match every
    word of `search` (given names or surname, any part): accepted or active cases of the
    meeting's house, of a track its body discusses, that the user sees and that are not on
    this agenda yet, newest first.
    Recorded as one search naming what it returned; the words themselves are not recorded,
    being personal data. A planned meeting only; others and other users are refused."""
    roles = _roles_read(user)
    meeting, may_organise = _meeting_of(user, meeting_id, roles)
    if not may_organise:
        raise NotAllowed(
            _("Alleen wie dit overleg organiseert, agendeert: %(who)s.")
            % {"who": organisers_label(meeting.body)}
        )
    if meeting.status != MeetingStatus.PLANNED:
        raise NotAllowed(_("Dit overleg is al gehouden of afgelast."))
    # Per track the body serves, the phases in which its sessions decide a step of the track's
    # process (services.agenda_item_add).
    body = meeting.body
    deciding = Q(pk__in=[])
    for track in Track.objects.filter(bodies=body.pk):
        phases = [
            phase
            for phase in PHASE_PURPOSE
            if session_steps(track, body_slug=body.slug, body_kind=body.kind, phase=phase)
        ]
        if phases:
            deciding |= Q(track_id=track.pk, phase__in=phases)
    found = cases_visible_to(user, roles_read=roles).filter(deciding, house_id=meeting.house_id)
    held = {role for house_id, role in roles if house_id == meeting.house_id}
    if not organises_by_role(held, body):
        # A casusregisseur puts the cases he coordinates on the agenda (art. 13.2), no others.
        found = found.filter(pk__in=coordinated_cases(user, body, meeting.house_id).values("pk"))
    for word in search.split():
        found = found.filter(
            Exists(
                Person.objects.filter(case_id=OuterRef("pk")).filter(
                    Q(surname__icontains=word) | Q(given_names__icontains=word)
                )
            )
        )
    found = found.exclude(agenda_items__meeting=meeting).order_by("-referred_at", "-id")
    values = _row_values(found, 0, limit)
    case_ids = [row[0] for row in values]
    persons = _persons_of(case_ids)
    audit_listing(
        user,
        object_type="case",
        object_ids=sorted(str(pk) for pk in case_ids),
        person_ids=[person_id for names in persons.values() for person_id, _name in names],
        purpose="agenda_search",
    )
    return _case_rows(values, persons)


def agenda_item_for(user: User, agenda_item_id: UUID | str) -> tuple[CaseAccess, AgendaItem]:
    """One agenda item of a case the user may see, with its decisions; audited."""
    with transaction.atomic():
        case_id = (
            AgendaItem.objects.filter(pk=agenda_item_id, case__in=cases_visible_to(user))
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is None:
            raise NotFound(_("Dit agendapunt bestaat niet of u heeft er geen rol in."))
        access = access_for_read(user, case_id)
        item = (
            AgendaItem.objects.select_related("meeting", "meeting__body")
            .prefetch_related("decisions__decision_type")
            .get(pk=agenda_item_id)
        )
        case_audit(access, AuditAction.READ, object_type="agendaitem", object_id=item.pk)
    return access, item


def session_decision_types(item: AgendaItem) -> QuerySet[DecisionType]:
    """The decisions a session of the item's body can take on its case now: of the covenant,
    used by this body (or every body), with an effect whose step the track's process has this
    body take in the case's phase (ADR 0018); decisions without effect are recorded with the
    minutes (`AgendaRecordForm`)."""
    case = item.case
    body = item.meeting.body
    steps = set(
        session_steps(case.track, body_slug=body.slug, body_kind=body.kind, phase=case.phase)
    )
    effects = [
        effect for effect, step in EFFECT_STEPS.items() if step is not None and step in steps
    ]
    return (
        DecisionType.objects.filter(
            covenant_id=case.house.covenant_id, is_active=True, effect__in=effects
        )
        .filter(Q(bodies=None) | Q(bodies=body.pk))
        .distinct()
        .order_by("label")
    )
