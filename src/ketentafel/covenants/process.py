# SPDX-License-Identifier: EUPL-1.2
"""The work process of a track as data: the vocabulary a region file's `[tracks.process]` may
use, its parsed form, and the national general route every track runs when it declares none.

A case's phase is one of a fixed set of phase kinds (`PHASES`; `cases.models.Phase` has the same
values), so every list, count and retention rule reads the same column whatever the region.
What a region decides per track is the *process* over those phases (ADR 0018):
- which steps exist, from which phases, to which phase (`STEP_KINDS` bounds what each step may
  do: the service behind a step records its own data, so a file cannot invent new ones);
- who takes each step: holders of house roles, or the case's own coordinators (`roles`), or a
  body whose held session decides it (`bodies`);
- what must be recorded at it (`records`: for the first case meeting, `FIRST_MEETING_RECORDS`);
- the words the region uses for the phases and steps (`phases`, `label`);
- who may raise a case on the track (`referrer_kinds`), and who may take part without a recorded
  justification (`core_kinds`; others need one, `invite_justification`);
- who keeps the plan of action (`plan_keepers`) and whether intake names an information
  coordinator (`information_coordinator`).

`cases.process` builds the case's state machine from this; the region loader stores the
validated process of each track (`Track.process`) as `ProcessSpec.model_dump`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ketentafel.accounts.models import CASE_ROLES

#: The phase kinds, in the order of the national route (cases.models.Phase has these values).
PHASES = ("referred", "enrichment", "triage", "declined", "accepted", "active", "closed")
PhaseName = Literal["referred", "enrichment", "triage", "declined", "accepted", "active", "closed"]
CLOSED_PHASES = ("declined", "closed")

#: The steps a process can have, with the phases each may start from and lead to. The service
#: that takes a step records what it needs (intake: the coordinators; triage: the criteria and
#: the advice; the first meeting: the case coordinator; closure: the reason and the notice to
#: the referrer), so a region chooses among these and does not write new kinds of step.
#: `review` keeps the phase: a body that monitors active cases (IJsselland Bijlage 3, fase 4a).
STEP_KINDS: dict[str, tuple[frozenset[str], frozenset[str | None]]] = {
    "start_intake": (frozenset({"referred"}), frozenset({"enrichment", "triage", "active"})),
    "submit_to_triage": (frozenset({"enrichment"}), frozenset({"triage"})),
    "decline": (frozenset({"triage"}), frozenset({"declined"})),
    "request_more_information": (frozenset({"triage"}), frozenset({"enrichment"})),
    "accept": (frozenset({"triage"}), frozenset({"accepted"})),
    "discuss": (frozenset({"accepted"}), frozenset({"active"})),
    "review": (frozenset({"active"}), frozenset({None})),
    "close": (frozenset({"triage", "accepted", "active"}), frozenset({"closed"})),
}
StepName = Literal[
    "start_intake",
    "submit_to_triage",
    "decline",
    "request_more_information",
    "accept",
    "discuss",
    "review",
    "close",
]
#: The triage steps: taken together, by one triage decision.
TRIAGE_STEPS = ("decline", "request_more_information", "accept")

#: Who may take a step besides house roles: the case's own coordinators. A house role is a
#: `Role` value (`accounts.models.CASE_ROLES`).
CASE_POSITIONS = ("case_process_coordinator", "case_information_coordinator", "case_coordinator")
Performer = Literal[
    "manager",
    "location_manager",
    "process_coordinator",
    "information_coordinator",
    "meeting_secretary",
    "partner_professional",
    "case_process_coordinator",
    "case_information_coordinator",
    "case_coordinator",
]

#: Who weighs a case in the national route (Gelderland-Midden art. 8.1: the triage staff), and
#: who records what a session decided (the chair's process coordinator or the secretary).
TRIAGE_PERFORMERS = ("process_coordinator", "location_manager", "manager")
SESSION_PERFORMERS = ("process_coordinator", "meeting_secretary")

#: What the first case meeting may have to record before it counts as held (Bijlage 3).
FIRST_MEETING_RECORDS = ("case_coordinator", "informs_client", "on_arrest", "closure_criteria")
FirstMeetingRecord = Literal["case_coordinator", "informs_client", "on_arrest", "closure_criteria"]

#: What a decision type does to the case discussed (`DecisionTypeSpec.effect`), as the step it
#: takes: a decision of a held session moves the case (IJsselland Bijlage 3, fase 3).
EFFECT_STEPS: dict[str, str | None] = {
    "none": None,
    "decline": "decline",
    "more_information": "request_more_information",
    "to_case_meeting": "accept",
    "close": "close",
    "handover": "close",
}
Effect = Literal["none", "decline", "more_information", "to_case_meeting", "close", "handover"]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Label = Annotated[str, Field(min_length=1, max_length=120)]
Source = Annotated[str, Field(min_length=1, max_length=300)]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _plan_keepers() -> list[Performer]:
    return ["case_process_coordinator"]


class StepSpec(_Item):
    """One step of a track's process."""

    name: StepName
    from_: list[PhaseName] = Field(alias="from", min_length=1)
    to: PhaseName | None = None
    label: Label | None = None
    # Who takes the step: holders of these house roles or case positions.
    roles: list[Performer] = Field(min_length=1)
    # Where it is decided: in a held session of one of these bodies ("any": any case meeting
    # that serves the track); left out, by the role alone, outside any meeting.
    bodies: list[Slug] | Literal["any"] = Field(default_factory=list)
    # "optional": the role may also take it outside a session (recording what the body
    # decided), as before sessions were kept; a session of another body is still refused.
    session: Literal["required", "optional"] = "required"
    # For `discuss`: what the first meeting records before it is held.
    records: list[FirstMeetingRecord] | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> StepSpec:
        sources, targets = STEP_KINDS[self.name]
        if not set(self.from_) <= sources:
            allowed = ", ".join(sorted(sources))
            raise ValueError(f"step {self.name!r} can only start from: {allowed}")
        if self.to not in targets:
            allowed = ", ".join(sorted(t or "(stays)" for t in targets))
            raise ValueError(f"step {self.name!r} can only lead to: {allowed}")
        if self.name in ("start_intake", "submit_to_triage") and self.bodies:
            raise ValueError(f"step {self.name!r} is taken outside meetings: no `bodies`")
        if self.session == "optional" and not self.bodies:
            raise ValueError("`session` needs `bodies`")
        if self.records is not None and self.name != "discuss":
            raise ValueError("only the `discuss` step has `records`")
        return self


class ProcessSpec(_Item):
    """A track's work process (docs/configuration.md, "The process of a track")."""

    source: Source
    phases: dict[PhaseName, Label] = Field(default_factory=dict)
    steps: list[StepSpec] = Field(min_length=1)
    # Party kinds (`covenants.models.PartyKind` values), checked by the region file's reader.
    referrer_kinds: list[Slug] | None = None
    core_kinds: list[Slug] | None = None
    invite_justification: bool = False
    plan_keepers: list[Performer] = Field(default_factory=_plan_keepers)
    # Whether acceptance needs the criteria of complex cases (Bijlage 2, the region's
    # `[criteria]`); a track that weighs by its own measure says false (Gelderland-Midden
    # Bijlage 3, Proces radicalisering: whether a person-centred, integral approach is needed).
    complex_case_criteria: bool = True
    information_coordinator: bool = True

    @model_validator(mode="after")
    def _a_route_to_closure(self) -> ProcessSpec:
        names = [step.name for step in self.steps]
        for name in set(names):
            rows = self.rows(name)
            # A step may have one row per phase it starts from, each with its own takers.
            phases = [phase for row in rows for phase in row.from_]
            if len(phases) != len(set(phases)):
                raise ValueError(f"step {name!r} is declared twice from the same phase")
            if len({row.to for row in rows}) > 1:
                raise ValueError(f"step {name!r} leads to different phases")
        if "start_intake" not in names:
            raise ValueError("a process starts with `start_intake`")
        reached = _reachable(self.steps)
        if "closed" not in reached:
            raise ValueError("no route leads from `referred` to `closed`")
        for step in self.steps:
            if not set(step.from_) & reached:
                raise ValueError(f"step {step.name!r} starts from a phase no route reaches")
        if self.invite_justification and not self.core_kinds:
            raise ValueError("`invite_justification` needs `core_kinds` (who needs none)")
        return self

    def step(self, name: str) -> StepSpec | None:
        """The (first) row of a step, or None when the process lacks it."""
        return next((step for step in self.steps if step.name == name), None)

    def rows(self, name: str) -> list[StepSpec]:
        """Every row of a step, one per set of phases it starts from."""
        return [step for step in self.steps if step.name == name]

    def step_names(self) -> list[str]:
        """The steps in the order the process first declares them."""
        return list(dict.fromkeys(step.name for step in self.steps))

    @property
    def triage_in_session(self) -> bool:
        """A body weighs the cases in its sessions (not one user's decision)."""
        return any(
            step.bodies and step.session == "required"
            for step in self.steps
            if step.name in TRIAGE_STEPS or "triage" in step.from_
        )

    def bodies(self) -> set[str]:
        """The bodies this process names (not "any")."""
        return {
            slug for step in self.steps if isinstance(step.bodies, list) for slug in step.bodies
        }


def _reachable(steps: Iterable[StepSpec]) -> set[str]:
    reached = {"referred"}
    steps = list(steps)
    grew = True
    while grew:
        grew = False
        for step in steps:
            if step.to and step.to not in reached and set(step.from_) & reached:
                reached.add(step.to)
                grew = True
    return reached


def _step(name: str, sources: list[str], target: str | None, **kwargs: object) -> StepSpec:
    return StepSpec.model_validate({"name": name, "from": sources, "to": target, **kwargs})


#: The national model's general route (Landelijk Kader; Gelderland-Midden Bijlage 3 "Algemeen
#: proces"), which a track without `[tracks.process]` runs: intake by a process coordinator of
#: the house, enrichment by the case's coordinators, triage by the house's triage staff, the
#: first case meeting (any case meeting serving the track) makes the plan, closure by the
#: case's process coordinator as decided in a held case meeting.
GENERAL = ProcessSpec(
    source="Landelijk Kader Veiligheidshuizen; Bijlage 3, algemeen proces",
    steps=[
        _step("start_intake", ["referred"], "enrichment", roles=["process_coordinator"]),
        _step(
            "submit_to_triage",
            ["enrichment"],
            "triage",
            roles=["case_process_coordinator", "case_information_coordinator"],
        ),
        _step("decline", ["triage"], "declined", roles=list(TRIAGE_PERFORMERS)),
        _step(
            "request_more_information",
            ["triage"],
            "enrichment",
            roles=list(TRIAGE_PERFORMERS),
        ),
        _step("accept", ["triage"], "accepted", roles=list(TRIAGE_PERFORMERS)),
        _step("discuss", ["accepted"], "active", roles=list(SESSION_PERFORMERS), bodies="any"),
        _step("review", ["active"], None, roles=list(SESSION_PERFORMERS), bodies="any"),
        _step("close", ["active"], "closed", roles=["case_process_coordinator"], bodies="any"),
    ],
)

assert set(CASE_ROLES) >= {p for p in get_args(Performer) if p not in CASE_POSITIONS}
