# SPDX-License-Identifier: EUPL-1.2
"""Writes of information: requests, items, sharing, consent and disclosure to third parties."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from uuid import UUID

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import User
from ketentafel.accounts.policies import acting_party_id
from ketentafel.audit.models import Action as AuditAction
from ketentafel.cases.audit import case_audit
from ketentafel.cases.models import Phase
from ketentafel.cases.notices import notice_on_commit
from ketentafel.cases.policies import CLOSED_PHASES, CaseAccess
from ketentafel.cases.selectors import access_for_update
from ketentafel.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from ketentafel.core.versions import version_advance
from ketentafel.covenants.models import Party
from ketentafel.information.models import (
    DataCategory,
    Disclosure,
    DisclosureConsent,
    InformationItem,
    InformationRequest,
    ItemShare,
    LifeDomain,
    PreMeetingAssessment,
    Sharing,
)
from ketentafel.information.policies import item_visibility_q
from ketentafel.information.workflow import INFORMATION_REQUEST

REQUEST_PHASES = (Phase.ENRICHMENT, Phase.TRIAGE, Phase.ACCEPTED, Phase.ACTIVE)


def _audit(
    access: CaseAccess, action: AuditAction, obj: object, object_type: str, *, reason: str = ""
) -> None:
    supplier = getattr(obj, "supplier_party_id", None)
    case_audit(
        access,
        action,
        object_type=object_type,
        object_id=getattr(obj, "pk", ""),
        data_party_ids=[supplier] if supplier else [],
        reason=reason,
    )


def _covenant_parties(access: CaseAccess, party_ids: Sequence[int], *, field: str) -> list[Party]:
    parties = list(Party.objects.members_of(access.case.house.covenant_id).filter(pk__in=party_ids))
    if len(parties) != len(set(party_ids)):
        raise InvalidInput(
            _("Onbekende partij, of geen huidige partij van het convenant."), field=field
        )
    return parties


def information_request_send(
    *,
    actor: User,
    case_id: UUID,
    party_id: int,
    question: str,
    reason: str,
    deadline: datetime.date,
) -> InformationRequest:
    """Ask a party for information on a case: what, why and by when (Bijlage 3, intake)."""
    if not question.strip():
        raise InvalidInput(_("Vermeld welke informatie nodig is."), field="question")
    if not reason.strip():
        raise InvalidInput(
            _("Vermeld waarom de informatie nodig is (doelbinding)."), field="reason"
        )
    if deadline < timezone.localdate():
        raise InvalidInput(_("De termijn ligt in het verleden."), field="deadline")
    with transaction.atomic():
        access = access_for_update(actor, case_id)
        if not access.is_assigned_coordinator:
            raise NotAllowed(
                _(
                    "Alleen de informatiecoördinator of procesregisseur van de casus "
                    "vraagt informatie op."
                )
            )
        if access.case.phase not in REQUEST_PHASES:
            raise InvalidTransition(
                _("In fase '%(phase)s' wordt geen informatie opgevraagd.")
                % {"phase": Phase(access.case.phase).label}
            )
        [party] = _covenant_parties(access, [party_id], field="party")
        request = InformationRequest.objects.create(
            case=access.case,
            party=party,
            question=question,
            reason=reason,
            deadline=deadline,
            requested_by=actor,
        )
        _audit(access, AuditAction.CREATE, request, "informationrequest")
        notice_on_commit(
            house_id=access.case.house_id,
            party_id=party.pk,
            case_id=access.case.pk,
            subject="Nieuw informatieverzoek in Ketentafel",
            path=reverse("information:request", kwargs={"request_id": request.pk}),
            lead="Het Zorg- en Veiligheidshuis vraagt uw organisatie om informatie.",
        )
    return request


def _check_sharing(
    access: CaseAccess, sharing: Sharing, named_party_ids: Sequence[int]
) -> list[Party]:
    if sharing == Sharing.NAMED:
        if not named_party_ids:
            raise InvalidInput(
                _("Noem de partijen waarmee dit item gedeeld wordt."), field="named_parties"
            )
        return _covenant_parties(access, named_party_ids, field="named_parties")
    if named_party_ids:
        raise InvalidInput(
            _("Partijen noemen kan alleen bij delen met genoemde partijen."), field="named_parties"
        )
    return []


def information_item_supply(
    *,
    actor: User,
    case_id: UUID,
    life_domain: LifeDomain,
    text: str,
    legal_basis: str,
    data_category: DataCategory,
    sharing: Sharing,
    named_party_ids: Sequence[int] = (),
    request_id: UUID | None = None,
) -> InformationItem:
    """Supply an item on behalf of the actor's party, which stays its controller and decides
    how it is shared (art. 16.1, 17.4)."""
    if not text.strip():
        raise InvalidInput(_("De informatie is leeg."), field="text")
    if not legal_basis.strip():
        raise InvalidInput(_("Vermeld de grondslag voor het verstrekken."), field="legal_basis")
    with transaction.atomic():
        access = access_for_update(actor, case_id)
        case = access.case
        if case.phase in CLOSED_PHASES:
            raise InvalidTransition(
                _("Bij een afgesloten casus wordt geen informatie aangeleverd.")
            )
        request = None
        if request_id is not None:
            request = (
                InformationRequest.objects.select_for_update()
                .filter(pk=request_id, case=case, party_id=acting_party_id(actor))
                .first()
            )
            if request is None:
                raise InvalidInput(_("Onbekend informatieverzoek aan uw partij."), field="request")
            INFORMATION_REQUEST.check(request, "answer")
        elif not (access.is_case_party or access.is_assigned_coordinator):
            raise NotAllowed(
                _("Uw partij neemt niet deel aan deze casus en heeft geen open informatieverzoek.")
            )
        named = _check_sharing(access, sharing, named_party_ids)
        item = InformationItem.objects.create(
            case=case,
            request=request,
            supplier_party_id=acting_party_id(actor),
            supplied_by=actor,
            life_domain=life_domain,
            text=text,
            legal_basis=legal_basis,
            data_category=data_category,
            track=case.track,
            sharing=sharing,
        )
        ItemShare.objects.bulk_create(ItemShare(item=item, party=p) for p in named)
        if request is not None:
            version_advance(request, expected=None)
            INFORMATION_REQUEST.take(request, "answer")
            request.answered_at = timezone.now()
            request.save(update_fields=["status", "answered_at"])
        _audit(access, AuditAction.CREATE, item, "informationitem")
    return item


def information_request_decline(
    *, actor: User, request_id: UUID, note: str, expected_version: int | None = None
) -> InformationRequest:
    """Answer a request with 'no information' and why (a party may have nothing to share).

    The request is addressed to the actor's party, so a colleague's answer that came first is
    told as such (409), before the case is checked: an answered request no longer opens the
    case to the party, and the loser of the race must not read that as a missing case."""
    if not note.strip():
        raise InvalidInput(_("Licht toe waarom er geen informatie is."), field="note")
    with transaction.atomic():
        request = (
            InformationRequest.objects.select_for_update()
            .filter(pk=request_id, party_id=acting_party_id(actor))
            .first()
        )
        if request is None:
            raise NotFound(_("Dit informatieverzoek bestaat niet."))
        version_advance(request, expected=expected_version)
        INFORMATION_REQUEST.take(request, "decline")
        access = access_for_update(actor, request.case_id)
        request.answer_note = note
        request.answered_at = timezone.now()
        request.save()
        _audit(access, AuditAction.UPDATE, request, "informationrequest")
    return request


def _own_item_for_update(actor: User, item_id: UUID) -> tuple[CaseAccess, InformationItem]:
    item = InformationItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise NotFound(_("Dit informatie-item bestaat niet of is niet met u gedeeld."))
    access = access_for_update(actor, item.case_id)
    if item.supplier_party_id != acting_party_id(actor):
        if (
            not InformationItem.objects.filter(pk=item.pk)
            .filter(item_visibility_q(access))
            .exists()
        ):
            raise NotFound(_("Dit informatie-item bestaat niet of is niet met u gedeeld."))
        raise NotAllowed(
            _(
                "Alleen de partij die het item aanleverde, bepaalt hoe het gedeeld wordt (art. "
                "17.4)."
            )
        )
    return access, item


def item_sharing_change(
    *,
    actor: User,
    item_id: UUID,
    sharing: Sharing,
    named_party_ids: Sequence[int] = (),
    expected_version: int | None = None,
) -> InformationItem:
    """Change how an item is shared; only its supplier's party may (art. 17.4). A change made
    from another version than the stored one is refused (`core.versions`)."""
    with transaction.atomic():
        access, item = _own_item_for_update(actor, item_id)
        version_advance(item, expected=expected_version)
        named = _check_sharing(access, sharing, named_party_ids)
        item.sharing = sharing
        item.sharing_changed_at = timezone.now()
        item.save(update_fields=["sharing", "sharing_changed_at"])
        ItemShare.objects.filter(item=item).delete()
        ItemShare.objects.bulk_create(ItemShare(item=item, party=p) for p in named)
        _audit(access, AuditAction.UPDATE, item, "informationitem", reason="sharing")
    return item


def pre_meeting_assess(
    *,
    actor: User,
    item_id: UUID,
    may_read_before_meeting: bool,
    consulted_party_id: int,
    consulted_on: datetime.date,
    assessment: str,
) -> PreMeetingAssessment:
    """Record the process coordinator's assessment of whether an item may be read before the
    meeting, made in consultation with the referring party or the casusregie's party (art.
    13.2d). It is one of the two keys: the supplier's approval (`Sharing.PRE_MEETING`) is the
    other, and only the supplier gives that (art. 17.4). A later assessment replaces the
    earlier one; each is audited."""
    if not assessment.strip():
        raise InvalidInput(_("Leg de beoordeling vast."), field="assessment")
    if consulted_on > timezone.localdate():
        raise InvalidInput(_("De datum van het overleg ligt in de toekomst."), field="consulted_on")
    with transaction.atomic():
        item = InformationItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None:
            raise NotFound(_("Dit informatie-item bestaat niet of is niet met u gedeeld."))
        access = access_for_update(actor, item.case_id)
        case = access.case
        if not access.is_process_coordinator:
            if (
                not InformationItem.objects.filter(pk=item.pk)
                .filter(item_visibility_q(access))
                .exists()
            ):
                raise NotFound(_("Dit informatie-item bestaat niet of is niet met u gedeeld."))
            raise NotAllowed(
                _(
                    "Alleen de procesregisseur van de casus beoordeelt wat vóór het overleg "
                    "gelezen mag worden (art. 13.2d)."
                )
            )
        if case.phase in CLOSED_PHASES:
            raise InvalidTransition(_("Bij een afgesloten casus wordt niets meer beoordeeld."))
        if consulted_party_id not in (case.referring_party_id, case.case_coordinator_party_id):
            raise InvalidInput(
                _(
                    "Overleg over wat vóór het overleg gelezen mag worden met de partij die de "
                    "casus aanmeldde of de casusregie heeft (art. 13.2d)."
                ),
                field="consulted_party",
            )
        if consulted_on < timezone.localdate(case.referred_at):
            raise InvalidInput(
                _("De datum van het overleg ligt vóór de aanmelding."), field="consulted_on"
            )
        assessed, created = PreMeetingAssessment.objects.update_or_create(
            item=item,
            defaults={
                "may_read_before_meeting": may_read_before_meeting,
                "consulted_party_id": consulted_party_id,
                "consulted_on": consulted_on,
                "assessment": assessment.strip(),
                "assessed_by": actor,
            },
        )
        _audit(
            access,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            item,
            "informationitem",
            reason="pre_meeting_assessment",
        )
    return assessed


def disclosure_consent_record(
    *, actor: User, item_id: UUID, recipient: str, purpose: str, written_reference: str
) -> DisclosureConsent:
    """Record the supplier's prior written consent to give an item to a third party (10.2)."""
    for field, value in [
        ("recipient", recipient),
        ("purpose", purpose),
        ("written_reference", written_reference),
    ]:
        if not value.strip():
            raise InvalidInput(_("Dit veld is verplicht voor een toestemming."), field=field)
    with transaction.atomic():
        access, item = _own_item_for_update(actor, item_id)
        consent = DisclosureConsent.objects.create(
            item=item,
            granted_by=actor,
            recipient=recipient,
            purpose=purpose,
            written_reference=written_reference,
        )
        _audit(access, AuditAction.CREATE, consent, "disclosureconsent")
    return consent


def disclosure_record(*, actor: User, consent_id: UUID) -> Disclosure:
    """Record that an item went to the third party its supplier consented to; without a
    recorded consent there is nothing to record it under."""
    with transaction.atomic():
        consent = DisclosureConsent.objects.select_related("item").filter(pk=consent_id).first()
        if consent is None:
            raise NotFound(_("Deze toestemming bestaat niet."))
        access = access_for_update(actor, consent.item.case_id)
        if not (
            access.is_assigned_coordinator
            or acting_party_id(actor) == consent.item.supplier_party_id
        ):
            raise NotAllowed(_("Alleen de procesregie of de leverancier verstrekt aan derden."))
        disclosure = Disclosure.objects.create(consent=consent, disclosed_by=actor)
        _audit(
            access,
            AuditAction.DISCLOSE,
            consent.item,
            "informationitem",
            reason=f"consent {consent.pk}",
        )
    return disclosure
