# SPDX-License-Identifier: EUPL-1.2
"""The region's own rules at referral, intake and triage (issue 14, items 7 and 10), through
the services, the API and the screens:

- IJsselland refuses a referral on Polarisatie en extremisme, citing art. 2.3 slotzin;
- Midden-Nederland offers PGA ondermijning only in Regio Utrecht (art. 2.3 b), and accepts an
  ordinary case without a theme;
- Midden-Limburg, without an informatiecoördinator (art. 3.1), takes a case from referral to
  triage with the process coordinator alone;
- the case page uses the region's role words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from ketentafel.accounts.models import Role, User
from ketentafel.cases import services
from ketentafel.cases.models import Case, Phase, SubjectKind, TriageOutcome
from ketentafel.core.errors import InvalidInput
from ketentafel.covenants.models import House, Party, Theme, Track
from ketentafel.covenants.services import region_load, region_path
from tests.cases.conftest import World, api_client, staff
from tests.cases.flows import PERSON, consulted, referred
from tests.covenants.test_shipped_regions import ijsselland_with_polarisatie

pytestmark = pytest.mark.django_db


@dataclass
class Region:
    house: House
    municipality: Party
    pc: User
    manager: User
    partner: User
    track: Track


def region(name: str, house: str, municipality: str, partner: str, track: str) -> Region:
    region_load(path=region_path(name))
    where = House.objects.get(covenant__slug=name, slug=house)
    gemeente = Party.objects.get(slug=municipality)
    return Region(
        house=where,
        municipality=gemeente,
        pc=staff(f"pc-{house}", gemeente, where, Role.PROCESS_COORDINATOR),
        manager=staff(f"manager-{house}", gemeente, where, Role.MANAGER),
        partner=staff(
            f"partner-{house}", Party.objects.get(slug=partner), where, Role.PARTNER_PROFESSIONAL
        ),
        track=Track.objects.get(covenant__slug=name, slug=track),
    )


def refer(r: Region, *, track: Track | None = None, themes: list[Theme] | None = None) -> Case:
    return services.case_refer(
        actor=r.partner,
        house_id=r.house.pk,
        track_id=(track or r.track).pk,
        subject_kind=SubjectKind.PERSON,
        persons=[PERSON],
        municipality_id=r.municipality.pk,
        problem_statement="Overlast en schulden.",
        goal="Gezamenlijk plan.",
        theme_ids=[t.pk for t in themes or []],
    )


def accept_without_theme(r: Region, case: Case) -> None:
    """Triage by the Procesregisseur, in consultation with the referrer (Midden-Nederland
    art. 12.2 a; Midden-Limburg art. 9.2 a)."""
    services.triage_decide(
        actor=r.pc,
        case_id=case.pk,
        serious_area_problem=True,
        system_impact=False,
        multiple_chains_needed=True,
        multiple_problems=True,
        outcome=TriageOutcome.ACCEPTED,
        explanation="Complex.",
        goal="Plan.",
        theme_ids=[],
        invitations=[services.Invitation(r.municipality.pk, "Gemeente", "Zienswijze")],
        **consulted(),
    )


# IJsselland: Polarisatie en extremisme ------------------------------------------------------


@pytest.fixture
def ijsselland(tmp_path: Path) -> tuple[Region, Track, Theme]:
    """IJsselland after its earlier file (with the subject as track and theme) and then the
    shipped one: the stale track and theme a form or partner system may still send."""
    region_load(path=ijsselland_with_polarisatie(tmp_path))
    r = region(
        "ijsselland",
        "ijsselland",
        "gemeente-zwolle",
        "reclassering-nederland",
        "complexe-multi-problematiek",
    )
    stale = Track.objects.get(covenant__slug="ijsselland", slug="polarisatie-en-extremisme")
    theme = Theme.objects.get(covenant__slug="ijsselland", slug="polarisatie-en-extremisme")
    assert not stale.is_active
    assert not theme.is_active
    return r, stale, theme


def test_a_polarisatie_referral_in_ijsselland_is_refused_citing_art_2_3(
    ijsselland: tuple[Region, Track, Theme],
) -> None:
    r, stale, _theme = ijsselland
    with pytest.raises(InvalidInput) as refused:
        refer(r, track=stale)
    assert refused.value.field == "track"
    assert refused.value.message.startswith("Polarisatie en extremisme valt buiten dit convenant")
    assert "apart samenwerkingsconvenant en privacyprotocol" in refused.value.message
    assert "(Art. 2.3 e en slotzin)" in refused.value.message
    assert not Case.objects.filter(house=r.house).exists()


def test_a_polarisatie_theme_on_a_referral_is_refused_citing_art_2_3(
    ijsselland: tuple[Region, Track, Theme],
) -> None:
    r, _stale, theme = ijsselland
    with pytest.raises(InvalidInput) as refused:
        refer(r, themes=[theme])
    assert refused.value.field == "themes"
    assert "Art. 2.3 e en slotzin" in refused.value.message


def test_the_api_refuses_a_polarisatie_referral_in_the_readers_language(
    ijsselland: tuple[Region, Track, Theme],
) -> None:
    r, stale, _theme = ijsselland
    body = {
        "house": r.house.pk,
        "track": stale.pk,
        "subject_kind": "person",
        "persons": [{"given_names": "Jan", "surname": "de Vries", "birth_date": "1990-04-12"}],
        "municipality": r.municipality.pk,
        "problem_statement": "Signalen van extremisme.",
        "goal": "Duiding.",
        "themes": [],
    }
    client = api_client(r.partner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400, response.content.decode()
    [error] = response.json()["errors"]
    assert error["field"] == "track"
    assert error["message"].startswith("Polarisatie en extremisme is outside this covenant: ")
    assert error["message"].endswith("(Art. 2.3 e en slotzin)")
    assert not Case.objects.filter(house=r.house).exists()


def test_the_referral_form_says_polarisatie_is_outside_and_does_not_offer_it(
    ijsselland: tuple[Region, Track, Theme],
) -> None:
    r, stale, theme = ijsselland
    page = api_client(r.partner).get("/aanmelden/").content.decode()
    assert "Niet via dit formulier (IJsselland): Polarisatie en extremisme." in page
    assert "Art. 2.3 e en slotzin" in page
    assert f'<option value="{stale.pk}"' not in page
    assert f'<option value="{r.track.pk}"' in page
    assert f'name="themes" value="{theme.pk}"' not in page


# Midden-Nederland: PGA ondermijning and optional themes -----------------------------------


@pytest.fixture
def flevoland() -> Region:
    return region(
        "midden-nederland",
        "flevoland",
        "gemeente-almere",
        "reclassering-nederland",
        "complexe-casuistiek",
    )


def _pga() -> Track:
    return Track.objects.get(covenant__slug="midden-nederland", slug="pga-ondermijning")


def test_pga_ondermijning_is_refused_in_flevoland(flevoland: Region) -> None:
    with pytest.raises(InvalidInput) as refused:
        refer(flevoland, track=_pga())
    assert refused.value.field == "track"
    assert "wordt in (zorg- en) veiligheidshuis Flevoland niet aangeboden" in refused.value.message
    assert not Case.objects.filter(house=flevoland.house).exists()


def test_pga_ondermijning_is_referred_in_regio_utrecht(flevoland: Region) -> None:
    utrecht = region(
        "midden-nederland",
        "regio-utrecht",
        "gemeente-utrecht",
        "politie-midden-nederland",
        "pga-ondermijning",
    )
    case = refer(utrecht)
    assert case.track == _pga()
    assert case.phase == Phase.REFERRED


def test_the_referral_form_offers_only_the_houses_tracks(flevoland: Region) -> None:
    page = api_client(flevoland.partner).get("/aanmelden/").content.decode()
    assert f'<option value="{flevoland.track.pk}"' in page
    assert f'<option value="{_pga().pk}"' not in page


def test_an_ordinary_midden_nederland_case_is_accepted_without_a_theme(
    flevoland: Region,
) -> None:
    """Art. 2.2 a: a complex case is not forced into MDA++, PGA or radicalisation."""
    case = refer(flevoland)
    services.intake_start(actor=flevoland.pc, case_id=case.pk)
    services.triage_submit(actor=flevoland.pc, case_id=case.pk)
    accept_without_theme(flevoland, case)
    accepted = Case.objects.get(pk=case.pk)
    assert accepted.phase == Phase.ACCEPTED
    assert not accepted.themes.exists()


# Midden-Limburg: no informatiecoördinator -------------------------------------------------


@pytest.fixture
def midden_limburg() -> Region:
    return region(
        "midden-limburg",
        "midden-limburg",
        "gemeente-roermond",
        "politie-limburg",
        "complexe-multi-problematiek",
    )


def test_midden_limburg_goes_from_referral_to_triage_without_an_information_coordinator(
    midden_limburg: Region,
) -> None:
    r = midden_limburg
    case = refer(r)
    services.intake_start(actor=r.pc, case_id=case.pk)
    enriching = Case.objects.get(pk=case.pk)
    assert enriching.phase == Phase.ENRICHMENT
    assert enriching.process_coordinator == r.pc
    assert enriching.information_coordinator is None
    # The enrichment steps the information coordinator takes elsewhere: the process
    # coordinator invites a partner and submits the case to triage.
    services.case_party_invite(
        actor=r.pc,
        case_id=case.pk,
        party_id=Party.objects.get(slug="3ro").pk,
        role="Reclassering",
        information_need="Lopend toezicht",
    )
    services.triage_submit(actor=r.pc, case_id=case.pk)
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE
    accept_without_theme(r, case)
    assert Case.objects.get(pk=case.pk).phase == Phase.ACCEPTED


def test_midden_limburg_refuses_naming_an_information_coordinator(
    midden_limburg: Region,
) -> None:
    r = midden_limburg
    case = refer(r)
    with pytest.raises(InvalidInput) as refused:
        services.intake_start(actor=r.pc, case_id=case.pk, information_coordinator_id=r.pc.pk)
    assert refused.value.field == "information_coordinator"
    assert "Art. 3.1 d-g" in refused.value.message
    assert Case.objects.get(pk=case.pk).phase == Phase.REFERRED


def test_midden_limburg_intake_through_the_api_and_the_screen(midden_limburg: Region) -> None:
    r = midden_limburg
    by_api = refer(r)
    client = api_client(r.pc)
    response = client.post(f"/api/v1/cases/{by_api.pk}/intake/", {}, format="json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["phase"] == Phase.ENRICHMENT

    on_screen = refer(r)
    page = client.get(f"/casussen/{on_screen.pk}/").content.decode()
    assert 'name="information_coordinator"' not in page
    assert "doet de intake en verrijking zelf: dit convenant kent geen informatiecoördinator" in (
        page
    )
    assert "<dt>Informatiecoördinator</dt>" not in page


def test_an_information_coordinator_is_still_required_where_the_covenant_has_one(
    world: World,
) -> None:
    case = referred(world)
    with pytest.raises(InvalidInput) as refused:
        services.intake_start(actor=world.pc, case_id=case.pk)
    assert refused.value.field == "information_coordinator"


# Role words ---------------------------------------------------------------------------------


def test_the_case_page_shows_gelderland_middens_role_words(world: World) -> None:
    case = referred(world)
    client = api_client(world.pc)
    page = client.get(f"/casussen/{case.pk}/").content.decode()
    assert "<dt>Uitvoerend coördinator</dt>" in page  # art. 1.12, where others say Casusregisseur
    assert "<dt>Casusregisseur</dt>" not in page
    assert "<dt>Procesregisseur</dt>" in page
    assert 'name="information_coordinator"' in page
    assert "U wordt procesregisseur van deze casus en wijst een informatiecoördinator aan." in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/casussen/{case.pk}/").content.decode()
    assert "<dt>Uitvoerend coördinator</dt>" in english
    assert "<dt>Process coordinator</dt>" in english
