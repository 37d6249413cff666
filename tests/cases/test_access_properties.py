# SPDX-License-Identifier: EUPL-1.2
"""Who sees which case and which item, for generated houses full of cases.

Hypothesis draws cases in every phase (referred, enrichment, back from triage, triage, declined,
accepted, on an agenda, discussed, closed), information requests (open, answered, declined),
invitations, items with every sharing choice and later sharing changes by their supplier,
actions of the plan that fall overdue, advice questions, extra users in arbitrary roles, parties
that leave or are excluded from the covenant, and coordinators, secretaries, managers and
partners whose role is removed, who change to another role, or who are deactivated. The state is
built through the services as the roles would build it. Every user's case list and readable
items, and every screen list built on them (work queue, case list, own and overdue actions,
information requests, meeting agendas, agenda search, advice questions), are then compared with
`expected_cases` / `expected_items` and the lists derived from them: an oracle written here
from the rules (PRODUCT.md section 3; Gelderland-Midden art. 8.1, 9.4c, 10.2, 13.2c-d, 16.1, 17.4;
docs/adr/0004), in plain Python over the scenario description. It never calls the policies or
selectors it checks.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from ketentafel.accounts.models import CASE_ROLES, HouseRole, Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.accounts.services import (
    house_role_confirm,
    house_role_grant,
    house_role_revoke,
    user_deactivate,
)
from ketentafel.advice import services as advice_services
from ketentafel.advice.selectors import advice_overview_for
from ketentafel.cases import services
from ketentafel.cases.models import ClosureReason, SubjectKind, TriageOutcome
from ketentafel.cases.selectors import case_page_for, cases_visible_to
from ketentafel.core.errors import NotAllowed, NotFound
from ketentafel.covenants.models import House, Membership, MembershipStatus, Party
from ketentafel.desk.selectors import work_queue_for
from ketentafel.information import services as information
from ketentafel.information.models import DataCategory, InformationItem, LifeDomain, Sharing
from ketentafel.information.selectors import dossier_for, get_item_for, request_overview_for
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose
from ketentafel.meetings.selectors import agenda_candidates_for, meeting_page_for
from ketentafel.plans import services as plan_services
from ketentafel.plans.models import Action as PlanAction
from ketentafel.plans.selectors import (
    actions_of_party_for,
    overdue_actions_by_party,
    overdue_actions_for,
)
from tests.cases.conftest import World, api_client, make_staff
from tests.cases.flows import PERSON, consulted

pytestmark = pytest.mark.django_db

HOUSE = "arnhem"
OTHER_HOUSE = "west-veluwe-vallei"
GEMEENTE = "gemeente-arnhem"


@dataclass(frozen=True)
class Member:
    """A user of the cast as the oracle knows it: a party and (house, role) pairs."""

    party: str
    roles: frozenset[tuple[str, str]]


def _member(party: str, *roles: tuple[str, Role]) -> Member:
    return Member(party, frozenset((house, str(role)) for house, role in roles))


# The users of tests/cases/conftest.py's World, plus a few more with other parties and houses.
CAST: dict[str, Member] = {
    "pc": _member(GEMEENTE, (HOUSE, Role.PROCESS_COORDINATOR)),
    "ic": _member(GEMEENTE, (HOUSE, Role.INFORMATION_COORDINATOR)),
    "manager": _member(GEMEENTE, (HOUSE, Role.LOCATION_MANAGER)),
    "secretary": _member(GEMEENTE, (HOUSE, Role.MEETING_SECRETARY)),
    "admin": _member(GEMEENTE, (HOUSE, Role.FUNCTIONAL_ADMINISTRATOR)),
    "police": _member("politie-oost-nederland", (HOUSE, Role.PARTNER_PROFESSIONAL)),
    "probation": _member("reclassering-nederland", (HOUSE, Role.PARTNER_PROFESSIONAL)),
    "care": _member("pro-persona", (HOUSE, Role.PARTNER_PROFESSIONAL)),
    "housing": _member("vivare", (HOUSE, Role.PARTNER_PROFESSIONAL)),
    "pc2": _member("veilig-thuis-gelderland-midden", (HOUSE, Role.PROCESS_COORDINATOR)),
    "ic2": _member("gemeente-rheden", (HOUSE, Role.INFORMATION_COORDINATOR)),
    "om": _member("om-oost-nederland", (HOUSE, Role.PARTNER_PROFESSIONAL)),
    "police2": _member("politie-oost-nederland", (HOUSE, Role.PARTNER_PROFESSIONAL)),
    "chain_manager": _member("gemeente-ede", (HOUSE, Role.MANAGER), (OTHER_HOUSE, Role.MANAGER)),
    "other_pc": _member("gemeente-ede", (OTHER_HOUSE, Role.PROCESS_COORDINATOR)),
    "police_elsewhere": _member("politie-oost-nederland", (OTHER_HOUSE, Role.PARTNER_PROFESSIONAL)),
    # An administrator of a party that takes part in cases; it holds no case role as well
    # (separation of duties, accounts.separation), so it sees none of them.
    "admin_partner": _member("vivare", (HOUSE, Role.FUNCTIONAL_ADMINISTRATOR)),
}
PARTNERS = ["police", "police2", "probation", "care", "housing", "om"]
REFERRERS = [*PARTNERS, "ic", "pc2"]
SUPPLIERS = ["pc", "ic", "pc2", "ic2", *PARTNERS]
INVITABLE = [
    "politie-oost-nederland",
    "reclassering-nederland",
    "pro-persona",
    "vivare",
    "om-oost-nederland",
    "veilig-thuis-gelderland-midden",
    GEMEENTE,
]
NAMEABLE = [*INVITABLE, "gemeente-rheden", "moviera"]
DEPARTABLE = [
    "politie-oost-nederland",
    "reclassering-nederland",
    "pro-persona",
    "vivare",
    "om-oost-nederland",
    "veilig-thuis-gelderland-midden",
    "gemeente-rheden",
]
PHASE_ORDER = ["referred", "enrichment", "triage", "accepted", "active", "closed"]
TARGETS = [
    "referred",
    "enrichment",
    "enrichment_again",
    "triage",
    "declined",
    "accepted",
    "on_agenda",
    "active",
    "closed",
]
TRIAGE_ROLES = {"process_coordinator", "location_manager", "manager"}
OPEN_PHASES = {"referred", "enrichment", "triage", "accepted", "active"}
# Whose role ends after the cases were built, and how: the role revoked by the functional
# administrator, the person moved to partner work in the same house (granted and confirmed by
# four eyes), the role's end date passed, or the account deactivated.
ENDABLE = ["pc", "pc2", "ic", "ic2", "secretary", "manager", "police", "care"]
ROLE_ENDS = ["removed", "demoted", "expired", "deactivated"]
ASKERS = ["pc", "police", "care", "housing", "om"]


# The scenario description ----------------------------------------------------------------


SharingSpec = tuple[str, tuple[str, ...]]


@st.composite
def sharing_specs(draw: st.DrawFn) -> SharingSpec:
    sharing = draw(st.sampled_from([s.value for s in Sharing]))
    if sharing != Sharing.NAMED:
        return sharing, ()
    named = draw(st.lists(st.sampled_from(NAMEABLE), min_size=1, max_size=3, unique=True))
    return sharing, tuple(named)


@dataclass(frozen=True)
class ItemSpec:
    supplier: str
    late: bool  # supplied after acceptance rather than during referral/enrichment
    sharing: SharingSpec
    change: SharingSpec | None  # the supplier's later change of mind


@dataclass(frozen=True)
class RequestSpec:
    addressee: str
    outcome: str  # open, answered (with an item), declined (nothing to share)
    sharing: SharingSpec


@dataclass(frozen=True)
class CaseSpec:
    target: str
    referrer: str
    pc: str
    ic: str
    requests: tuple[RequestSpec, ...]
    invited: tuple[str, ...]
    coordinator_pick: int
    items: tuple[ItemSpec, ...]
    action_pick: int | None  # the participating party owning an action of the plan, if any


@dataclass(frozen=True)
class Observer:
    party: str
    roles: frozenset[tuple[str, str]]
    active: bool


@dataclass(frozen=True)
class Scenario:
    cases: tuple[CaseSpec, ...]
    observers: tuple[Observer, ...]
    departed: tuple[tuple[str, str], ...]  # (party, left|excluded)
    role_ends: tuple[tuple[str, str], ...] = ()  # (cast member, one of ROLE_ENDS)
    advice: tuple[str, ...] = ()  # cast members asking the house for advice


item_specs = st.builds(
    ItemSpec,
    supplier=st.sampled_from(SUPPLIERS),
    late=st.booleans(),
    sharing=sharing_specs(),
    change=st.none() | sharing_specs(),
)
request_specs = st.builds(
    RequestSpec,
    addressee=st.sampled_from(PARTNERS),
    outcome=st.sampled_from(["open", "answered", "declined"]),
    sharing=sharing_specs(),
)
case_specs = st.builds(
    CaseSpec,
    target=st.sampled_from(TARGETS),
    referrer=st.sampled_from(REFERRERS),
    pc=st.sampled_from(["pc", "pc2"]),
    ic=st.sampled_from(["ic", "ic2"]),
    requests=st.lists(request_specs, max_size=2, unique_by=lambda r: CAST[r.addressee].party).map(
        tuple
    ),
    invited=st.lists(st.sampled_from(INVITABLE), min_size=1, max_size=3, unique=True).map(tuple),
    coordinator_pick=st.integers(0, 5),
    items=st.lists(item_specs, max_size=3).map(tuple),
    action_pick=st.none() | st.integers(0, 5),
)
house_roles = st.sampled_from(
    [(house, str(role)) for house in (HOUSE, OTHER_HOUSE) for role in Role]
)
observers = st.builds(
    Observer,
    party=st.sampled_from([*NAMEABLE, "gemeente-ede"]),
    # Separation of duties: nobody holds the functional-administrator role and a case role.
    roles=st.frozensets(house_roles, max_size=3).filter(
        lambda held: (
            not (
                {role for _house, role in held} >= {str(Role.FUNCTIONAL_ADMINISTRATOR)}
                and {role for _house, role in held} & {str(r) for r in CASE_ROLES}
            )
        )
    ),
    active=st.booleans(),
)
scenarios = st.builds(
    Scenario,
    cases=st.lists(case_specs, min_size=1, max_size=3).map(tuple),
    observers=st.lists(observers, max_size=2).map(tuple),
    departed=st.lists(
        st.tuples(st.sampled_from(DEPARTABLE), st.sampled_from(["left", "excluded"])),
        max_size=2,
        unique_by=lambda d: d[0],
    ).map(tuple),
    role_ends=st.lists(
        st.tuples(st.sampled_from(ENDABLE), st.sampled_from(ROLE_ENDS)),
        max_size=3,
        unique_by=lambda e: e[0],
    ).map(tuple),
    advice=st.lists(st.sampled_from(ASKERS), max_size=2).map(tuple),
)


# What happened to each case, as the scenario says (not as the database says) --------------


@dataclass
class ItemFacts:
    key: str
    supplier_party: str
    sharing: str
    named: frozenset[str]


@dataclass
class CaseFacts:
    key: str
    phase: str
    referrer_party: str
    pc: str | None = None
    ic: str | None = None
    parties: set[str] = field(default_factory=set)
    coordinator_party: str | None = None
    open_requests: set[str] = field(default_factory=set)
    on_agenda: bool = False
    discussed: bool = False
    items: list[ItemFacts] = field(default_factory=list)
    requests: dict[str, str] = field(default_factory=dict)  # request key: addressed party
    action: tuple[str, str] | None = None  # (action key, owner party)


# The oracle --------------------------------------------------------------------------------


NO_CASE_ROLES = {"functional_administrator", "privacy_officer", "steering_member"}


def case_roles(member: Member | Observer, departed: set[str], active: bool) -> set[str]:
    """The roles that count in the case's house: none once the user is inactive or the party
    left the covenant. Functional administration, the privacy officer and the steering group
    are never a role in a case, also when their party takes part in it (PRODUCT.md 3)."""
    if not active or member.party in departed:
        return set()
    return {role for house, role in member.roles if house == HOUSE} - NO_CASE_ROLES


def coordinates(name: str, roles: set[str], case: CaseFacts) -> bool:
    """The case's process or information coordinator, while still holding that role."""
    return (name == case.pc and "process_coordinator" in roles) or (
        name == case.ic and "information_coordinator" in roles
    )


def expected_cases(
    name: str, member: Member | Observer, cases: list[CaseFacts], departed: set[str], active: bool
) -> set[str]:
    """A user sees a case only through a role in it (PRODUCT.md 3, ADR 0004): as its assigned
    process or information coordinator; as a process coordinator of the house while the
    referral awaits intake; as triage staff while it is in triage (art. 8.1); as a meeting
    secretary once it is on an agenda; or because the user's party referred it, takes part in
    it (art. 9.4c, 13.2c), coordinates it, has an open request in it, or supplied an item to it
    (and stays its controller, art. 16.1)."""
    roles = case_roles(member, departed, active)
    if not roles:
        return set()
    seen = set()
    for case in cases:
        related_parties = {
            case.referrer_party,
            *case.parties,
            *case.open_requests,
            *(i.supplier_party for i in case.items),
        }
        if case.coordinator_party:
            related_parties.add(case.coordinator_party)
        if (
            coordinates(name, roles, case)
            or (case.phase == "referred" and "process_coordinator" in roles)
            or (case.phase == "triage" and roles & TRIAGE_ROLES)
            or (case.on_agenda and "meeting_secretary" in roles)
            or member.party in related_parties
        ):
            seen.add(case.key)
    return seen


def expected_items(
    name: str, member: Member | Observer, case: CaseFacts, departed: set[str], active: bool
) -> set[str]:
    """The items the user reads in a case it sees. The case's coordinators (and triage staff
    during triage) read all; the supplier's party its own, always (art. 17.4). While the case
    is open, the supplier's choice decides the rest: pre-meeting reading for participating
    parties once the process coordinator also assessed it so (art. 13.2d; these scenarios
    record no assessment, so only after the meeting), after the meeting for participants once
    a held meeting discussed it, named parties for those named; coordination-only for nobody
    else."""
    roles = case_roles(member, departed, active)
    coordinating = coordinates(name, roles, case) or (
        case.phase == "triage" and bool(roles & TRIAGE_ROLES)
    )
    participant = member.party in case.parties
    still_open = case.phase not in ("closed", "declined")
    readable = set()
    for item in case.items:
        by_sharing = {
            Sharing.COORDINATION: False,
            Sharing.PRE_MEETING: participant and case.discussed,
            Sharing.AFTER_MEETING: participant and case.discussed,
            Sharing.NAMED: member.party in item.named,
        }[Sharing(item.sharing)]
        if coordinating or item.supplier_party == member.party or (still_open and by_sharing):
            readable.add(item.key)
    return readable


# Building the scenario through the services ------------------------------------------------


@dataclass
class Cast:
    world: World
    users: dict[str, User]
    clients: dict[str, APIClient]
    party: dict[str, Party]

    def __repr__(self) -> str:  # keeps Hypothesis' report of a failing example readable
        return "Cast(...)"


@pytest.fixture
def cast(world: World) -> Cast:
    users: dict[str, User] = {
        name: getattr(world, name)
        for name in (
            "pc",
            "ic",
            "manager",
            "secretary",
            "admin",
            "police",
            "probation",
            "care",
            "housing",
        )
    }
    houses = {h.slug: h for h in House.objects.all()}
    for name, member in CAST.items():
        if name in users:
            continue
        user = make_staff(name.replace("_", ""), world.party[member.party], houses[HOUSE])
        for house, role in member.roles:
            house_role_grant(actor=None, user=user, house_id=houses[house].pk, role=role)
        users[name] = user
    for name, member in CAST.items():
        assert users[name].party == world.party[member.party]
        held = set(users[name].house_roles.values_list("house__slug", "role"))  # type: ignore[attr-defined]
        assert held == set(member.roles), name
    return Cast(
        world=world,
        users=users,
        clients={name: api_client(user) for name, user in users.items()},
        party=world.party,
    )


def _supply(cast: Cast, actor: str, case_id: uuid.UUID, sharing: SharingSpec, **kw: Any) -> Any:
    return information.information_item_supply(
        actor=cast.users[actor],
        case_id=case_id,
        life_domain=LifeDomain.BEHAVIOUR,
        text="Fictieve melding over gedrag.",
        legal_basis="AVG art. 6 lid 1 sub e",
        data_category=DataCategory.ORDINARY,
        sharing=Sharing(sharing[0]),
        named_party_ids=[cast.party[p].pk for p in sharing[1]],
        **kw,
    )


def _reached(target: str, phase: str) -> bool:
    reached = {
        "referred": "referred",
        "enrichment": "enrichment",
        "enrichment_again": "enrichment",
        "triage": "triage",
        "declined": "triage",
        "accepted": "accepted",
        "on_agenda": "accepted",
        "active": "active",
        "closed": "closed",
    }[target]
    return PHASE_ORDER.index(reached) >= PHASE_ORDER.index(phase)


@dataclass
class MeetingFacts:
    pk: uuid.UUID
    cases: set[str]
    planned: bool


@dataclass
class Built:
    facts: list[CaseFacts]
    case_ids: dict[str, uuid.UUID]
    item_ids: dict[str, uuid.UUID]
    item_suppliers: dict[str, str]
    changes: list[tuple[str, SharingSpec]]
    request_ids: dict[str, uuid.UUID] = field(default_factory=dict)
    open_requests: set[str] = field(default_factory=set)
    action_ids: dict[str, uuid.UUID] = field(default_factory=dict)
    meetings: list[MeetingFacts] = field(default_factory=list)
    advice: dict[uuid.UUID, str] = field(default_factory=dict)  # advice request: asking party
    ended: dict[str, Member] = field(default_factory=dict)  # the cast after their roles ended
    inactive: set[str] = field(default_factory=set)


def _build_case(cast: Cast, spec: CaseSpec, index: int, built: Built) -> CaseFacts:
    w = cast.world
    referrer_party = CAST[spec.referrer].party
    case = services.case_refer(
        actor=cast.users[spec.referrer],
        house_id=w.house.pk,
        track_id=w.track.pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=w.municipality.pk,
        problem_statement="Overlast en schulden.",
        goal="Gezamenlijk plan.",
        theme_ids=[w.themes[0].pk],
    )
    key = f"case{index}"
    built.case_ids[key] = case.pk
    facts = CaseFacts(key=key, phase="referred", referrer_party=referrer_party)
    facts.parties.add(referrer_party)

    def supply(item: ItemSpec | RequestSpec, supplier: str, n: str, **kw: Any) -> None:
        created = _supply(cast, supplier, case.pk, item.sharing, **kw)
        item_key = f"{key}-{n}"
        built.item_ids[item_key] = created.pk
        built.item_suppliers[item_key] = supplier
        facts.items.append(
            ItemFacts(item_key, CAST[supplier].party, item.sharing[0], frozenset(item.sharing[1]))
        )
        if isinstance(item, ItemSpec) and item.change is not None:
            built.changes.append((item_key, item.change))

    def eligible(supplier: str) -> bool:
        """Who may supply without a request: a participating party or the case's coordinators."""
        return CAST[supplier].party in facts.parties or supplier in (facts.pc, facts.ic)

    if _reached(spec.target, "enrichment"):
        services.intake_start(
            actor=cast.users[spec.pc],
            case_id=case.pk,
            information_coordinator_id=cast.users[spec.ic].pk,
        )
        facts.phase, facts.pc, facts.ic = "enrichment", spec.pc, spec.ic
    for n, item in enumerate(spec.items):
        if not item.late and eligible(item.supplier):
            supply(item, item.supplier, f"i{n}")
    if _reached(spec.target, "enrichment"):
        for n, req in enumerate(spec.requests):
            sent = information.information_request_send(
                actor=cast.users[spec.ic],
                case_id=case.pk,
                party_id=cast.party[CAST[req.addressee].party].pk,
                question="Wat is bekend?",
                reason="Weging voor triage.",
                deadline=timezone.localdate() + datetime.timedelta(days=7),
            )
            request_key = f"{key}-q{n}"
            built.request_ids[request_key] = sent.pk
            facts.requests[request_key] = CAST[req.addressee].party
            if req.outcome == "open":
                built.open_requests.add(request_key)
            if req.outcome == "answered":
                supply(req, req.addressee, f"r{n}", request_id=sent.pk)
            elif req.outcome == "declined":
                information.information_request_decline(
                    actor=cast.users[req.addressee], request_id=sent.pk, note="Niet bekend."
                )
            else:
                facts.open_requests.add(CAST[req.addressee].party)
    if spec.target == "enrichment_again":
        services.triage_submit(actor=cast.users[spec.ic], case_id=case.pk)
        _decide(cast, case.pk, TriageOutcome.MORE_INFORMATION)
    if _reached(spec.target, "triage"):
        services.triage_submit(actor=cast.users[spec.pc], case_id=case.pk)
        facts.phase = "triage"
    if spec.target == "declined":
        _decide(cast, case.pk, TriageOutcome.NOT_FOR_HOUSE)
        facts.phase = "declined"
    if _reached(spec.target, "accepted"):
        invited = [p for p in spec.invited if p != referrer_party] or [
            next(p for p in INVITABLE if p != referrer_party)
        ]
        _decide(cast, case.pk, TriageOutcome.ACCEPTED, invited)
        facts.parties.update(invited)
        facts.phase = "accepted"
        for n, item in enumerate(spec.items):
            if item.late and eligible(item.supplier):
                supply(item, item.supplier, f"l{n}")
        if spec.action_pick is not None:
            owners = sorted(facts.parties)
            owner = owners[spec.action_pick % len(owners)]
            plan_services.action_plan_set_goal(
                actor=cast.users[spec.pc], case_id=case.pk, goal="Rust."
            )
            action = plan_services.action_add(
                actor=cast.users[spec.pc],
                case_id=case.pk,
                owner_party_id=cast.party[owner].pk,
                owner_id=None,
                what="Fictieve actie.",
                due_on=timezone.localdate() + datetime.timedelta(days=7),
            )
            built.action_ids[f"{key}-a"] = action.pk
            facts.action = (f"{key}-a", owner)
    return facts


def _decide(
    cast: Cast, case_id: uuid.UUID, outcome: TriageOutcome, invited: list[str] | None = None
) -> None:
    accepted = outcome == TriageOutcome.ACCEPTED
    services.triage_decide(
        actor=cast.users["manager"],
        case_id=case_id,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=outcome,
        explanation="Besproken in het triage-overleg.",
        goal="Eén plan." if accepted else "",
        theme_ids=[cast.world.themes[0].pk] if accepted else [],
        invitations=[
            services.Invitation(cast.party[p].pk, "Deelnemer", "Eigen taak") for p in invited or []
        ],
        **consulted(),
    )


def _meeting(cast: Cast) -> uuid.UUID:
    return meeting_services.meeting_schedule(
        actor=cast.users["secretary"],
        house_id=cast.world.house.pk,
        body_id=cast.world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(seconds=30),
    ).pk


def build(cast: Cast, scenario: Scenario) -> tuple[Built, dict[str, User | Observer]]:
    built = Built([], {}, {}, {}, [])
    for index, spec in enumerate(scenario.cases):
        built.facts.append(_build_case(cast, spec, index, built))
    specs = dict(zip((f.key for f in built.facts), scenario.cases, strict=True))

    # On the agenda of a meeting still planned; discussed in a held one; closed in a later one.
    planned = [f for f in built.facts if specs[f.key].target == "on_agenda"]
    discussed = [f for f in built.facts if specs[f.key].target in ("active", "closed")]
    # A planned meeting always, so the agenda search has one to search for.
    meeting = _meeting(cast)
    built.meetings.append(MeetingFacts(meeting, {f.key for f in planned}, planned=True))
    for facts in planned:
        meeting_services.agenda_item_add(
            actor=cast.users[str(facts.pc)],
            meeting_id=meeting,
            case_id=built.case_ids[facts.key],
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )
        facts.on_agenda = True
    if discussed:
        meeting = _meeting(cast)
        built.meetings.append(MeetingFacts(meeting, {f.key for f in discussed}, planned=False))
        for facts in discussed:
            spec = specs[facts.key]
            agenda = meeting_services.agenda_item_add(
                actor=cast.users[str(facts.pc)],
                meeting_id=meeting,
                case_id=built.case_ids[facts.key],
                purpose=AgendaPurpose.FIRST_DISCUSSION,
            )
            parties = sorted(facts.parties)
            facts.coordinator_party = parties[spec.coordinator_pick % len(parties)]
            meeting_services.agenda_item_record(
                actor=cast.users["secretary"],
                agenda_item_id=agenda.pk,
                minutes="Besproken.",
                informs_client="Casusregisseur",
                on_arrest="Procesregisseur informeren.",
                closure_criteria="Doel bereikt.",
                case_coordinator_party_id=cast.party[facts.coordinator_party].pk,
            )
            facts.on_agenda = facts.discussed = True
            facts.phase = "active"
        meeting_services.meeting_hold(actor=cast.users["secretary"], meeting_id=meeting)
    closing = [f for f in discussed if specs[f.key].target == "closed"]
    if closing:
        meeting = _meeting(cast)
        built.meetings.append(MeetingFacts(meeting, {f.key for f in closing}, planned=False))
        agenda_items = {
            f.key: meeting_services.agenda_item_add(
                actor=cast.users[str(f.pc)],
                meeting_id=meeting,
                case_id=built.case_ids[f.key],
                purpose=AgendaPurpose.CLOSURE,
            ).pk
            for f in closing
        }
        meeting_services.meeting_hold(actor=cast.users["secretary"], meeting_id=meeting)
        for facts in closing:
            meeting_services.case_close(
                actor=cast.users[str(facts.pc)],
                case_id=built.case_ids[facts.key],
                agenda_item_id=agenda_items[facts.key],
                reason=ClosureReason.GOAL_REACHED,
                referrer_notice="Aanmelder per brief geïnformeerd.",
            )
            facts.phase = "closed"

    # The suppliers change their minds (art. 17.4).
    by_key = {i.key: i for f in built.facts for i in f.items}
    for item_key, (sharing, named) in built.changes:
        information.item_sharing_change(
            actor=cast.users[built.item_suppliers[item_key]],
            item_id=built.item_ids[item_key],
            sharing=Sharing(sharing),
            named_party_ids=[cast.party[p].pk for p in named],
        )
        by_key[item_key].sharing, by_key[item_key].named = sharing, frozenset(named)

    # Extra users in arbitrary roles, some deactivated; then parties leave the covenant.
    houses = {h.slug: h for h in House.objects.all()}
    people: dict[str, User | Observer] = {}
    for n, observer in enumerate(scenario.observers):
        user = make_staff(f"observer{n}", cast.party[observer.party], houses[HOUSE])
        for house, role in observer.roles:
            house_role_grant(actor=None, user=user, house_id=houses[house].pk, role=role)
        if not observer.active:
            user_deactivate(actor=None, user=user)
            user.refresh_from_db()
        people[f"observer{n}"] = observer
        cast.users[f"observer{n}"] = user
    for n, asker in enumerate(scenario.advice):
        advice = advice_services.advice_record(
            actor=cast.users[asker], house_id=cast.world.house.pk, question=f"Fictieve vraag {n}."
        )
        built.advice[advice.pk] = CAST[asker].party

    # Time passes: the plan's actions fall overdue.
    PlanAction.objects.filter(pk__in=built.action_ids.values()).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )

    # Roles end: revoked, changed to partner work in the same house, expired, or the account
    # deactivated. The chain manager, whose roles never end here, confirms a new role.
    admin, confirmer = cast.users["admin"], cast.users["chain_manager"]
    for name, how in scenario.role_ends:
        user = User.objects.get(pk=cast.users[name].pk)
        cast.users[name] = user
        # The shared client's session would be replaced by an anonymous one in this example and
        # stay so in the next: the checks log in afresh.
        cast.clients.pop(name, None)
        member = CAST[name]
        elsewhere = frozenset(r for r in member.roles if r[0] != HOUSE)
        in_house = HouseRole.objects.filter(
            user=user, house=cast.world.house, revoked_at__isnull=True
        )
        if how == "deactivated":
            user_deactivate(actor=admin, user=user)
            built.inactive.add(name)
            continue
        if how == "expired":
            # Time passes: the end date the administrator gave lies behind us.
            in_house.update(valid_until=timezone.now() - datetime.timedelta(days=1))
        else:
            for held in list(in_house):
                house_role_revoke(actor=admin, house_role_id=held.pk)
        if how == "demoted":
            granted = house_role_grant(
                actor=admin, user=user, house_id=cast.world.house.pk, role=Role.PARTNER_PROFESSIONAL
            )
            house_role_confirm(actor=confirmer, house_role_id=granted.pk)
            elsewhere |= {(HOUSE, str(Role.PARTNER_PROFESSIONAL))}
        built.ended[name] = Member(member.party, elsewhere)

    for slug, status in scenario.departed:
        membership = Membership.objects.get(
            party=cast.party[slug], covenant=cast.world.house.covenant
        )
        membership.end(status=MembershipStatus(status), on=timezone.localdate())
        membership.save(update_fields=["status", "ended_on"])
    return built, people


# The property ------------------------------------------------------------------------------


def _problem(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


@contextmanager
def rolled_back() -> Iterator[None]:
    """Every example starts from the same house: what it built is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _ids(response: Any) -> set[uuid.UUID]:
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {uuid.UUID(row["id"]) for row in rows}


def _sharing_of(item_id: uuid.UUID) -> tuple[str, frozenset[int]]:
    item = InformationItem.objects.get(pk=item_id)
    return item.sharing, frozenset(item.shares.values_list("party_id", flat=True))


def _check_selectors(
    user: User, want_cases: set[str], want_items: dict[str, set[str]], built: Built
) -> None:
    case_key = {pk: key for key, pk in built.case_ids.items()}
    item_key = {pk: key for key, pk in built.item_ids.items()}
    got = {case_key[pk] for pk in cases_visible_to(user).values_list("pk", flat=True)}
    assert got == want_cases
    # The meeting screen reads the roles once and hands them over: the same cases.
    roles = list(roles_in_force(user).values_list("house_id", "role"))
    handed = cases_visible_to(user, roles_read=roles).values_list("pk", flat=True)
    assert {case_key[pk] for pk in handed} == want_cases
    for key, case_id in built.case_ids.items():
        if key in want_cases:
            _access, items = dossier_for(user, case_id)
            assert {item_key[i.pk] for i in items} == want_items[key], key
        else:
            with pytest.raises(NotFound):
                dossier_for(user, case_id)
    readable = set().union(*want_items.values())
    for key, item_id in built.item_ids.items():
        if key in readable:
            assert get_item_for(user, item_id)[1].pk == item_id
        else:
            with pytest.raises(NotFound):
                get_item_for(user, item_id)


def _check_api(
    client: APIClient, want_cases: set[str], want_items: dict[str, set[str]], built: Built
) -> None:
    case_key = {pk: key for key, pk in built.case_ids.items()}
    item_key = {pk: key for key, pk in built.item_ids.items()}
    listed = _ids(client.get("/api/v1/cases/?page_size=200"))
    assert {case_key[pk] for pk in listed} == want_cases
    # A case or item that is forbidden answers exactly as one that does not exist.
    missing_case = _problem(client.get(f"/api/v1/cases/{uuid.uuid4()}/items/"))
    missing_item = _problem(client.get(f"/api/v1/items/{uuid.uuid4()}/"))
    assert missing_case["status"] == missing_item["status"] == 404
    for key, case_id in built.case_ids.items():
        answer = client.get(f"/api/v1/cases/{case_id}/items/")
        if key in want_cases:
            assert {item_key[pk] for pk in _ids(answer)} == want_items[key], key
        else:
            assert _problem(answer) == missing_case
    readable = set().union(*want_items.values())
    for key, item_id in built.item_ids.items():
        answer = client.get(f"/api/v1/items/{item_id}/")
        if key in readable:
            assert answer.status_code == 200, answer.content.decode()
            assert answer.json()["id"] == str(item_id)
        else:
            assert _problem(answer) == missing_item


def house_roles(member: Member | Observer, departed: set[str], active: bool) -> set[str]:
    """Every role that counts in the house, case work or not (meetings are listed to all)."""
    if not active or member.party in departed:
        return set()
    return {role for house, role in member.roles if house == HOUSE}


def _check_screen_lists(
    name: str,
    user: User,
    member: Member | Observer,
    want_cases: set[str],
    built: Built,
    departed: set[str],
    active: bool,
) -> None:
    """Every screen list is a part of what the user may see, cut by the list's own criterion
    (its phase, the user's coordination, the user's party), computed here from the facts."""
    roles = case_roles(member, departed, active)
    seen = [f for f in built.facts if f.key in want_cases]
    case_key = {pk: key for key, pk in built.case_ids.items()}
    request_key = {pk: key for key, pk in built.request_ids.items()}
    action_key = {pk: key for key, pk in built.action_ids.items()}

    page = case_page_for(user, per_page=50)
    assert {case_key[row.pk] for row in page.rows} == want_cases, "case list"

    queue = work_queue_for(user)
    assert {case_key[row.pk] for row in queue.new_referrals} == {
        f.key for f in seen if f.phase == "referred" and "process_coordinator" in roles
    }, "work queue: new referrals"
    assert {case_key[row.pk] for row in queue.triage_due} == {
        f.key for f in seen if f.phase == "triage" and roles & TRIAGE_ROLES
    }, "work queue: triage"
    assert {case_key[row.pk] for row in queue.coordinated} == {
        f.key for f in seen if f.phase in OPEN_PHASES and coordinates(name, roles, f)
    }, "work queue: own cases"
    overdue_of_coordinator = {
        f.key
        for f in seen
        if f.action and f.phase == "active" and name == f.pc and "process_coordinator" in roles
    }
    assert {
        case_key[uuid.UUID(row.plan_url.strip("/").split("/")[-2])] for row in queue.overdue_actions
    } == overdue_of_coordinator, "work queue: overdue actions"
    assert queue.overdue_total == len(overdue_of_coordinator)
    assert {case_key[a.plan.case_id] for a in overdue_actions_by_party(user)} == (
        overdue_of_coordinator
    )
    planned = next(m for m in built.meetings if m.planned)
    for meeting in queue.upcoming_meetings:
        if meeting.pk == planned.pk:
            shown = meeting.agenda_count  # type: ignore[attr-defined]
            assert shown == len(planned.cases & want_cases), "work queue: agenda count"

    own_actions = {
        f.action[0]
        for f in seen
        if f.action and f.phase == "active" and f.action[1] == member.party
    }
    assert {action_key[row.pk] for row in actions_of_party_for(user)} == own_actions, "actions"
    assert {action_key[a.pk] for a in overdue_actions_for(user)} == own_actions, "overdue"

    requests = request_overview_for(user)
    assert {request_key[row.pk] for row in requests.to_my_party} == {
        key
        for f in seen
        for key, party in f.requests.items()
        if party == member.party and key in built.open_requests
    }, "requests to the party"
    assert {request_key[row.pk] for group in requests.coordinated for row in group.rows} == {
        key
        for f in seen
        if f.phase in OPEN_PHASES and coordinates(name, roles, f)
        for key in f.requests
    }, "requests of coordinated cases"

    in_house = house_roles(member, departed, active)
    for meeting in built.meetings:
        if not in_house:
            with pytest.raises(NotFound):
                meeting_page_for(user, meeting.pk)
            continue
        agenda = meeting_page_for(user, meeting.pk)
        assert {case_key[row.case_id] for row in agenda.items} == meeting.cases & want_cases
    if not in_house:
        with pytest.raises(NotFound):
            agenda_candidates_for(user, planned.pk, "")
    elif not in_house & {"process_coordinator", "meeting_secretary"}:
        with pytest.raises(NotAllowed):
            agenda_candidates_for(user, planned.pk, "")
    else:
        assert {case_key[row.pk] for row in agenda_candidates_for(user, planned.pk, "")} == {
            f.key for f in seen if f.phase in ("accepted", "active") and f.key not in planned.cases
        }, "agenda search"

    advice = advice_overview_for(user)
    assert {row.pk for row in [*advice.open, *advice.concluded]} == {
        pk
        for pk, party in built.advice.items()
        if roles and ("process_coordinator" in roles or party == member.party)
    }, "advice questions"


def _check_sharing_refused(
    name: str, client: APIClient | None, readable: set[str], run: Cast, built: Built
) -> None:
    """Only the supplier's party decides how an item is shared (art. 17.4): anyone else is
    refused, with 403 when the item is shown to them and 404 when it is not."""
    party = CAST[name].party if name in CAST else run.users[name].party.slug  # type: ignore[union-attr]
    foreign = [k for k in built.item_ids if CAST[built.item_suppliers[k]].party != party]
    picks = [k for k in foreign if k in readable][:1] + [k for k in foreign if k not in readable][
        :1
    ]
    for key in picks:
        item_id = built.item_ids[key]
        with pytest.raises(NotAllowed if key in readable else NotFound):
            information.item_sharing_change(
                actor=run.users[name],
                item_id=item_id,
                sharing=Sharing.NAMED,
                named_party_ids=[run.users[name].party_id or 0],
            )
        if client is not None:
            # The version it was supplied with: who may not change the item hears that first.
            answer = client.put(
                f"/api/v1/items/{item_id}/sharing/",
                {"sharing": "after_meeting"},
                format="json",
                HTTP_IF_MATCH='"1"',
            )
            assert answer.status_code == (403 if key in readable else 404)
            assert _problem(answer)["detail"]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scenario=scenarios,
    through_api=st.lists(st.sampled_from(list(CAST)), min_size=2, max_size=4, unique=True),
)
# Ended roles in every list, whatever the draws: an active case with an overdue action, a
# request and a case on the agenda; its process coordinator moved to partner work, the other
# coordinators' roles removed, the secretary deactivated.
@example(
    scenario=Scenario(
        cases=(
            CaseSpec(
                target="active",
                referrer="police",
                pc="pc",
                ic="ic",
                requests=(RequestSpec("care", "open", (Sharing.PRE_MEETING.value, ())),),
                invited=("reclassering-nederland",),
                coordinator_pick=0,
                items=(),
                action_pick=0,
            ),
            CaseSpec(
                target="on_agenda",
                referrer="probation",
                pc="pc2",
                ic="ic2",
                requests=(RequestSpec("police", "answered", (Sharing.PRE_MEETING.value, ())),),
                invited=("pro-persona",),
                coordinator_pick=0,
                items=(),
                action_pick=None,
            ),
        ),
        observers=(),
        departed=(),
        role_ends=(
            ("pc", "demoted"),
            ("ic", "removed"),
            ("pc2", "removed"),
            ("secretary", "deactivated"),
        ),
        advice=("pc", "care"),
    ),
    through_api=["pc", "ic"],
)
def test_every_user_sees_exactly_what_the_rules_allow(
    cast: Cast, scenario: Scenario, through_api: list[str]
) -> None:
    """Every user is checked through the selectors; the administrator, the observers and a
    drawn few through the API as well (each API call costs a full request)."""
    with rolled_back():
        run = Cast(cast.world, dict(cast.users), dict(cast.clients), cast.party)
        built, observers = build(run, scenario)
        departed = {slug for slug, _ in scenario.departed}
        people: dict[str, Member | Observer] = {**CAST, **built.ended, **observers}
        facts = {f.key: f for f in built.facts}
        shared_before = {key: _sharing_of(pk) for key, pk in built.item_ids.items()}

        for name, member in people.items():
            user = run.users[name]
            active = name not in built.inactive and (
                not isinstance(member, Observer) or member.active
            )
            want_cases = expected_cases(name, member, built.facts, departed, active)
            if {role for _, role in member.roles} == {"functional_administrator"}:
                assert want_cases == set(), "administrators see no case content"
            want_items = {
                key: expected_items(name, member, facts[key], departed, active)
                for key in want_cases
            }
            try:
                _check_selectors(user, want_cases, want_items, built)
                _check_screen_lists(name, user, member, want_cases, built, departed, active)
                client = None
                if name in (*through_api, "admin") or name in observers:
                    client = run.clients.get(name) or api_client(user)
                    if active:
                        _check_api(client, want_cases, want_items, built)
                    else:
                        assert client.get("/api/v1/cases/").status_code in (401, 403)
                        client = None
                readable = set().union(*want_items.values())
                _check_sharing_refused(name, client, readable, run, built)
            except AssertionError as error:
                raise AssertionError(f"as {name}: {error}") from error

        assert {key: _sharing_of(pk) for key, pk in built.item_ids.items()} == shared_before
