# SPDX-License-Identifier: EUPL-1.2
"""Triage names the case's themes where the covenant requires one (the region file's
`themes_required`: Gelderland-Midden art. 1.8); elsewhere a case is accepted without one."""

from __future__ import annotations

import pytest

from ketentafel.cases import services
from ketentafel.cases.models import Case, Phase, TriageOutcome
from ketentafel.core.errors import InvalidInput
from ketentafel.covenants.models import Covenant, Theme
from tests.cases.conftest import World
from tests.cases.flows import consulted, in_triage

pytestmark = pytest.mark.django_db


def _accept(world: World, case: Case) -> None:
    services.triage_decide(
        actor=world.manager,
        case_id=case.pk,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=TriageOutcome.ACCEPTED,
        explanation="Complex.",
        goal="Plan.",
        theme_ids=[],
        invitations=[
            services.Invitation(world.party["reclassering-nederland"].pk, "Toezicht", "Voorw.")
        ],
        **consulted(),
    )


def test_a_theme_is_required_where_the_covenant_requires_one(world: World) -> None:
    assert world.house.covenant.themes_required
    case = in_triage(world)
    with pytest.raises(InvalidInput) as refused:
        _accept(world, case)
    assert refused.value.field == "themes"
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE


def test_a_covenant_that_requires_no_theme_accepts_without_one(world: World) -> None:
    """Its themes stay offered: they are not forced on a case (Midden-Nederland art. 2.3)."""
    Covenant.objects.filter(pk=world.house.covenant_id).update(themes_required=False)
    case = in_triage(world)
    case.themes.clear()
    _accept(world, case)
    accepted = Case.objects.get(pk=case.pk)
    assert accepted.phase == Phase.ACCEPTED
    assert not accepted.themes.exists()
    assert Theme.objects.filter(covenant=world.house.covenant, is_active=True).exists()
