# SPDX-License-Identifier: EUPL-1.2
"""IJsselland art. 13.2: the Casusregisseur "organiseert (in samenspraak met de
procesregisseur) multi disciplinaire overleggen": he plans an MDO, puts the cases he
coordinates on its agenda and no others, records and holds it; the region file names him
among the MDO's `organisers`, not the casustafel's (art. 15.1-15.2)."""

from __future__ import annotations

import pytest

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Case, Phase
from ketentafel.core.errors import NotAllowed
from ketentafel.meetings import selectors
from ketentafel.meetings import services as meetings
from ketentafel.meetings.models import AgendaPurpose, Meeting
from tests.regions.conftest import Region, region, soon
from tests.regions.test_ijsselland import _at_the_casustafel, _weighed, cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def ijsselland() -> Region:
    r = cast(region("ijsselland", "ijsselland"))
    r.user("reclassering2", "reclassering-nederland", Role.PARTNER_PROFESSIONAL)
    return r


def _active(r: Region, casusregisseur: str) -> Case:
    """Fase 3-4: sent to the MDO by the casustafel; the first MDO, organised by the
    administratief medewerker, appoints `casusregisseur` of the reclassering."""
    case, item = _at_the_casustafel(r)
    meetings.agenda_item_decide(
        actor=r.users["pr"],
        agenda_item_id=item.pk,  # type: ignore[attr-defined]
        decision_type_id=r.decision("procesregie-vhh").pk,
        text="Procesregie VHH.",
        triage=_weighed(r),
    )
    mdo = meetings.meeting_schedule(
        actor=r.users["am"], house_id=r.house.pk, body_id=r.body("mdo").pk, starts_at=soon()
    )
    first = meetings.agenda_item_add(
        actor=r.users["am"],
        meeting_id=mdo.pk,
        case_id=case.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    meetings.agenda_item_record(
        actor=r.users["am"],
        agenda_item_id=first.pk,
        minutes="Plan van aanpak.",
        informs_client="Reclassering",
        case_coordinator_party_id=r.party["reclassering-nederland"].pk,
        case_coordinator_id=r.users[casusregisseur].pk,
    )
    meetings.meeting_hold(actor=r.users["am"], meeting_id=mdo.pk)
    return Case.objects.get(pk=case.pk)


def _mdo(r: Region, by: str) -> Meeting:
    return meetings.meeting_schedule(
        actor=r.users[by], house_id=r.house.pk, body_id=r.body("mdo").pk, starts_at=soon()
    )


def test_the_casusregisseur_organises_an_mdo_for_his_own_cases(ijsselland: Region) -> None:
    r = ijsselland
    own = _active(r, "reclassering")
    other = _active(r, "reclassering2")
    assert own.phase == Phase.ACTIVE

    mdo = _mdo(r, "reclassering")
    # The search offers his case, not the other one his party also sees.
    found = selectors.agenda_candidates_for(r.users["reclassering"], mdo.pk, "Jansen")
    assert [row.pk for row in found] == [own.pk]
    with pytest.raises(NotAllowed) as refused:
        meetings.agenda_item_add(
            actor=r.users["reclassering"],
            meeting_id=mdo.pk,
            case_id=other.pk,
            purpose=AgendaPurpose.REVIEW,
        )
    assert "casussen die u regisseert" in refused.value.message
    item = meetings.agenda_item_add(
        actor=r.users["reclassering"],
        meeting_id=mdo.pk,
        case_id=own.pk,
        purpose=AgendaPurpose.REVIEW,
    )
    page = selectors.meeting_page_for(r.users["reclassering"], mdo.pk)
    assert page.may_organise
    assert [(row.case_id, row.may_record) for row in page.items] == [(own.pk, True)]

    meetings.agenda_item_record(
        actor=r.users["reclassering"], agenda_item_id=item.pk, progress="Doelen bereikt."
    )
    meetings.meeting_hold(actor=r.users["reclassering"], meeting_id=mdo.pk)
    meetings.agenda_item_decide(
        actor=r.users["reclassering"],
        agenda_item_id=item.pk,
        decision_type_id=r.decision("afschalen").pk,
        text="Afschalen.",
        referrer_notice="De politie is gemeld dat de casus is afgeschaald.",
    )
    assert Case.objects.get(pk=own.pk).phase == Phase.CLOSED
    assert Case.objects.get(pk=other.pk).phase == Phase.ACTIVE


def test_a_case_the_procesregisseur_adds_stays_out_of_the_casusregisseurs_hands(
    ijsselland: Region,
) -> None:
    r = ijsselland
    own = _active(r, "reclassering")
    other = _active(r, "reclassering2")
    mdo = _mdo(r, "reclassering")
    meetings.agenda_item_add(
        actor=r.users["reclassering"],
        meeting_id=mdo.pk,
        case_id=own.pk,
        purpose=AgendaPurpose.REVIEW,
    )
    # In samenspraak: the procesregisseur adds another case to the casusregisseur's MDO.
    theirs = meetings.agenda_item_add(
        actor=r.users["pr"], meeting_id=mdo.pk, case_id=other.pk, purpose=AgendaPurpose.REVIEW
    )
    page = selectors.meeting_page_for(r.users["reclassering"], mdo.pk)
    assert {row.case_id: row.may_record for row in page.items} == {own.pk: True, other.pk: False}
    with pytest.raises(NotAllowed):
        meetings.agenda_item_record(
            actor=r.users["reclassering"], agenda_item_id=theirs.pk, progress="Niet de mijne."
        )
    with pytest.raises(NotAllowed):
        meetings.meeting_hold(actor=r.users["reclassering"], meeting_id=mdo.pk)
    meetings.meeting_hold(actor=r.users["pr"], meeting_id=mdo.pk)


def test_only_the_bodies_organisers_plan_its_sessions(ijsselland: Region) -> None:
    r = ijsselland
    _active(r, "reclassering")
    # The casustafel is the procesregisseurs' and the administratief medewerker's (art. 15).
    with pytest.raises(NotAllowed) as refused:
        meetings.meeting_schedule(
            actor=r.users["reclassering"],
            house_id=r.house.pk,
            body_id=r.body("regionale-casustafel").pk,
            starts_at=soon(),
        )
    assert "Regionale Casustafel" in refused.value.message
    # A partner who coordinates no case organises no MDO.
    with pytest.raises(NotAllowed) as refused:
        _mdo(r, "politie")
    assert "casusregisseur" in refused.value.message
    # A casusregisseur does not organise an MDO someone else planned for other cases.
    theirs = _mdo(r, "am")
    with pytest.raises(NotAllowed):
        meetings.meeting_hold(actor=r.users["reclassering"], meeting_id=theirs.pk)
    assert not selectors.meeting_page_for(r.users["reclassering"], theirs.pk).may_organise
