# SPDX-License-Identifier: EUPL-1.2
"""The state machine of a case's phases, built per track from its process (ADR 0018).

Every phase change goes through `transition`: it checks that the step exists in the case's
track, that it may be taken from the current phase, that the actor holds a role or position
that may take it, and that it is taken in a held session of a body that decides it where the
process says so; otherwise it refuses with a message naming the step and the phase, in the
region's words where it has them. Required data are checked by the service before it calls
`transition`.

The national general route (`covenants.process.GENERAL`), which a track without its own
process runs:

    referred ──intake──► enrichment ──submit──► triage ──decline──► declined
                             ▲                    │
                             └──more information──┤
                                                  └──accept──► accepted ──hold meeting──► active
                                                                                 │
                                                                  close ◄────────┘
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Case, Phase
from ketentafel.cases.policies import CaseAccess, Session
from ketentafel.core.errors import InvalidTransition, NotAllowed
from ketentafel.core.workflow import Guard, Machine, Step
from ketentafel.covenants.models import Body, BodyKind, Track
from ketentafel.covenants.process import GENERAL, ProcessSpec, StepSpec

#: The steps' own words, where the region file gives none.
STEP_LABELS: Mapping[str, StrOrPromise] = {
    "start_intake": _("Intake starten"),
    "submit_to_triage": _("Aanbieden voor triage"),
    "decline": _("Geen casus voor het huis"),
    "request_more_information": _("Nog onduidelijk: aanvullende informatie nodig"),
    "accept": _("Casus voor het huis"),
    "discuss": _("Bespreken in het casusoverleg"),
    "review": _("Voortgang bespreken"),
    "close": _("Afschalen"),
}

_POSITIONS: Mapping[str, tuple[StrOrPromise, Callable[[CaseAccess], bool]]] = {
    "case_process_coordinator": (
        _("de procesregisseur van de casus"),
        lambda access: access.is_process_coordinator,
    ),
    "case_information_coordinator": (
        _("de informatiecoördinator van de casus"),
        lambda access: access.is_information_coordinator,
    ),
    "case_coordinator": (
        _("de casusregisseur"),
        lambda access: access.is_case_coordinator,
    ),
}


def _performer_label(performer: str) -> StrOrPromise:
    if performer in _POSITIONS:
        return _POSITIONS[performer][0]
    return Role(performer).label


def _may(performers: tuple[str, ...]) -> Callable[[CaseAccess], bool]:
    roles = tuple(Role(p) for p in performers if p not in _POSITIONS)
    positions = [_POSITIONS[p][1] for p in performers if p in _POSITIONS]

    def may(access: CaseAccess) -> bool:
        return access.has_role(*roles) or any(holds(access) for holds in positions)

    return may


def _in_session(spec: StepSpec, track_id: int) -> Callable[[CaseAccess], bool]:
    """The step is taken in a held session of a body that decides it for this track."""

    def held_there(access: CaseAccess) -> bool:
        session: Session | None = access.session
        if session is None:
            return spec.session == "optional"
        if track_id not in session.track_ids:
            return False
        return decided_by(spec, body_slug=session.slug, body_kind=session.kind)

    return held_there


def _guards(spec: StepSpec, track: Track | None) -> list[Guard[CaseAccess]]:
    """Who takes the step and where, as this row of the process declares it."""
    who = ", ".join(str(_performer_label(p)) for p in spec.roles)
    guards: list[Guard[CaseAccess]] = [
        Guard(
            _may(tuple(spec.roles)),
            format_lazy(_("Deze stap mag alleen zetten: {who}."), who=who),
            NotAllowed,
        )
    ]
    if spec.bodies:
        if spec.bodies == "any":
            where: StrOrPromise = _("een casusoverleg")
        else:
            where = ", ".join(spec.bodies)
            if track is not None:
                labels = dict(
                    Body.objects.filter(
                        covenant_id=track.covenant_id, slug__in=spec.bodies
                    ).values_list("slug", "label")
                )
                where = ", ".join(labels.get(slug, slug) for slug in spec.bodies)
        guards.append(
            Guard(
                _in_session(spec, track.pk if track is not None else 0),
                format_lazy(
                    _("Dit besluit wordt genomen in een gehouden overleg: {where}."), where=where
                ),
            )
        )
    return guards


def _from_there(spec: StepSpec, guard: Guard[CaseAccess]) -> Guard[CaseAccess]:
    """A row's guard, holding for cases in the phases the row starts from only."""
    phases = frozenset(spec.from_)
    return Guard(
        lambda access: access.case.phase not in phases or guard.holds(access),
        guard.reason,
        guard.error,
    )


def _step(rows: list[StepSpec], track: Track | None) -> Step[CaseAccess]:
    """One step from the rows that declare it: a process may give a step different takers by
    the phase it starts from (IJsselland: the casustafel closes before the MDO, either closes
    after it)."""
    first = rows[0]
    guards = (
        _guards(first, track)
        if len(rows) == 1
        else [_from_there(row, guard) for row in rows for guard in _guards(row, track)]
    )
    return Step(
        first.name,
        first.label or STEP_LABELS[first.name],
        tuple(phase for row in rows for phase in row.from_),
        first.to,
        guards=tuple(guards),
    )


def _machine(process: ProcessSpec, track: Track | None) -> Machine[CaseAccess]:
    labels: dict[str, StrOrPromise] = {str(k): v for k, v in process.phases.items()}
    return Machine[CaseAccess](
        states=Phase,
        noun=_("fase"),
        field="phase",
        record=lambda access: access.case,
        steps=[_step(process.rows(name), track) for name in process.step_names()],
        labels=labels,
    )


#: The general route's machine: the table the tests walk for tracks without their own process.
CASE = _machine(GENERAL, None)
TRANSITIONS = CASE.steps

_machines: dict[tuple[int, str], Machine[CaseAccess]] = {}


def machine_for(track: Track) -> Machine[CaseAccess]:
    """The state machine of a track's process, built once per version of its process."""
    held: Machine[CaseAccess] | None = track.__dict__.get("_machine")
    if held is not None:
        return held
    key = (track.pk, json.dumps(track.process, sort_keys=True))
    machine = _machines.get(key)
    if machine is None:
        machine = _machine(track.process_spec, track)
        _machines[key] = machine
    # Kept on the row too, so the steps of one request do not build the key again (~40 us).
    track.__dict__["_machine"] = machine
    return machine


def phase_label(case: Case, phase: str) -> str:
    """A phase's name on the case's track: the region's word where it has one (the case's
    own phase: `Case.phase_name`)."""
    return case.track.phase_label(phase) or str(Phase(phase).label)


def allowed_transitions(access: CaseAccess) -> list[str]:
    """The transitions the actor could make now, for screens and API answers: outside any
    meeting, or with a held session that discussed the case (the closure a held case meeting
    decided is taken afterwards, on the closure form)."""
    machine = machine_for(access.case.track)
    allowed = set(machine.allowed_steps(access))
    if access.session is None and any(
        spec.bodies and spec.name == "close" for spec in access.case.track.process_spec.steps
    ):
        for session in held_sessions(access.case):
            allowed.update(machine.allowed_steps(replace(access, session=session)))
    return [name for name in machine.steps if name in allowed]


def held_sessions(case: Case) -> list[Session]:
    """The held sessions that had the case on their agenda, newest first. Read through the app
    registry: the meetings room sits above cases (ADR 0016)."""
    agenda_item = apps.get_model("meetings", "AgendaItem")
    items = (
        agenda_item.objects.filter(case=case, meeting__status="held")
        .select_related("meeting__body")
        .prefetch_related("meeting__body__tracks")
        .order_by("-meeting__starts_at")
    )
    return [session_of(item) for item in items]


def session_of(item: Any) -> Session:
    """The session an agenda item (`meetings.AgendaItem`) belongs to, for a step its body
    decides."""
    body = item.meeting.body
    return Session(
        body_id=body.pk,
        slug=body.slug,
        kind=body.kind,
        track_ids=frozenset(track.pk for track in body.tracks.all()),
        agenda_item_id=item.pk,
    )


def check(access: CaseAccess, name: str) -> None:
    """Refuse now, before anything is written, when the step cannot be taken."""
    machine_for(access.case.track).check(access, _known(access, name))


def _known(access: CaseAccess, name: str) -> str:
    machine = machine_for(access.case.track)
    if name not in machine.steps:
        raise InvalidTransition(
            _("Het werkproces '%(track)s' kent de stap '%(step)s' niet.")
            % {"track": access.case.track.name, "step": STEP_LABELS.get(name, name)},
            step=name,
            state=access.case.phase,
        )
    return name


def transition(access: CaseAccess, name: str) -> Phase:
    """Move the case along `name`, or raise; returns the phase it left."""
    left = machine_for(access.case.track).take(access, _known(access, name))
    case = access.case
    if case.phase == Phase.CLOSED:
        case.closed_at = timezone.now()
    case.save(update_fields=["phase", "closed_at", "updated_at"])
    return Phase(left)


def decided_by(spec: StepSpec, *, body_slug: str, body_kind: str) -> bool:
    """Whether a session of this body (serving the track) decides the step."""
    if spec.bodies == "any":
        return body_kind == BodyKind.CASE_MEETING
    return body_slug in spec.bodies


def session_steps(track: Track, *, body_slug: str, body_kind: str, phase: str) -> list[str]:
    """The steps a session of the body takes for a case of the track in `phase`: what puts a
    case on its agenda (ADR 0018)."""
    return [
        spec.name
        for spec in track.process_spec.steps
        if phase in spec.from_
        and spec.bodies
        and decided_by(spec, body_slug=body_slug, body_kind=body_kind)
    ]
