# SPDX-License-Identifier: EUPL-1.2
"""Loading a region file: idempotent, and parties that disappear leave, never vanish."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core import serializers

from ketentafel.covenants.models import (
    Body,
    Covenant,
    House,
    Membership,
    MembershipStatus,
    Party,
    Theme,
)
from ketentafel.covenants.services import region_load
from tests.conftest import MINI_REGION

pytestmark = pytest.mark.django_db

CONFIG_MODELS = [Covenant, House, Party, Membership, Body, Theme]


def snapshot() -> str:
    return "".join(
        serializers.serialize("json", model.objects.order_by("pk")) for model in CONFIG_MODELS
    )


def variant(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "mini-region.toml"
    path.write_text(MINI_REGION.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path


def test_loads_everything_with_its_relations() -> None:
    report = region_load(path=MINI_REGION)
    assert report.counts["party:created"] == 3
    covenant = Covenant.objects.get(slug="mini-region")
    assert covenant.version == "1"
    noord = House.objects.get(slug="noord")
    assert noord.managing_municipality == Party.objects.get(slug="gemeente-noordstad")
    steering = Body.objects.get(slug="stuurgroep")
    assert steering.escalation == "chair"
    assert steering.cadence_weeks == 12
    assert {p.slug for p in steering.members.all()} == {"gemeente-noordstad", "politie-test"}
    politie = Membership.objects.get(party__slug="politie-test")
    assert {h.slug for h in politie.houses.all()} == {"noord", "zuid"}
    assert politie.joined_on == datetime.date(2024, 1, 1)
    assert politie.status == MembershipStatus.MEMBER


def test_loading_twice_changes_nothing() -> None:
    region_load(path=MINI_REGION)
    before = snapshot()
    report = region_load(path=MINI_REGION)
    assert not report.changed, report.summary()
    assert snapshot() == before


def test_a_party_that_disappears_has_left_with_a_date(tmp_path: Path) -> None:
    region_load(path=MINI_REGION)
    text = MINI_REGION.read_text(encoding="utf-8")
    start = text.index('[[parties]]\nslug = "zorg-test"')
    end = text.index("[[bodies]]")
    path = tmp_path / "mini-region.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")

    report = region_load(path=path, today=datetime.date(2025, 6, 30))

    assert report.counts["membership:ended"] == 1
    membership = Membership.objects.get(party__slug="zorg-test")
    assert membership.status == MembershipStatus.LEFT
    assert membership.ended_on == datetime.date(2025, 6, 30)
    assert Party.objects.filter(slug="zorg-test").exists()
    assert not region_load(path=path, today=datetime.date(2025, 7, 1)).changed


def test_an_excluded_party_is_kept_with_its_status(tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        'houses = ["zuid"]\nsource = "test"',
        'houses = ["zuid"]\nsource = "test"\nmembership = "excluded"\nended_on = "2024-05-01"',
    )
    region_load(path=path)
    membership = Membership.objects.get(party__slug="zorg-test")
    assert membership.status == MembershipStatus.EXCLUDED
    assert membership.ended_on == datetime.date(2024, 5, 1)


def test_a_changed_label_updates_in_place(tmp_path: Path) -> None:
    region_load(path=MINI_REGION)
    body_pk = Body.objects.get(slug="mdo").pk
    report = region_load(path=variant(tmp_path, 'label = "MDO"', 'label = "Casusoverleg"'))
    assert report.counts["body:updated"] == 1
    assert Body.objects.get(pk=body_pk).label == "Casusoverleg"


def test_a_theme_that_disappears_becomes_inactive(tmp_path: Path) -> None:
    region_load(path=MINI_REGION)
    text = MINI_REGION.read_text(encoding="utf-8")
    start = text.index("[[themes]]")
    end = text.index("[[decision_types]]")
    path = tmp_path / "mini-region.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    region_load(path=path)
    assert Theme.objects.get(slug="huiselijk-geweld").is_active is False


SECOND_TRACK = """
[[tracks]]
slug = "aftercare"
kind = "aftercare"
name = "Nazorg"
protocol = "Privacy protocol nazorg test"
source = "test"
"""
MDO_SOURCE = 'label = "MDO"\nhouses = ["noord"]\nsource = "test"'


def with_tracks(tmp_path: Path, mdo_tracks: str | None) -> Path:
    """The mini region with a second track, its MDO naming `mdo_tracks` (None: no key)."""
    text = MINI_REGION.read_text(encoding="utf-8").replace(
        "[[themes]]", SECOND_TRACK + "\n[[themes]]"
    )
    if mdo_tracks is not None:
        text = text.replace(MDO_SOURCE, f"{MDO_SOURCE}\ntracks = {mdo_tracks}")
    path = tmp_path / "mini-region.toml"
    path.write_text(text, encoding="utf-8")
    return path


def served(slug: str) -> set[str]:
    return set(Body.objects.get(slug=slug).tracks.values_list("slug", flat=True))


def test_a_body_without_tracks_serves_every_track_and_steering_none(tmp_path: Path) -> None:
    region_load(path=with_tracks(tmp_path, None))
    assert served("mdo") == {"complex-cases", "aftercare"}
    assert served("stuurgroep") == set()


def test_a_body_serves_the_tracks_it_names_and_reloads_unchanged(tmp_path: Path) -> None:
    path = with_tracks(tmp_path, '["complex-cases"]')
    region_load(path=path)
    assert served("mdo") == {"complex-cases"}
    before = snapshot()
    report = region_load(path=path)
    assert not report.changed, report.summary()
    assert snapshot() == before


def test_changed_tracks_update_the_body_in_place(tmp_path: Path) -> None:
    region_load(path=with_tracks(tmp_path, '["complex-cases"]'))
    body_pk = Body.objects.get(slug="mdo").pk
    report = region_load(path=with_tracks(tmp_path, '["aftercare"]'))
    assert report.counts["body:updated"] == 1
    assert Body.objects.get(pk=body_pk).tracks.get().slug == "aftercare"
    # Leaving the key out again: every track, including one added since.
    report = region_load(path=with_tracks(tmp_path, None))
    assert report.counts["body:updated"] == 1
    assert served("mdo") == {"complex-cases", "aftercare"}
