# SPDX-License-Identifier: EUPL-1.2
"""Triage names the case's themes where the covenant has them; a covenant that names none
(Midden-Limburg art. 2.2a) still accepts cases."""

from __future__ import annotations

import pytest

from ketentafel.cases import services
from ketentafel.cases.models import Case, Phase, TriageOutcome
from ketentafel.core.errors import InvalidInput
from ketentafel.covenants.models import Theme
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


def test_a_theme_is_required_where_the_covenant_names_themes(world: World) -> None:
    case = in_triage(world)
    with pytest.raises(InvalidInput) as refused:
        _accept(world, case)
    assert refused.value.field == "themes"
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE


def test_a_covenant_without_themes_accepts_without_one(world: World) -> None:
    case = in_triage(world)
    case.themes.clear()
    Theme.objects.filter(covenant=world.house.covenant).delete()
    _accept(world, case)
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED
