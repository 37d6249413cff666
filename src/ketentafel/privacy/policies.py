# SPDX-License-Identifier: EUPL-1.2
"""Who may run privacy operations: privacy officers, scoped as for the audit log.

A privacy officer works for the houses where it holds the role. The house's own privacy
officer (employed by the municipality that manages the house) answers for the whole house;
another party's privacy officer answers for what its party supplied, since each party stays
controller of its own information (Gelderland-Midden art. 16.1, 17.4). This mirrors
`privacy.audit_log.policies.audit_scope_for`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.core.errors import NotAllowed
from ketentafel.privacy.models import DataSubjectRequest
from ketentafel.privacy.workflow import DATA_SUBJECT_REQUEST


@dataclass(frozen=True)
class PrivacyScope:
    user: User
    party_id: int
    officer_house_ids: frozenset[int]
    whole_house_ids: frozenset[int]

    def answers_for_house(self, house_id: int) -> bool:
        """Whether the officer answers for everything of this house, not just its party's."""
        return house_id in self.whole_house_ids

    def may_see_controller(self, house_id: int, controller_party_id: int) -> bool:
        return self.answers_for_house(house_id) or controller_party_id == self.party_id


def privacy_scope_for(user: User) -> PrivacyScope:
    """The privacy officer's houses; refused for everyone else."""
    roles = list(roles_in_force(user).filter(role=Role.PRIVACY_OFFICER))
    if not roles or user.party_id is None:
        raise NotAllowed(_("Alleen een privacy officer behandelt privacyzaken."))
    return PrivacyScope(
        user=user,
        party_id=user.party_id,
        officer_house_ids=frozenset(r.house_id for r in roles),
        whole_house_ids=frozenset(
            r.house_id for r in roles if r.house.managing_municipality_id == user.party_id
        ),
    )


#: The step sections of a request's page and the steps each offers (`privacy.workflow`).
REQUEST_SECTIONS = {
    "start": ("start",),
    "extend": ("extend",),
    "notice": ("inform_recipient",),
    "close": ("complete", "refuse"),
}


def step_sections(sections: dict[str, tuple[str, ...]], allowed: list[str]) -> set[str]:
    return {section for section, steps in sections.items() if set(steps) & set(allowed)}


def request_actions(request: DataSubjectRequest) -> frozenset[str]:
    """What a request's page offers now: the sections of the steps its machine allows (AVG
    art. 12(3): extend once, within the first month; art. 19: tell the recipients of a
    rectification, erasure or restriction), and the export while the subject's data are kept.
    """
    actions = step_sections(REQUEST_SECTIONS, DATA_SUBJECT_REQUEST.allowed_steps(request))
    if request.subject_cleared_at is None:
        actions.add("export")
    return frozenset(actions)
