# SPDX-License-Identifier: EUPL-1.2
"""Which items of a case a user may read (art. 13.2d, 16, 17.4).

The supplier's party always reads its own items. The case's coordinators (and the triage staff
during triage) read every item. Others read, while the case is open:
- `pre_meeting` items if their party takes part in the case (the supplier's approval to read
  before the meeting, art. 13.2d);
- `after_meeting` items if their party takes part and a held meeting has discussed the case;
- `named` items if the supplier named their party.
Once a case is closed or declined, only the supplier's own items and the coordinators remain.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from ketentafel.accounts.policies import acting_party_id
from ketentafel.cases.policies import CLOSED_PHASES, CaseAccess
from ketentafel.information.models import ItemShare, Sharing


def item_visibility_q(access: CaseAccess) -> Q:
    """A filter on the case's InformationItems that keeps exactly what the actor may read."""
    if access.is_coordinating:
        return Q()
    party = acting_party_id(access.user)
    visible = Q(supplier_party_id=party)
    if access.case.phase in CLOSED_PHASES:
        return visible
    if access.is_case_party:
        visible |= Q(sharing=Sharing.PRE_MEETING)
        if access.case.first_discussed_at is not None:
            visible |= Q(sharing=Sharing.AFTER_MEETING)
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
) -> str:
    """Who may read an item, in words, so a supplier sees what its choice means (art. 17.4)."""
    base = f"{supplier}, procesregie en informatiecoördinatie"
    if sharing == Sharing.PRE_MEETING:
        return f"{base}; deelnemende partijen, ook vóór het overleg: {', '.join(participants)}"
    if sharing == Sharing.AFTER_MEETING:
        when = "" if is_discussed else " (nog niet besproken: nu nog niemand anders)"
        return f"{base}; deelnemende partijen na het casusoverleg{when}: {', '.join(participants)}"
    if sharing == Sharing.NAMED:
        return f"{base}; alleen: {', '.join(named)}"
    return base
