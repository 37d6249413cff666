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

from ketentafel.covenants.criteria import RuleError, keys_of, parse_rule
from ketentafel.covenants.models import (
    BodyKind,
    Chain,
    EscalationTarget,
    MembershipStatus,
    PartyKind,
    TrackKind,
)

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


class ThemeSpec(_Slugged):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    source: Source


class DecisionTypeSpec(_Slugged):
    label: Annotated[str, Field(min_length=1, max_length=120)]
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
    problems.extend(_criteria_problems(region.criteria))
    for index, track in enumerate(region.tracks):
        problems.extend(_retention_problems(f"tracks[{index}].retention", track.retention))
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
