# SPDX-License-Identifier: EUPL-1.2
"""Which items of a case a user may read (art. 13.2d, 16, 17.4).

The supplier's party always reads its own items. The case's coordinators (and the triage staff
during triage) read every item. Others read, while the case is open:
- `pre_meeting` items if their party takes part in the case and, before a held meeting has
  discussed it, the process coordinator assessed that they may be read before the meeting:
  art. 13.2d asks both the supplier's approval (`pre_meeting`) and that assessment
  (`PreMeetingAssessment`, made in consultation with the referrer or the casusregie);
- `after_meeting` (and `pre_meeting`) items if their party takes part and a held meeting has
  discussed the case;
- `named` items if the supplier named their party.
Once a case is closed or declined, only the supplier's own items and the coordinators remain.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from ketentafel.accounts.policies import acting_party_id
from ketentafel.cases.policies import CLOSED_PHASES, CaseAccess
from ketentafel.information.models import ItemShare, PreMeetingAssessment, Sharing


def item_visibility_q(access: CaseAccess) -> Q:
    """A filter on the case's InformationItems that keeps exactly what the actor may read."""
    if access.is_coordinating:
        return Q()
    party = acting_party_id(access.user)
    visible = Q(supplier_party_id=party)
    if access.case.phase in CLOSED_PHASES:
        return visible
    if access.is_case_party:
        if access.case.first_discussed_at is not None:
            visible |= Q(sharing__in=(Sharing.PRE_MEETING, Sharing.AFTER_MEETING))
        else:
            visible |= Q(sharing=Sharing.PRE_MEETING) & Q(
                Exists(
                    PreMeetingAssessment.objects.filter(
                        item=OuterRef("pk"), may_read_before_meeting=True
                    )
                )
            )
    visible |= Q(sharing=Sharing.NAMED) & Q(
        Exists(ItemShare.objects.filter(item=OuterRef("pk"), party_id=party))
    )
    return visible


def item_audience(
    *,
    sharing: str,
    supplier: str,
    participants: list[str],
    named: list[str],
    is_discussed: bool,
    assessed: bool | None = None,
) -> str:
    """Who may read an item, in words, so a supplier sees what its choice means (art. 17.4).
    `assessed`: the process coordinator's assessment of pre-meeting reading (art. 13.2d),
    None while there is none."""
    base = f"{supplier}, procesregie en informatiecoördinatie"
    if sharing == Sharing.PRE_MEETING:
        who = ", ".join(participants)
        if is_discussed or assessed:
            return f"{base}; deelnemende partijen, ook vóór het overleg: {who}"
        pending = (
            "beoordeeld: niet vóór het overleg" if assessed is False else "nog niet beoordeeld"
        )
        return (
            f"{base}; deelnemende partijen, ook vóór het overleg zodra de procesregisseur dat "
            f"beoordeelt (art. 13.2d; {pending}, dus nu pas na het casusoverleg): {who}"
        )
    if sharing == Sharing.AFTER_MEETING:
        when = "" if is_discussed else " (nog niet besproken: nu nog niemand anders)"
        return f"{base}; deelnemende partijen na het casusoverleg{when}: {', '.join(participants)}"
    if sharing == Sharing.NAMED:
        return f"{base}; alleen: {', '.join(named)}"
    return base
