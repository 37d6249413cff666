# SPDX-License-Identifier: EUPL-1.2
"""Writes to the covenant configuration: loading a region file."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import structlog
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from ketentafel.covenants.criteria import Criteria, Criterion
from ketentafel.covenants.models import (
    Body,
    Covenant,
    DecisionType,
    ExcludedSubject,
    House,
    Membership,
    MembershipStatus,
    Party,
    Theme,
    Track,
)
from ketentafel.covenants.region_file import (
    TRACK_BODY_KINDS,
    BodySpec,
    RegionFile,
    RegionFileError,
    RetentionSpec,
    RolesSpec,
    SeatSpec,
    read_region_file,
)

log = structlog.get_logger(__name__)

M = TypeVar("M", bound=models.Model)
ConfigModel = House | Body | Track | Theme | DecisionType | ExcludedSubject


@dataclass
class LoadReport:
    covenant: str
    version: str
    counts: Counter[str] = field(default_factory=Counter)
    created: set[tuple[str, Any]] = field(default_factory=set, repr=False)

    @property
    def changed(self) -> bool:
        return any(
            k.endswith((":created", ":updated", ":ended", ":deactivated")) for k in self.counts
        )

    def summary(self) -> str:
        if not self.changed:
            return f"{self.covenant} {self.version}: unchanged"
        parts = [f"{n} {key.replace(':', ' ')}" for key, n in sorted(self.counts.items()) if n]
        return f"{self.covenant} {self.version}: " + ", ".join(parts)


def region_path(name: str) -> Path:
    """The shipped region file called `name` (for example `gelderland-midden`)."""
    path = Path(settings.REGIONS_DIR) / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in Path(settings.REGIONS_DIR).glob("*.toml")))
        raise RegionFileError(path, [("(file)", f"unknown region {name!r}; shipped: {known}")])
    return path


def _upsert(
    model: type[M], report: LoadReport, label: str, lookup: dict[str, Any], values: dict[str, Any]
) -> M:
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model._default_manager.create(**lookup, **values)
        report.counts[f"{label}:created"] += 1
        report.created.add((label, instance.pk))
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        report.counts[f"{label}:updated"] += 1
    else:
        report.counts[f"{label}:unchanged"] += 1
    return instance


def _set_related(
    instance: models.Model,
    manager: Any,
    wanted: Sequence[models.Model],
    report: LoadReport,
    label: str,
) -> None:
    current = {obj.pk for obj in manager.all()}
    if current != {obj.pk for obj in wanted}:
        manager.set(wanted)
        if (label, instance.pk) not in report.created:
            report.counts[f"{label}:updated"] += 1


def _deactivate_missing(
    model: type[ConfigModel], covenant: Covenant, kept: set[str], report: LoadReport, label: str
) -> None:
    gone = model._default_manager.filter(covenant=covenant, is_active=True).exclude(slug__in=kept)
    count = gone.update(is_active=False)
    if count:
        report.counts[f"{label}:deactivated"] += count


def region_load(*, path: Path, today: datetime.date | None = None) -> LoadReport:
    """Load a region file into the database, all or nothing.

    Idempotent: loading the same file again changes no row. A party missing from the file
    has its membership ended as `left` on `today`; other missing rows become inactive.
    """
    region = read_region_file(path)
    today = today or timezone.localdate()
    with transaction.atomic():
        report = _apply(region, path=path, today=today)
    log.info(
        "region_loaded", covenant=report.covenant, version=report.version, changed=report.changed
    )
    return report


def _parties(
    region: RegionFile, covenant: Covenant, report: LoadReport, path: Path
) -> dict[str, Party]:
    """Upsert the file's parties. A party that other covenants share keeps its name there, and
    must agree with them on kind and chain."""
    elsewhere = {
        m.party.slug: m
        for m in Membership.objects.filter(party__slug__in=[p.slug for p in region.parties])
        .exclude(covenant=covenant)
        .select_related("party", "covenant")
    }
    problems = []
    parties = {}
    for index, p in enumerate(region.parties):
        other = elsewhere.get(p.slug)
        values: dict[str, Any] = {"kind": p.kind.value, "chain": p.chain.value}
        if other is None:
            values["name"] = p.name
        else:
            for key in ("kind", "chain"):
                if getattr(other.party, key) != values[key]:
                    problems.append(
                        (
                            f"parties[{index}].{key}",
                            f"party {p.slug!r} is {getattr(other.party, key)!r} in covenant "
                            f"{other.covenant.slug!r}; a party shared by covenants has one {key}",
                        )
                    )
        parties[p.slug] = _upsert(Party, report, "party", {"slug": p.slug}, values)
    if problems:
        raise RegionFileError(path, problems)
    return parties


def _retention_values(rule: RetentionSpec | None) -> dict[str, Any]:
    """The Track columns for a retention rule; all empty when the file sets none."""
    return {
        "retention_declined_days": rule.declined_days if rule else None,
        "retention_closure_days": rule.closure_days if rule else None,
        "retention_monitoring_days": rule.monitoring_days if rule else None,
        "retention_open_max_days": rule.open_max_days if rule else None,
        "retention_open_warn_days": rule.open_warn_days if rule else None,
        "retention_is_example": rule.example if rule else False,
        "retention_source": rule.source if rule else "",
    }


def _served_tracks(spec: BodySpec, tracks: dict[str, Track]) -> list[Track]:
    """The tracks a body serves: those its `tracks` names; every track of the file when it
    names none. Steering and tactical bodies serve none: they weigh no cases."""
    if spec.kind not in TRACK_BODY_KINDS:
        return []
    if spec.tracks is None:
        return list(tracks.values())
    return [tracks[slug] for slug in spec.tracks]


def _roles_values(roles: RolesSpec | None) -> dict[str, Any]:
    """The Covenant columns for the `[roles]` table; the national roles when there is none."""
    return {
        "has_information_coordinator": roles.information_coordinator if roles else True,
        "role_labels": dict(roles.labels) if roles else {},
        "roles_source": roles.source if roles else "",
    }


def _seat_values(seats: Sequence[SeatSpec]) -> list[dict[str, Any]]:
    return [
        {
            "label": seat.label,
            "count": seat.count,
            "parties": list(seat.parties),
            "is_advisory": seat.is_advisory,
            "source": seat.source,
        }
        for seat in seats
    ]


def _criteria_values(region: RegionFile) -> dict[str, Any]:
    """The `[criteria]` table as the covenant stores it; empty (the national criteria) without."""
    spec = region.criteria
    if spec is None:
        return {}
    return Criteria(
        rule=spec.rule,
        source=spec.source,
        items=tuple(Criterion(i.key, i.label, i.source) for i in spec.items),
    ).as_data()


def _apply(region: RegionFile, *, path: Path, today: datetime.date) -> LoadReport:
    spec = region.covenant
    report = LoadReport(covenant=spec.slug, version=region.version)
    covenant_values = {
        "name": spec.name,
        "region": spec.region,
        "effective_from": spec.effective_from,
        "version": region.version,
        "source_file": path.name,
        "source": spec.source,
        "themes_required": spec.themes_required,
        "themes_source": spec.themes_source,
        **_roles_values(region.roles),
        "triage_criteria": _criteria_values(region),
        "municipality_view_required": bool(
            region.triage and region.triage.municipality_view_required
        ),
        "municipality_view_source": region.triage.municipality_view_source if region.triage else "",
        "referrer_consultation_source": (
            region.triage.referrer_consultation_source if region.triage else ""
        ),
    }
    covenant = Covenant.objects.filter(slug=spec.slug).first()
    if covenant is None:
        covenant = Covenant.objects.create(
            slug=spec.slug, loaded_at=timezone.now(), **covenant_values
        )
        report.counts["covenant:created"] += 1
    else:
        covenant = _upsert(Covenant, report, "covenant", {"slug": spec.slug}, covenant_values)

    parties = _parties(region, covenant, report, path)
    houses = {
        h.slug: _upsert(
            House,
            report,
            "house",
            {"covenant": covenant, "slug": h.slug},
            {
                "name": h.name,
                "location": h.location,
                "managing_municipality": parties[h.managing_municipality]
                if h.managing_municipality
                else None,
                "source": h.source,
                "is_active": True,
            },
        )
        for h in region.houses
    }
    _deactivate_missing(House, covenant, set(houses), report, "house")

    for p in region.parties:
        membership = _upsert(
            Membership,
            report,
            "membership",
            {"covenant": covenant, "party": parties[p.slug]},
            {
                "name": p.name,
                "is_primary": p.is_primary,
                "status": p.membership.value,
                "joined_on": p.joined_on or spec.effective_from,
                "ended_on": p.ended_on,
                "note": p.note,
                "source": p.source,
            },
        )
        _set_related(
            membership, membership.houses, [houses[s] for s in p.houses], report, "membership"
        )
    departed = (
        Membership.objects.current().filter(covenant=covenant).exclude(party__slug__in=parties)
    )
    for membership in departed:
        membership.end(status=MembershipStatus.LEFT, on=today)
        membership.note = f"Niet meer in regiobestand versie {region.version}"
        membership.save(update_fields=["status", "ended_on", "note"])
        report.counts["membership:ended"] += 1

    tracks = {
        t.slug: _upsert(
            Track,
            report,
            "track",
            {"covenant": covenant, "slug": t.slug},
            {
                "kind": t.kind.value,
                "name": t.name,
                "protocol": t.protocol,
                "source": t.source,
                "is_active": True,
                "process": t.process.model_dump(mode="json", by_alias=True) if t.process else {},
                "triage_in_session": t.process is not None and t.process.triage_in_session,
                **_retention_values(t.retention),
            },
        )
        for t in region.tracks
    }
    for t in region.tracks:
        # A track without `houses` is offered in every house of the covenant.
        offered = [houses[slug] for slug in t.houses] if t.houses else list(houses.values())
        _set_related(tracks[t.slug], tracks[t.slug].houses, offered, report, "track")
    _deactivate_missing(Track, covenant, set(tracks), report, "track")

    for b in region.bodies:
        body = _upsert(
            Body,
            report,
            "body",
            {"covenant": covenant, "slug": b.slug},
            {
                "kind": b.kind.value,
                "label": b.label,
                "cadence": b.cadence,
                "cadence_weeks": b.cadence_weeks,
                "escalation": b.escalation.value if b.escalation else "",
                "escalation_label": b.escalation_label,
                "escalation_source": b.escalation_source,
                "chair": b.chair or "",
                "member_roles": list(b.member_roles),
                "seats": _seat_values(b.seats),
                "organisers": list(b.organisers or []),
                "source": b.source,
                "is_active": True,
            },
        )
        _set_related(body, body.houses, [houses[s] for s in b.houses], report, "body")
        _set_related(body, body.members, [parties[s] for s in b.members], report, "body")
        _set_related(body, body.tracks, _served_tracks(b, tracks), report, "body")
    _deactivate_missing(Body, covenant, {b.slug for b in region.bodies}, report, "body")
    bodies = {body.slug: body for body in Body.objects.filter(covenant=covenant)}

    for th in region.themes:
        _upsert(
            Theme,
            report,
            "theme",
            {"covenant": covenant, "slug": th.slug},
            {"name": th.name, "source": th.source, "is_active": True},
        )
    _deactivate_missing(Theme, covenant, {t.slug for t in region.themes}, report, "theme")

    for d in region.decision_types:
        decision_type = _upsert(
            DecisionType,
            report,
            "decision_type",
            {"covenant": covenant, "slug": d.slug},
            {
                "label": d.label,
                "effect": d.effect,
                "reason": d.reason or "",
                "source": d.source,
                "is_active": True,
            },
        )
        _set_related(
            decision_type,
            decision_type.bodies,
            [bodies[s] for s in d.bodies],
            report,
            "decision_type",
        )
    _deactivate_missing(
        DecisionType, covenant, {d.slug for d in region.decision_types}, report, "decision_type"
    )

    for x in region.excluded_subjects:
        _upsert(
            ExcludedSubject,
            report,
            "excluded_subject",
            {"covenant": covenant, "slug": x.slug},
            {"name": x.name, "message": x.message, "source": x.source, "is_active": True},
        )
    _deactivate_missing(
        ExcludedSubject,
        covenant,
        {x.slug for x in region.excluded_subjects},
        report,
        "excluded_subject",
    )

    if report.changed:
        Covenant.objects.filter(pk=covenant.pk).update(loaded_at=timezone.now())
    return report
