# SPDX-License-Identifier: EUPL-1.2
"""The region file format (docs/configuration.md), parsed and checked before anything loads.

`read_region_file` returns a validated `RegionFile` or raises `RegionFileError` naming the
file, the key (for example `parties[12].kind`) and the problem.
"""

from __future__ import annotations

import datetime
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ketentafel.accounts.models import Role
from ketentafel.covenants.criteria import RuleError, keys_of, parse_rule
from ketentafel.covenants.models import (
    ROLE_WORDS,
    BodyKind,
    Chain,
    EscalationTarget,
    MembershipStatus,
    PartyKind,
    TrackKind,
)
from ketentafel.covenants.process import CASE_POSITIONS, Effect, Performer, ProcessSpec

SCHEMA_VERSION = 1

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=300)]
Source = Annotated[str, Field(min_length=1, max_length=300)]

# The kinds of body that weigh or discuss cases, and so serve tracks.
TRACK_BODY_KINDS = (BodyKind.TRIAGE, BodyKind.CASE_MEETING)


class RegionFileError(Exception):
    """A region file that cannot be loaded; nothing of it was stored."""

    def __init__(self, path: Path, problems: list[tuple[str, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}: {key}: {problem}" for key, problem in problems]
        super().__init__("\n".join(lines))


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Slugged(_Item):
    slug: Slug


class CovenantSpec(_Item):
    slug: Slug
    name: Text
    region: Text
    effective_from: datetime.date
    source: Source
    # Whether triage must name at least one theme when it accepts a case; the article that
    # says so (or says the themes are not exhaustive) in `themes_source`.
    themes_required: bool = False
    themes_source: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _themes_required_cites(self) -> CovenantSpec:
        if self.themes_required and not self.themes_source:
            raise ValueError("themes_required = true needs `themes_source` (the article)")
        return self


class RolesSpec(_Item):
    """The region's words for the house roles, and whether it has an information coordinator.

    Keys of `labels` are the words of `covenants.models.ROLE_WORDS` (the role values of
    `accounts.models.Role` and `case_coordinator`); a word left out keeps its national name.
    A region whose covenant has no information coordinator (Midden-Limburg art. 3.1) gives
    intake and enrichment to the process coordinator."""

    information_coordinator: bool = True
    labels: dict[str, Annotated[str, Field(min_length=1, max_length=80)]] = Field(
        default_factory=dict
    )
    source: Source

    @model_validator(mode="after")
    def _known_words(self) -> RolesSpec:
        unknown = sorted(set(self.labels) - set(ROLE_WORDS))
        if unknown:
            raise ValueError(
                f"labels: unknown role word {unknown[0]!r}; expected one of "
                + ", ".join(repr(word) for word in ROLE_WORDS)
            )
        return self

    @model_validator(mode="after")
    def _no_label_for_an_absent_role(self) -> RolesSpec:
        if not self.information_coordinator and Role.INFORMATION_COORDINATOR in self.labels:
            raise ValueError(
                "labels.information_coordinator names a role the region does not have "
                "(information_coordinator = false)"
            )
        return self


class TriageSpec(_Item):
    """What triage must record in this region, beside the national fields (docs/configuration.md).

    `municipality_view_required`: the covenant makes the municipality's view part of triage
    (Gelderland-Midden art. 1.8: "de zienswijze van de betreffende gemeente wordt opgehaald").
    `referrer_consultation_source`: the article that has triage assess a case in consultation
    with the party that referred it (e.g. art. 8.1a, 12.2a), cited when it was not recorded."""

    municipality_view_required: bool
    municipality_view_source: str = Field(default="", max_length=300)
    referrer_consultation_source: Source

    @model_validator(mode="after")
    def _source_when_required(self) -> TriageSpec:
        if self.municipality_view_required and not self.municipality_view_source.strip():
            raise ValueError(
                "municipality_view_source is required when municipality_view_required is true"
            )
        return self


class CriterionSpec(_Item):
    # The keys of the national criteria (Bijlage 2): TriageDecision records one check each.
    key: Literal["A", "B", "C", "D"]
    label: Text
    source: Source


class CriteriaSpec(_Item):
    """The complex-case criteria (Bijlage 2) in the region's words and how they combine."""

    rule: Annotated[str, Field(min_length=1, max_length=200)]
    source: Source
    items: list[CriterionSpec] = Field(min_length=1)


class HouseSpec(_Slugged):
    name: Text
    location: Text
    managing_municipality: Slug | None = None
    source: Source


class PartySpec(_Slugged):
    name: Text
    kind: PartyKind
    chain: Chain
    is_primary: bool
    houses: list[Slug] = Field(min_length=1)
    source: Source
    joined_on: datetime.date | None = None
    membership: MembershipStatus = MembershipStatus.MEMBER
    ended_on: datetime.date | None = None
    note: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _ended_when_not_member(self) -> PartySpec:
        if self.membership != MembershipStatus.MEMBER and self.ended_on is None:
            raise ValueError(f"ended_on is required when membership is {self.membership.value}")
        if self.membership == MembershipStatus.MEMBER and self.ended_on is not None:
            raise ValueError("ended_on is only allowed when membership is left or excluded")
        return self


class SeatSpec(_Item):
    """A seat of a body as the covenant gives it: who fills it, how many, in what capacity."""

    label: Text
    count: int = Field(default=1, ge=1, le=50)
    # The parties the seat is filled from; empty when the covenant names none (a person, such
    # as the Manager, or a group the covenant does not enumerate).
    parties: list[Slug] = Field(default_factory=list)
    is_advisory: bool = False
    source: Source


class BodySpec(_Slugged):
    kind: BodyKind
    label: Text
    houses: list[Slug] = Field(min_length=1)
    cadence: str = Field(default="", max_length=200)
    cadence_weeks: int | None = Field(default=None, ge=1, le=104)
    members: list[Slug] = Field(default_factory=list)
    source: Source
    escalation: EscalationTarget | None = None
    escalation_label: str = Field(default="", max_length=200)
    escalation_source: str = Field(default="", max_length=300)
    # The tracks whose cases this body weighs or discusses; left out, every track of the
    # covenant (docs/configuration.md; ADR 0010).
    tracks: list[Slug] | None = Field(default=None, min_length=1)
    # Who chairs a session and which roles sit in it besides the member parties (Gelderland-
    # Midden art. 8.1: the weegploeg, chaired by the ketenmanager with the location managers and
    # the information coordinator).
    chair: Performer | None = None
    member_roles: list[Performer] = Field(default_factory=list)
    seats: list[SeatSpec] = Field(default_factory=list)
    # Who organises a session: schedules it, sets its agenda, records and holds it. House
    # roles, and `case_coordinator`: the casusregisseur organises sessions for the cases he
    # coordinates (IJsselland art. 13.2). Left out, the process coordinator and the meeting
    # secretary (IJsselland art. 15.1-15.2).
    organisers: list[Performer] | None = Field(default=None, min_length=1)
    organisers_source: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _organisers_of_case_bodies(self) -> BodySpec:
        if self.organisers is None:
            return self
        if self.kind not in TRACK_BODY_KINDS:
            raise ValueError("only a triage or case_meeting body has `organisers`")
        if not self.organisers_source.strip():
            raise ValueError("`organisers` needs `organisers_source` (the article)")
        for performer in self.organisers:
            if performer in CASE_POSITIONS and performer != "case_coordinator":
                raise ValueError(
                    f"`organisers` names house roles or `case_coordinator`, not {performer!r}"
                )
        return self

    @model_validator(mode="after")
    def _escalation_for_steering_only(self) -> BodySpec:
        if self.kind == BodyKind.STEERING and self.escalation is None:
            raise ValueError("a steering body needs `escalation` (where undecided matters go)")
        if self.kind != BodyKind.STEERING and self.escalation is not None:
            raise ValueError("only a steering body has `escalation`")
        return self

    @model_validator(mode="after")
    def _tracks_for_case_bodies_only(self) -> BodySpec:
        if self.tracks is not None and self.kind not in TRACK_BODY_KINDS:
            raise ValueError("only a triage or case_meeting body has `tracks`")
        return self


Days = Annotated[int, Field(ge=0, le=36600)]


class RetentionSpec(_Item):
    """How long a track keeps personal data (the privacy protocol's retention article).

    Days count from: the triage decision that declined a referral (`declined_days`); the
    closure (`closure_days`: first clean-up; `monitoring_days`: the dossier goes); the referral
    of a case still open (`open_max_days`, flagged `open_warn_days` before it).
    """

    example: bool = Field(
        description="True when the values are examples, not yet set by the region's protocol"
    )
    declined_days: Days
    closure_days: Days = 0
    monitoring_days: Days
    open_max_days: Days
    open_warn_days: Days
    source: Source


class TrackSpec(_Slugged):
    kind: TrackKind
    name: Text
    protocol: Text
    source: Source
    retention: RetentionSpec | None = None
    # The work process; left out, the national general route (`covenants.process.GENERAL`).
    process: ProcessSpec | None = None
    # The houses that offer the track; left out, every house of the covenant.
    houses: list[Slug] | None = Field(default=None, min_length=1)


class ThemeSpec(_Slugged):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    source: Source


class DecisionTypeSpec(_Slugged):
    label: Annotated[str, Field(min_length=1, max_length=120)]
    source: Source
    # What the decision does to the case (`covenants.process.EFFECT_STEPS`), and the bodies
    # whose sessions take it (left out: every body that serves cases).
    effect: Effect = "none"
    bodies: list[Slug] = Field(default_factory=list)
    # For `close`: the closure reason recorded (`cases.models.ClosureReason`).
    reason: Literal["goal_reached", "no_longer_needed", "other"] | None = None

    @model_validator(mode="after")
    def _reason_for_close_only(self) -> DecisionTypeSpec:
        if self.reason is not None and self.effect != "close":
            raise ValueError("only a decision with effect 'close' has a `reason`")
        return self


class ExcludedSubjectSpec(_Slugged):
    """A subject the covenant puts outside this process (IJsselland art. 2.3 slotzin): a
    referral on it is refused with `message`, citing `source`. Its slug is that of the track or
    theme a referral would name."""

    name: Text
    message: Annotated[str, Field(min_length=1, max_length=500)]
    source: Source


class RegionFile(_Item):
    schema_: Literal[1] = Field(alias="schema")
    version: Annotated[str, Field(min_length=1, max_length=40)]
    covenant: CovenantSpec
    triage: TriageSpec | None = None
    criteria: CriteriaSpec | None = None
    houses: list[HouseSpec] = Field(min_length=1)
    parties: list[PartySpec] = Field(min_length=1)
    bodies: list[BodySpec] = Field(default_factory=list)
    tracks: list[TrackSpec] = Field(default_factory=list)
    themes: list[ThemeSpec] = Field(default_factory=list)
    decision_types: list[DecisionTypeSpec] = Field(default_factory=list)
    roles: RolesSpec | None = None
    excluded_subjects: list[ExcludedSubjectSpec] = Field(default_factory=list)


def _location(loc: Iterable[int | str]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(file)"


def _cross_check(region: RegionFile) -> list[tuple[str, str]]:
    """Problems pydantic cannot see: duplicate slugs and references to unknown slugs."""
    problems: list[tuple[str, str]] = []
    lists: dict[str, Sequence[_Slugged]] = {
        "houses": region.houses,
        "parties": region.parties,
        "bodies": region.bodies,
        "tracks": region.tracks,
        "themes": region.themes,
        "decision_types": region.decision_types,
        "excluded_subjects": region.excluded_subjects,
    }
    for name, items in lists.items():
        counts = Counter(item.slug for item in items)
        seen: set[str] = set()
        for index, item in enumerate(items):
            if counts[item.slug] > 1 and item.slug in seen:
                problems.append((f"{name}[{index}].slug", f"duplicate slug {item.slug!r}"))
            seen.add(item.slug)

    houses = {h.slug for h in region.houses}
    parties = {p.slug: p for p in region.parties}
    tracks = {t.slug for t in region.tracks}
    for index, house in enumerate(region.houses):
        ref = house.managing_municipality
        if ref is None:
            continue
        if ref not in parties:
            problems.append((f"houses[{index}].managing_municipality", f"unknown party {ref!r}"))
        elif parties[ref].kind != PartyKind.GEMEENTE:
            problems.append(
                (f"houses[{index}].managing_municipality", f"party {ref!r} is not a gemeente")
            )
    for index, party in enumerate(region.parties):
        for h_index, slug in enumerate(party.houses):
            if slug not in houses:
                problems.append((f"parties[{index}].houses[{h_index}]", f"unknown house {slug!r}"))
    bodies = {b.slug: b for b in region.bodies}
    problems.extend(_criteria_problems(region.criteria))
    for index, track in enumerate(region.tracks):
        problems.extend(_retention_problems(f"tracks[{index}].retention", track.retention))
        problems.extend(_process_problems(f"tracks[{index}].process", track, bodies))
        offered = track.houses or []
        for h_index, slug in enumerate(offered):
            if slug not in houses:
                problems.append((f"tracks[{index}].houses[{h_index}]", f"unknown house {slug!r}"))
            elif slug in offered[:h_index]:
                problems.append((f"tracks[{index}].houses[{h_index}]", f"duplicate house {slug!r}"))
    themes = {t.slug for t in region.themes}
    for index, subject in enumerate(region.excluded_subjects):
        if subject.slug in tracks or subject.slug in themes:
            problems.append(
                (
                    f"excluded_subjects[{index}].slug",
                    f"{subject.slug!r} is also a track or theme of this file; an excluded "
                    "subject cannot be offered",
                )
            )
    for index, decision in enumerate(region.decision_types):
        for b_index, slug in enumerate(decision.bodies):
            if slug not in bodies:
                problems.append(
                    (f"decision_types[{index}].bodies[{b_index}]", f"unknown body {slug!r}")
                )
            elif bodies[slug].kind not in TRACK_BODY_KINDS:
                problems.append(
                    (
                        f"decision_types[{index}].bodies[{b_index}]",
                        f"body {slug!r} is a {bodies[slug].kind.value} body; it decides no cases",
                    )
                )
    for index, body in enumerate(region.bodies):
        for h_index, slug in enumerate(body.houses):
            if slug not in houses:
                problems.append((f"bodies[{index}].houses[{h_index}]", f"unknown house {slug!r}"))
        for m_index, slug in enumerate(body.members):
            if slug not in parties:
                problems.append((f"bodies[{index}].members[{m_index}]", f"unknown party {slug!r}"))
        served = body.tracks or []
        for t_index, slug in enumerate(served):
            if slug not in tracks:
                problems.append((f"bodies[{index}].tracks[{t_index}]", f"unknown track {slug!r}"))
            elif slug in served[:t_index]:
                problems.append((f"bodies[{index}].tracks[{t_index}]", f"duplicate track {slug!r}"))
        for s_index, seat in enumerate(body.seats):
            for p_index, slug in enumerate(seat.parties):
                key = f"bodies[{index}].seats[{s_index}].parties[{p_index}]"
                if slug not in parties:
                    problems.append((key, f"unknown party {slug!r}"))
                elif slug not in body.members:
                    problems.append((key, f"party {slug!r} is not in the body's members"))
    return problems


def _process_problems(
    key: str, track: TrackSpec, bodies: dict[str, BodySpec]
) -> list[tuple[str, str]]:
    """The bodies a track's process names: known, of a kind that decides cases, serving it."""
    if track.process is None:
        return []
    problems = []
    kinds = set(PartyKind.values)
    for name in ("referrer_kinds", "core_kinds"):
        for k_index, kind in enumerate(getattr(track.process, name) or []):
            if kind not in kinds:
                problems.append((f"{key}.{name}[{k_index}]", f"unknown party kind {kind!r}"))
    for s_index, step in enumerate(track.process.steps):
        if not isinstance(step.bodies, list):
            continue
        for b_index, slug in enumerate(step.bodies):
            where = f"{key}.steps[{s_index}].bodies[{b_index}]"
            body = bodies.get(slug)
            if body is None:
                problems.append((where, f"unknown body {slug!r}"))
            elif body.kind not in TRACK_BODY_KINDS:
                problems.append((where, f"body {slug!r} is a {body.kind.value} body"))
            elif body.tracks is not None and track.slug not in body.tracks:
                problems.append((where, f"body {slug!r} does not serve track {track.slug!r}"))
    return problems


def _criteria_problems(criteria: CriteriaSpec | None) -> list[tuple[str, str]]:
    """Duplicate criteria, and a rule that does not parse or leaves a criterion out."""
    if criteria is None:
        return []
    problems = []
    declared: list[str] = []
    for index, item in enumerate(criteria.items):
        if item.key in declared:
            problems.append((f"criteria.items[{index}].key", f"duplicate criterion {item.key!r}"))
        declared.append(item.key)
    try:
        used = keys_of(parse_rule(criteria.rule, declared))
    except RuleError as exc:
        problems.append(("criteria.rule", str(exc)))
        return problems
    for index, item in enumerate(criteria.items):
        if item.key not in used:
            problems.append(
                (f"criteria.items[{index}].key", f"criterion {item.key!r} is not in the rule")
            )
    return problems


def _retention_problems(key: str, rule: RetentionSpec | None) -> list[tuple[str, str]]:
    """Orders between retention periods that one field alone cannot check."""
    if rule is None:
        return []
    problems = []
    if rule.monitoring_days < rule.closure_days:
        problems.append(
            (
                f"{key}.monitoring_days",
                f"{rule.monitoring_days} is shorter than closure_days ({rule.closure_days}); "
                "the dossier cannot go before the first clean-up",
            )
        )
    if rule.open_max_days == 0:
        problems.append((f"{key}.open_max_days", "must be at least 1 day"))
    elif rule.open_warn_days >= rule.open_max_days:
        problems.append(
            (
                f"{key}.open_warn_days",
                f"{rule.open_warn_days} is not shorter than open_max_days ({rule.open_max_days})",
            )
        )
    return problems


def read_region_file(path: Path) -> RegionFile:
    """Parse and check a region file; raise RegionFileError listing every problem found."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegionFileError(path, [("(file)", "no such file")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RegionFileError(path, [("(file)", f"not valid TOML: {exc}")]) from None
    try:
        region = RegionFile.model_validate(raw)
    except ValidationError as exc:
        problems = [
            (_location(error["loc"]), _message(error)) for error in exc.errors(include_url=False)
        ]
        raise RegionFileError(path, problems) from None
    problems = _cross_check(region)
    if region.covenant.slug != path.stem:
        problems.append(
            ("covenant.slug", f"{region.covenant.slug!r} differs from the file name {path.stem!r}")
        )
    if problems:
        raise RegionFileError(path, problems)
    return region


def _message(error: object) -> str:
    assert isinstance(error, dict)
    kind = error.get("type")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "literal_error" and error["loc"] == ("schema",):
        return (
            f"unsupported schema {error.get('input')!r}; this version reads schema {SCHEMA_VERSION}"
        )
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"unknown value {error.get('input')!r}; expected one of {expected}"
    return str(error.get("msg", "invalid value"))
