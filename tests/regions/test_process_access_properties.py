# SPDX-License-Identifier: EUPL-1.2
"""No track definition lets a party see a case it takes no part in (issue 14, Tests).

Hypothesis draws work processes from the catalogue (`covenants.process`: the step kinds with
the phases each may start from and lead to, every performer, bodies, sessions, referrer and
core kinds, plan keepers) and stores each on a track with one case, put in every phase. The
parties that take no part in the case never see it; and who sees it does not depend on the
process at all, except through `triage_in_session` (the secretary branch of `case_access_q`:
where a body weighs in session, its secretary prepares the agenda from the cases in triage)."""

from __future__ import annotations

import datetime
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Case, SubjectKind
from ketentafel.cases.selectors import cases_visible_to
from ketentafel.cases.services import PersonInput, case_refer
from ketentafel.covenants.models import Track
from ketentafel.covenants.process import PHASES, STEP_KINDS, Performer, ProcessSpec
from tests.regions.conftest import Region, region

pytestmark = pytest.mark.django_db

PERFORMERS = list(get_args(Performer))
KINDS = ["om", "politie", "gemeente", "rvdk", "reclassering", "woningcorporatie", "zorg"]
BODIES = st.sampled_from([[], "any", ["triage-overleg"], ["mdo-arnhem"]])


@st.composite
def steps(draw: Any, name: str) -> dict[str, Any]:
    sources, targets = STEP_KINDS[name]
    step: dict[str, Any] = {
        "name": name,
        "from": draw(st.lists(st.sampled_from(sorted(sources)), min_size=1, unique=True)),
        "to": draw(st.sampled_from(sorted(targets, key=str))),
        "roles": draw(st.lists(st.sampled_from(PERFORMERS), min_size=1, max_size=4, unique=True)),
    }
    if name not in ("start_intake", "submit_to_triage"):
        bodies = draw(BODIES)
        if bodies:
            step["bodies"] = bodies
            step["session"] = draw(st.sampled_from(["required", "optional"]))
    return step


@st.composite
def processes(draw: Any) -> ProcessSpec:
    # A route to closure (intake, triage, accept, discuss, close) and any of the other steps.
    route = ["start_intake", "submit_to_triage", "accept", "discuss", "close"]
    others = st.sampled_from([n for n in STEP_KINDS if n not in route])
    names = [*route, *draw(st.lists(others, unique=True))]
    core = draw(st.none() | st.lists(st.sampled_from(KINDS), min_size=1, unique=True))
    raw = {
        "source": "Gegenereerd",
        "steps": [draw(steps(name)) for name in names],
        "referrer_kinds": draw(st.none() | st.lists(st.sampled_from(KINDS), unique=True)),
        "core_kinds": core,
        "invite_justification": core is not None and draw(st.booleans()),
        "plan_keepers": draw(st.lists(st.sampled_from(PERFORMERS), max_size=3, unique=True)),
        "information_coordinator": draw(st.booleans()),
    }
    try:
        return ProcessSpec.model_validate(raw)
    except ValidationError:
        assume(False)
        raise AssertionError("unreachable") from None


@pytest.fixture
def gm() -> tuple[Region, Case]:
    r = region("gelderland-midden", "arnhem")
    for name, party, role in [
        ("pc", "gemeente-arnhem", Role.PROCESS_COORDINATOR),
        ("ic", "gemeente-arnhem", Role.INFORMATION_COORDINATOR),
        ("km", "gemeente-arnhem", Role.MANAGER),
        ("lm", "gemeente-arnhem", Role.LOCATION_MANAGER),
        ("secretary", "gemeente-arnhem", Role.MEETING_SECRETARY),
        ("police", "politie-oost-nederland", Role.PARTNER_PROFESSIONAL),
        ("vivare", "vivare", Role.PARTNER_PROFESSIONAL),
        ("care", "pro-persona", Role.PARTNER_PROFESSIONAL),
        ("dji", "dji-gelderland", Role.PARTNER_PROFESSIONAL),
        ("om", "om-oost-nederland", Role.PARTNER_PROFESSIONAL),
    ]:
        r.user(name, party, role)
    case = case_refer(
        actor=r.users["police"],
        house_id=r.house.pk,
        track_id=r.track("complex-cases").pk,
        subject_kind=SubjectKind.PERSON,
        persons=[
            PersonInput(
                given_names="Eva", surname="Eigenschap", birth_date=datetime.date(1991, 2, 3)
            )
        ],
        municipality_id=r.party["gemeente-arnhem"].pk,
        problem_statement="Overlast.",
        goal="Plan.",
        theme_ids=[r.themes()[0].pk],
    )
    return r, case


#: Users of parties that take no part in the case: never see it, whatever the process.
OUTSIDERS = ("vivare", "care", "dji", "om")


def _seen(r: Region, case: Case) -> dict[str, frozenset[str]]:
    """Per phase, who sees the case."""
    seen = {}
    for phase in PHASES:
        Case.objects.filter(pk=case.pk).update(phase=phase)
        seen[phase] = frozenset(
            name
            for name, user in r.users.items()
            if cases_visible_to(user).filter(pk=case.pk).exists()
        )
    return seen


def _store(track: Track, spec: ProcessSpec | None) -> None:
    Track.objects.filter(pk=track.pk).update(
        process=spec.model_dump(mode="json", by_alias=True) if spec else {},
        triage_in_session=spec is not None and spec.triage_in_session,
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(spec=processes())
def test_no_process_lets_an_outsider_see_a_case(gm: tuple[Region, Case], spec: ProcessSpec) -> None:
    r, case = gm
    track = r.track("complex-cases")
    baseline: dict[bool, dict[str, frozenset[str]]] = {}
    for in_session in (False, True):
        # The general route, with and without the secretary branch.
        _store(track, None)
        Track.objects.filter(pk=track.pk).update(triage_in_session=in_session)
        baseline[in_session] = _seen(r, case)

    _store(track, spec)
    seen = _seen(r, case)
    for phase, names in seen.items():
        assert not names & set(OUTSIDERS), (phase, names)
    # Access follows the phase and the parties, never the steps, takers or bodies.
    assert seen == baseline[spec.triage_in_session]
    # The one place the process shows: the secretary sees a case in triage only where a body
    # weighs in session.
    assert ("secretary" in seen["triage"]) == spec.triage_in_session
