# SPDX-License-Identifier: EUPL-1.2
"""The case list pages through every case the user may see and filters on a phase; a page or
phase that does not exist is refused at its field and reads nothing."""

from __future__ import annotations

import datetime

import pytest

from ketentafel.audit.models import AuditEvent
from ketentafel.cases import services
from ketentafel.cases.selectors import case_page_for
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.web.flows import ok

pytestmark = pytest.mark.django_db


def _person(n: int) -> services.PersonInput:
    return services.PersonInput(
        given_names=f"Persoon{n}", surname="Voorbeeld", birth_date=datetime.date(1980, 1, n + 1)
    )


def _events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(purpose="case_list").order_by("seq"))


def test_pages_follow_each_other_and_each_records_only_what_it_shows(world: World) -> None:
    cases = [flows.referred(world, person=_person(n)) for n in range(5)]
    newest_first = [c.pk for c in reversed(cases)]
    first = case_page_for(world.police, per_page=2)
    second = case_page_for(world.police, page=2, per_page=2)
    last = case_page_for(world.police, page=3, per_page=2)
    assert [r.pk for r in first.rows + second.rows + last.rows] == newest_first
    assert (first.has_next, second.has_next, last.has_next) == (True, True, False)
    assert [e.object_ids for e in _events()] == [
        sorted(str(pk) for pk in newest_first[0:2]),
        sorted(str(pk) for pk in newest_first[2:4]),
        [str(newest_first[4])],
    ]


def test_the_screen_filters_on_a_phase_and_links_the_next_page(world: World) -> None:
    waiting = flows.referred(world)
    triaged = flows.in_triage(world)
    client = api_client(world.pc)
    html = ok(client.get("/casussen/?fase=triage")).content.decode()
    assert f"/casussen/{triaged.pk}/" in html
    assert f"/casussen/{waiting.pk}/" not in html
    assert 'rel="next"' not in html
    assert ok(client.get("/casussen/?fase=closed")).content.decode().count("Geen casussen") == 1
    everything = ok(client.get("/casussen/")).content.decode()
    assert f"/casussen/{waiting.pk}/" in everything
    assert f"/casussen/{triaged.pk}/" in everything
    queue = ok(client.get("/werkvoorraad/")).content.decode()
    assert 'href="/casussen/?fase=referred"' in queue
    assert 'href="/casussen/?fase=triage"' in queue


def test_a_wrong_page_or_phase_is_refused_and_reads_nothing(world: World) -> None:
    flows.referred(world)
    client = api_client(world.police)
    before = len(_events())
    for query, field in (("pagina=0", "pagina"), ("pagina=twee", "pagina"), ("fase=x", "fase")):
        response = client.get(f"/casussen/?{query}")
        assert response.status_code == 400, query
        html = response.content.decode()
        assert f'href="#id_{field}"' in html, query
        assert "Jan de Vries" not in html
    assert len(_events()) == before
