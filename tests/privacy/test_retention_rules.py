# SPDX-License-Identifier: EUPL-1.2
"""Retention rules in the region file: validated with file, key and problem; loaded per track."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketentafel.covenants.models import Track
from ketentafel.covenants.region_file import RegionFileError, read_region_file
from ketentafel.covenants.services import region_load, region_path
from tests.conftest import MINI_REGION

TRACK = 'protocol = "Privacy protocol test"\nsource = "test"\n'
RULE = """[tracks.retention]
example = false
declined_days = 30
closure_days = 7
monitoring_days = 180
open_max_days = 365
open_warn_days = 30
source = "Privacy protocol test, art. 11"
"""


def with_rule(tmp_path: Path, rule: str) -> Path:
    text = MINI_REGION.read_text(encoding="utf-8")
    assert TRACK in text
    path = tmp_path / "mini-region.toml"
    path.write_text(text.replace(TRACK, TRACK + rule, 1), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(RegionFileError) as caught:
        read_region_file(path)
    assert str(path) in str(caught.value)
    return caught.value.problems


@pytest.mark.django_db
def test_a_rule_loads_onto_its_track_and_reloading_changes_nothing(tmp_path: Path) -> None:
    path = with_rule(tmp_path, RULE)
    region_load(path=path)
    track = Track.objects.get(covenant__slug="mini-region", slug="complex-cases")
    assert (
        track.retention_declined_days,
        track.retention_closure_days,
        track.retention_monitoring_days,
        track.retention_open_max_days,
        track.retention_open_warn_days,
    ) == (30, 7, 180, 365, 30)
    assert track.retention_is_example is False
    assert track.retention_source == "Privacy protocol test, art. 11"
    assert not region_load(path=path).changed
    region_load(path=MINI_REGION)  # the rule removed from the file: nothing is purged any more
    assert not Track.objects.get(covenant__slug="mini-region", slug="complex-cases").has_retention


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        (
            "monitoring_days = 180",
            "monitoring_days = 3",
            "tracks[0].retention.monitoring_days",
            "shorter than closure_days",
        ),
        (
            "open_warn_days = 30",
            "open_warn_days = 365",
            "tracks[0].retention.open_warn_days",
            "not shorter than open_max_days",
        ),
        (
            "open_max_days = 365",
            "open_max_days = 0",
            "tracks[0].retention.open_max_days",
            "at least 1 day",
        ),
        (
            "declined_days = 30",
            "declined_days = -1",
            "tracks[0].retention.declined_days",
            "greater than or equal to 0",
        ),
        (
            "declined_days = 30",
            'declined_days = "dertig"',
            "tracks[0].retention.declined_days",
            "valid integer",
        ),
        ("example = false\n", "", "tracks[0].retention.example", "required key is missing"),
        (
            "closure_days = 7",
            "closure_days = 7\nweeks = 2",
            "tracks[0].retention.weeks",
            "unknown key",
        ),
    ],
)
def test_a_bad_rule_names_file_key_and_problem(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    assert old in RULE
    [(found_key, found_problem)] = problems_of(with_rule(tmp_path, RULE.replace(old, new, 1)))
    assert found_key == key
    assert problem in found_problem


@pytest.mark.parametrize(
    "region", ["gelderland-midden", "ijsselland", "midden-limburg", "midden-nederland"]
)
def test_every_shipped_track_has_a_rule_marked_as_example(region: str) -> None:
    parsed = read_region_file(region_path(region))
    assert parsed.tracks
    for track in parsed.tracks:
        assert track.retention is not None, track.slug
        assert track.retention.example, track.slug
        assert track.retention.source.startswith("Voorbeeldwaarden"), track.slug
