# SPDX-License-Identifier: EUPL-1.2
"""DJI's detention notification opens a nazorg case in the house of the municipality of return
(Gelderland-Midden art. 2.3a, Bijlage 3 Proces nazorg; Midden-Limburg art. 2.3)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.aftercare.models import DetentionNotification
from ketentafel.audit.models import AuditEvent
from ketentafel.cases import services as case_services
from ketentafel.cases.models import Case, CaseParty, Phase, SubjectKind
from ketentafel.cases.selectors import cases_visible_to
from ketentafel.core.errors import InvalidInput, NotAllowed
from ketentafel.covenants.models import House, Party, Track, TrackKind
from ketentafel.covenants.services import region_load, region_path
from tests.aftercare.conftest import (
    PERSON,
    Nazorg,
    days_ago,
    nazorg,
    notification_input,
    notified,
    world,
)
from tests.cases.conftest import staff
from tests.factories import UserFactory

__all__ = ["nazorg", "world"]

# `clock`: dates relative to today (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_a_notification_opens_a_referred_nazorg_case_in_the_house_of_return(
    nazorg: Nazorg,
) -> None:
    world = nazorg.world
    notification = notified(nazorg, detention_end=days_ago(1))

    case = Case.objects.get(pk=notification.case_id)
    assert (case.house, case.track, case.phase) == (world.house, nazorg.track, Phase.REFERRED)
    assert (case.referring_party, case.municipality) == (nazorg.dji_party, world.municipality)
    assert case.subject_kind == SubjectKind.PERSON
    person = case.persons.get()
    assert (person.given_names, person.surname, person.bsn) == (
        "Karim",
        "Voorbeeld-Nazorg",
        "123456782",
    )
    assert "PI Arnhem" in case.problem_statement
    assert "basisvoorwaarden" in case.goal
    assert (notification.institution, notification.municipality) == (
        "PI Arnhem",
        world.municipality,
    )
    assert notification.detention_end == days_ago(1)
    assert CaseParty.objects.filter(case=case, party=nazorg.dji_party).exists()
    # The house's process coordinators see the referral to take it up; the referrer sees it.
    assert cases_visible_to(world.pc).filter(pk=case.pk).exists()
    assert cases_visible_to(nazorg.dji).filter(pk=case.pk).exists()
    assert not cases_visible_to(world.police).filter(pk=case.pk).exists()
    events = AuditEvent.objects.filter(case_id=case.pk).values_list("object_type", flat=True)
    assert set(events) == {"case", "detentionnotification"}


def test_a_municipality_of_the_other_house_sends_the_case_there(nazorg: Nazorg) -> None:
    ede = nazorg.world.party["gemeente-ede"]
    case = notified(nazorg, municipality_id=ede.pk, institution="PI Nijmegen").case
    assert case.house == nazorg.world.other_house
    assert case.track == nazorg.track


def test_a_process_coordinator_registers_on_behalf_of_dji(nazorg: Nazorg) -> None:
    world = nazorg.world
    case = notified(nazorg, actor=world.pc).case
    assert case.referring_party == nazorg.dji_party
    assert case.referred_by == world.pc
    # The coordinator may name the DJI party, but not a party that is not DJI.
    named = notified(nazorg, actor=world.pc, dji_party_id=nazorg.dji_party.pk)
    assert named.case.referring_party == nazorg.dji_party
    with pytest.raises(InvalidInput) as refused:
        notified(nazorg, actor=world.pc, dji_party_id=world.party["politie-oost-nederland"].pk)
    assert refused.value.field == "dji_party"


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"detention_start": days_ago(10), "expected_release": days_ago(11)}, "expected_release"),
        ({"detention_start": days_ago(10), "detention_end": days_ago(12)}, "detention_end"),
        ({"detention_start": timezone.localdate() + datetime.timedelta(days=1)}, "detention_start"),
    ],
    ids=["release-before-start", "end-before-start", "start-in-the-future"],
)
def test_inconsistent_dates_are_refused_at_their_field(
    nazorg: Nazorg, dates: dict[str, datetime.date], field: str
) -> None:
    before = Case.objects.count()
    with pytest.raises(InvalidInput) as refused:
        notified(nazorg, **dates)
    assert refused.value.field == field
    assert Case.objects.count() == before
    assert not DetentionNotification.objects.exists()


def test_the_municipality_of_return_must_be_a_municipality_of_a_nazorg_house(
    nazorg: Nazorg,
) -> None:
    world = nazorg.world
    with pytest.raises(InvalidInput) as not_municipality:
        notified(nazorg, municipality_id=world.party["politie-oost-nederland"].pk)
    assert not_municipality.value.field == "municipality"
    with pytest.raises(InvalidInput) as wrong_house:
        notified(nazorg, house_id=world.other_house.pk)  # Arnhem is no party of Ede's house
    assert wrong_house.value.field == "house"
    with pytest.raises(InvalidInput) as no_institution:
        notified(nazorg, institution="  ")
    assert no_institution.value.field == "institution"
    # A region without a nazorg track has no house to take the notification.
    Track.objects.filter(kind=TrackKind.AFTERCARE).update(is_active=False)
    with pytest.raises(InvalidInput) as no_track:
        notified(nazorg)
    assert no_track.value.field == "municipality"
    assert "nazorg" in no_track.value.message
    assert not Case.objects.exists()


def test_only_dji_or_the_house_process_coordinator_registers(nazorg: Nazorg) -> None:
    world = nazorg.world
    for outsider in (world.police, world.ic, world.manager):
        with pytest.raises(NotAllowed):
            notified(nazorg, actor=outsider)
    # DJI registers for its own institution only.
    with pytest.raises(InvalidInput) as other:
        notified(nazorg, dji_party_id=world.party["reclassering-nederland"].pk)
    assert other.value.field == "dji_party"
    # A DJI professional without a role in the house of return is refused.
    arnhem_only = staff("dji-arnhem", nazorg.dji_party, world.house, Role.PARTNER_PROFESSIONAL)
    with pytest.raises(NotAllowed):
        notified(nazorg, actor=arnhem_only, municipality_id=world.party["gemeente-ede"].pk)
    assert not Case.objects.exists()


def test_a_nazorg_case_is_not_started_with_the_referral_form(nazorg: Nazorg) -> None:
    world = nazorg.world
    with pytest.raises(InvalidInput) as refused:
        case_services.case_refer(
            actor=world.police,
            house_id=world.house.pk,
            track_id=nazorg.track.pk,
            subject_kind=SubjectKind.PERSON,
            persons=[PERSON],
            municipality_id=world.municipality.pk,
            problem_statement="Komt vrij.",
            goal="Nazorg.",
        )
    assert refused.value.field == "track"
    assert "detentiemelding" in refused.value.message


def test_in_midden_limburg_the_coordinator_names_which_institution_notified(
    nazorg: Nazorg,
) -> None:
    """Midden-Limburg art. 2.3 ("nazorg detentie"); two PIs signed its covenant."""
    region_load(path=region_path("midden-limburg"))
    house = House.objects.get(slug="midden-limburg")
    roermond = Party.objects.get(slug="gemeente-roermond")
    coordinator = UserFactory(
        username="pc-ml", party=roermond, roles=[(house, Role.PROCESS_COORDINATOR)]
    )
    arguments = notification_input(
        nazorg, actor=coordinator, municipality_id=roermond.pk, institution="PI Roermond"
    )
    with pytest.raises(InvalidInput) as unnamed:
        notified(nazorg, **arguments)
    assert unnamed.value.field == "dji_party"
    sittard = Party.objects.get(slug="pi-sittard")
    case = notified(nazorg, **arguments, dji_party_id=sittard.pk).case
    assert (case.house, case.track.slug, case.referring_party) == (
        house,
        "nazorg-detentie",
        sittard,
    )
