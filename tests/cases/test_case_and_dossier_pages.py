# SPDX-License-Identifier: EUPL-1.2
"""The lean reads behind the case page and the dossier give what the full reads give: the
same items in the same groups with the same texts, the same audit event, the same access."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ketentafel.accounts.models import Role
from ketentafel.accounts.services import user_create
from ketentafel.audit.models import AuditEvent
from ketentafel.cases import selectors
from ketentafel.cases.models import Case
from ketentafel.core.errors import NotFound
from ketentafel.covenants import selectors as covenants
from ketentafel.covenants.models import BodyKind
from ketentafel.information import selectors as information_selectors
from ketentafel.information import services as information
from ketentafel.information.models import DataCategory, LifeDomain, Sharing
from ketentafel.information.policies import item_audience
from ketentafel.meetings import selectors as meeting_selectors
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaPurpose, MeetingStatus
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.web.flows import ok

pytestmark = pytest.mark.django_db

RECORDED = (
    "action",
    "object_type",
    "object_id",
    "object_ids",
    "person_ids",
    "data_party_ids",
    "case_id",
    "house_id",
    "role",
    "purpose",
    "result",
)


def _last_event(user_id: int, case_id: object) -> dict[str, Any]:
    event = AuditEvent.objects.filter(actor_id=user_id, case_id=str(case_id)).order_by("-seq")[0]
    return {name: getattr(event, name) for name in RECORDED} | {"seq": event.seq}


def _same_event(first: dict[str, Any], then: dict[str, Any]) -> None:
    assert then["seq"] > first["seq"]
    assert {k: v for k, v in first.items() if k != "seq"} == {
        k: v for k, v in then.items() if k != "seq"
    }


def _dossier(world: World) -> Case:
    """A case in which three suppliers shared items every way, some naming parties, with
    several texts, categories and life domains; after its first case meeting."""
    case = flows.accepted(world)
    suppliers = (world.police, world.probation, world.care)
    for n in range(24):
        sharing = list(Sharing)[n % len(Sharing)]
        information.information_item_supply(
            actor=suppliers[n % 3],
            case_id=case.pk,
            life_domain=list(LifeDomain)[n % 4],
            text=f"Waarneming {n}\nmet een <tweede> regel.",
            legal_basis=f"AVG art. 6 lid 1 sub {'ce'[n % 2]}",
            data_category=list(DataCategory)[n % len(DataCategory)],
            sharing=sharing,
            named_party_ids=(
                [world.party["pro-persona"].pk, world.party["vivare"].pk][: 1 + n % 2]
                if sharing == Sharing.NAMED
                else []
            ),
        )
    flows.held_meeting_with(world, case, AgendaPurpose.FIRST_DISCUSSION)
    return Case.objects.get(pk=case.pk)


def test_the_dossier_sheet_shows_and_records_what_the_full_read_does(world: World) -> None:
    case = _dossier(world)
    participants = [cp.party.name for cp in case.case_parties.order_by("pk")]
    for user in (world.pc, world.police, world.care, world.probation):
        _access, items = information_selectors.dossier_for(user, case.pk)
        full = _last_event(user.pk, case.pk)
        sheet = information_selectors.dossier_sheet_for(user, case.pk)
        _same_event(full, _last_event(user.pk, case.pk))
        assert full["object_ids"]
        shown = [
            (group.domain, supplier.supplier, row)
            for group in sheet.groups
            for supplier in group.suppliers
            for row in supplier.items
        ]
        expected = sorted(
            items, key=lambda i: (i.life_domain, i.supplier_party.name, i.supplied_at)
        )
        assert [row.pk for _d, _s, row in shown] == [item.pk for item in expected]
        for (domain, supplier, row), item in zip(shown, expected, strict=True):
            assert domain == item.get_life_domain_display()
            assert supplier == item.supplier_party.name
            assert row.supplied_on == timezone.localtime(item.supplied_at).strftime("%d-%m-%Y")
            assert row.data_category == item.get_data_category_display()
            assert (row.text, row.legal_basis) == (item.text, item.legal_basis)
            assert row.audience == item_audience(
                sharing=item.sharing,
                supplier=item.supplier_party.name,
                participants=participants,
                named=[share.party.name for share in item.shares.order_by("pk")],
                is_discussed=True,
            )
            own = item.supplier_party_id == user.party_id
            assert row.sharing_url == (
                reverse("information:item-sharing", args=[item.pk]) if own else ""
            )
        # Each domain and, within it, each supplier is one group, in the order shown.
        domains = [group.domain for group in sheet.groups]
        assert len(domains) == len(set(domains))


def test_the_dossier_page_shows_each_item_as_its_sharing_swap_does(world: World) -> None:
    case = _dossier(world)
    police = api_client(world.police)
    html = ok(police.get(f"/casussen/{case.pk}/dossier/")).content.decode()
    cards = re.findall(r'<article class="item" id="item-([^"]+)".*?</article>', html, re.S)
    assert len(cards) == len(information_selectors.dossier_for(world.police, case.pk)[1])
    for item_id in cards[:6]:
        _access, item, audience = information_selectors.item_sheet_for(world.police, item_id)
        card = re.search(rf'<article class="item" id="item-{item_id}".*?</article>', html, re.S)
        assert card is not None
        swap = render_to_string(
            "information/_item.html",
            {"item": item, "audience": audience, "user": world.police},
        )
        assert _words(card.group(0)) == _words(swap)
    assert "&lt;tweede&gt; regel." in html
    assert "<br>met een" in html


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def test_reading_a_case_for_its_items_gives_the_same_access(world: World) -> None:
    case = _dossier(world)
    for user in (world.pc, world.ic, world.manager, world.police, world.care, world.housing):
        try:
            full = selectors.access_for_read(user, case.pk)
        except NotFound:
            with pytest.raises(NotFound):
                selectors.access_for_item_read(user, case.pk)
            continue
        lean = selectors.access_for_item_read(user, case.pk)
        assert lean.case.pk == full.case.pk
        assert (lean.house_roles, lean.is_case_party, lean.role_label) == (
            full.house_roles,
            full.is_case_party,
            full.role_label,
        )
        assert lean.case.track.slug == full.case.track.slug
        assert list(lean.case.persons.all()) == list(full.case.persons.all())
    with pytest.raises(NotFound):
        selectors.access_for_item_read(world.housing, case.pk)


def test_the_case_page_offers_the_meetings_the_actor_sees(world: World) -> None:
    case = flows.accepted(world)
    for days in (2, 9):
        meeting_services.meeting_schedule(
            actor=world.secretary,
            house_id=world.house.pk,
            body_id=world.mdo.pk,
            starts_at=timezone.now() + datetime.timedelta(days=days),
        )
    for user in (world.pc, world.ic, world.police, world.care):
        access = selectors.access_for_read(user, case.pk)
        offered = list(meeting_selectors.case_agenda_for(access).meetings)
        seen = list(
            meeting_selectors.meetings_visible_to(user)
            .filter(
                house_id=case.house_id,
                status=MeetingStatus.PLANNED,
                starts_at__gte=timezone.now(),
            )
            .order_by("starts_at")
        )
        assert offered == seen
        assert len(offered) == 2


def test_the_case_page_lists_the_member_parties_of_the_actors_houses(world: World) -> None:
    case = flows.accepted(world)
    # A process coordinator of one house and privacy officer of another.
    both = user_create(
        username="both",
        password=None,
        party_id=world.municipality.pk,
        roles=[
            (world.house.pk, Role.PROCESS_COORDINATOR),
            (world.other_house.pk, Role.PRIVACY_OFFICER),
        ],
    )
    referred = flows.referred(world)  # which the house's process coordinators see
    for user, case_id in [
        *((user, case.pk) for user in (world.pc, world.ic, world.police, world.care)),
        (both, referred.pk),
    ]:
        access = selectors.access_for_read(user, case_id)
        assert access.houses == frozenset(covenants.houses_of(user).values_list("pk", flat=True))
        assert list(covenants.member_parties_for(user, houses=access.houses)) == list(
            covenants.member_parties_for(user)
        )


def test_body_labels_are_the_labels_of_body_label(world: World) -> None:
    defaults: dict[str, str] = {
        BodyKind.CASE_MEETING: "MDO",
        BodyKind.TRIAGE: "Triage",
        BodyKind.STEERING: "-",
    }
    for house in (world.house, world.other_house):
        labels = covenants.body_labels(house.pk, defaults)
        assert labels == {
            kind: covenants.body_label(house.pk, kind, default)
            for kind, default in defaults.items()
        }


def test_the_case_page_shows_and_records_what_it_did(world: World) -> None:
    case = flows.accepted(world)
    pc = api_client(world.pc)
    selectors.get_case_for(world.pc, case.pk)
    direct = _last_event(world.pc.pk, case.pk)
    html = ok(pc.get(f"/casussen/{case.pk}/")).content.decode()
    _same_event(direct, _last_event(world.pc.pk, case.pk))
    for cp in case.case_parties.select_related("party"):
        assert (
            f"<tr><td>{cp.party.name}</td><td>{cp.role}</td><td>{cp.information_need}</td></tr>"
            in html
        )
    assert html.count('<option value="') == len(covenants.member_parties_for(world.pc)) + 1
