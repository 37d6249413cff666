# SPDX-License-Identifier: EUPL-1.2
"""Writes of nazorg ex-gedetineerden. Each runs in one transaction with its audit event.

Gelderland-Midden art. 2.3a and Bijlage 3 "Proces nazorg ex-gedetineerden"; Midden-Limburg
art. 2.3 ("nazorg detentie"); brochure route 3 ("Verrijkt rapport DJI", "Nazorgcoördinatie").
"""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import acting_party_id
from ketentafel.aftercare.models import (
    BasicCondition,
    BasicConditionStatus,
    DetentionNotification,
    Light,
)
from ketentafel.aftercare.policies import (
    aftercare_tracks,
    dji_parties_of,
    houses_of_municipality,
    is_dji_user,
)
from ketentafel.audit.models import Action as AuditAction
from ketentafel.cases.audit import case_audit
from ketentafel.cases.selectors import access_for_update
from ketentafel.cases.services import PersonInput, case_open
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed
from ketentafel.covenants.models import House, Party, PartyKind, TrackKind
from ketentafel.covenants.policies import require_house_role


def _check_dates(start: datetime.date, end: datetime.date | None, release: datetime.date) -> None:
    if start > timezone.localdate():
        raise InvalidInput(
            _("De detentie kan niet in de toekomst begonnen zijn."), field="detention_start"
        )
    if end is not None and end < start:
        raise InvalidInput(
            _("Het einde van de detentie ligt vóór het begin."), field="detention_end"
        )
    if release < start:
        raise InvalidInput(
            _("De verwachte invrijheidstelling ligt vóór het begin van de detentie."),
            field="expected_release",
        )


def _house_for(municipality: Party, house_id: int | None) -> House:
    """The aftercare house the municipality of return belongs to (`Membership.houses`)."""
    houses = houses_of_municipality(municipality).select_related("covenant")
    if house_id is not None:
        house = houses.filter(pk=house_id).first()
        if house is None:
            raise InvalidInput(
                _(
                    "Dit veiligheidshuis heeft geen werkproces nazorg ex-gedetineerden of de "
                    "gemeente van terugkeer is er geen partij van."
                ),
                field="house",
            )
        return house
    found = list(houses[:2])
    if not found:
        raise InvalidInput(
            _(
                "Geen veiligheidshuis met een werkproces nazorg ex-gedetineerden heeft deze "
                "gemeente als partij."
            ),
            field="municipality",
        )
    if len(found) > 1:
        raise InvalidInput(
            _("Deze gemeente hoort bij meer dan één veiligheidshuis met nazorg; kies het huis."),
            field="house",
        )
    return found[0]


def _dji_party_for(actor: User, house: House, dji_party_id: int | None) -> Party:
    """The DJI party the notification is from: the actor's own for a user of DJI; for a
    process coordinator of the house, the DJI party named (or the house's only one)."""
    held = require_house_role(actor, house.pk)
    if is_dji_user(actor):
        if dji_party_id is not None and dji_party_id != acting_party_id(actor):
            raise InvalidInput(
                _("U registreert een detentiemelding namens uw eigen inrichting."),
                field="dji_party",
            )
        assert actor.party is not None  # a DJI user has a party (is_dji_user)
        return actor.party
    if Role.PROCESS_COORDINATOR not in held:
        raise NotAllowed(
            _(
                "Een detentiemelding registreert DJI zelf of een procesregisseur van het huis "
                "namens DJI."
            )
        )
    parties = dji_parties_of(house)
    if dji_party_id is not None:
        party = parties.filter(pk=dji_party_id).first()
        if party is None:
            raise InvalidInput(
                _("Deze partij is geen inrichting van DJI in dit veiligheidshuis."),
                field="dji_party",
            )
        return party
    found = list(parties[:2])
    if len(found) != 1:
        raise InvalidInput(
            _("Kies namens welke inrichting van DJI u de melding registreert."), field="dji_party"
        )
    return found[0]


def detention_notify(
    *,
    actor: User,
    person: PersonInput,
    detention_start: datetime.date,
    detention_end: datetime.date | None = None,
    expected_release: datetime.date,
    municipality_id: int,
    institution: str,
    house_id: int | None = None,
    dji_party_id: int | None = None,
) -> DetentionNotification:
    """Register DJI's notification of a detention and open its nazorg case.

    The case goes to the house whose covenant has an aftercare track and of which the
    municipality of return is a member party, in phase `referred`, where the house's process
    coordinators take it up (Gelderland-Midden Bijlage 3, Proces nazorg, Aanmeldingsfase:
    "komt een melding bij de procesregisseur Nazorg"). Its referrer is the DJI party."""
    _check_dates(detention_start, detention_end, expected_release)
    if not institution.strip():
        raise InvalidInput(_("Vul de inrichting in (bijvoorbeeld PI Arnhem)."), field="institution")
    municipality = Party.objects.filter(pk=municipality_id).first()
    if municipality is None or municipality.kind != PartyKind.GEMEENTE:
        raise InvalidInput(_("Kies een gemeente."), field="municipality")
    house = _house_for(municipality, house_id)
    dji = _dji_party_for(actor, house, dji_party_id)
    track = aftercare_tracks().filter(covenant_id=house.covenant_id).order_by("pk").first()
    assert track is not None  # `_house_for` found a house whose covenant has one
    with transaction.atomic():
        # Stored in the house's language, whatever the reader's: it is the case's record.
        case = case_open(
            actor=actor,
            house=house,
            track=track,
            referring_party=dji,
            municipality=municipality,
            person=person,
            problem_statement=(
                f"Detentiemelding van {dji.name}: gedetineerd in {institution.strip()} sinds "
                f"{detention_start:%d-%m-%Y}, verwachte invrijheidstelling "
                f"{expected_release:%d-%m-%Y}; "
                f"terugkeer naar {municipality.name}."
            ),
            goal=(
                "Nazorg bij de terugkeer in de samenleving: de vijf basisvoorwaarden "
                "(identiteitsbewijs, huisvesting, werk en inkomen, schulden, zorg) op orde en "
                "recidive voorkomen (Proces nazorg ex-gedetineerden)."
            ),
        )
        notification = DetentionNotification.objects.create(
            case=case,
            detention_start=detention_start,
            detention_end=detention_end,
            expected_release=expected_release,
            municipality=municipality,
            institution=institution.strip(),
            received_at=timezone.now(),
            registered_by=actor,
        )
        access = access_for_update(actor, case.pk)
        case_audit(
            access,
            AuditAction.CREATE,
            object_type="detentionnotification",
            object_id=notification.pk,
        )
    return notification


def basic_condition_set(
    *, actor: User, case_id: UUID, condition: str, status: str, note: str = ""
) -> BasicConditionStatus:
    """Set the traffic light of one basic condition of a nazorg case (Bijlage 3, Proces nazorg,
    Uitvoeringsfase: "een zwaarte-indicatie (stoplicht) op basis van vijf leefgebieden"),
    by the case's process or information coordinator while the case is open."""
    if condition not in BasicCondition.values:
        raise InvalidInput(_("Onbekende basisvoorwaarde."), field="condition")
    if status not in Light.values:
        raise InvalidInput(_("Kies rood, oranje, groen of onbekend."), field="status")
    with transaction.atomic():
        access = access_for_update(actor, case_id)
        case = access.case
        if case.track.kind != TrackKind.AFTERCARE:
            raise InvalidTransition(
                _("Alleen een casus van nazorg ex-gedetineerden heeft basisvoorwaarden.")
            )
        if not access.is_assigned_coordinator:
            raise NotAllowed(
                _("Alleen de procesregie van de casus zet het stoplicht van de basisvoorwaarden.")
            )
        if not case.is_open:
            raise InvalidTransition(_("De casus is afgesloten; het stoplicht verandert niet meer."))
        row = BasicConditionStatus.objects.create(
            case=case,
            condition=condition,
            status=status,
            note=note.strip(),
            set_by=actor,
            set_at=timezone.now(),
        )
        case_audit(
            access,
            AuditAction.CREATE,
            object_type="basiccondition",
            object_id=row.pk,
            reason=condition,
        )
    return row
