# SPDX-License-Identifier: EUPL-1.2
"""The one state machine of a case's phases.

Every phase change goes through `transition`: it checks that the change exists from the
current phase and that the actor holds a role that may make it, and refuses with a message
otherwise. Required data are checked by the service before it calls `transition`.

    referred ──intake──► enrichment ──submit──► triage ──decline──► declined
                             ▲                    │
                             └──more information──┤
                                                  └──accept──► accepted ──hold meeting──► active
                                                                                 │
                                                                  close ◄────────┘
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Phase
from ketentafel.cases.policies import TRIAGE_ROLES, CaseAccess
from ketentafel.core.errors import InvalidTransition, NotAllowed


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[Phase, ...]
    target: Phase
    may: Callable[[CaseAccess], bool]
    #: Who may take the step, in Dutch; translated when a refusal names it.
    who: str


def _process_coordinator_of_house(access: CaseAccess) -> bool:
    return access.has_role(Role.PROCESS_COORDINATOR)


def _assigned_coordinator(access: CaseAccess) -> bool:
    return access.is_assigned_coordinator


def _triage_staff(access: CaseAccess) -> bool:
    return access.has_role(*TRIAGE_ROLES)


def _case_process_coordinator(access: CaseAccess) -> bool:
    return access.is_process_coordinator


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "start_intake",
            (Phase.REFERRED,),
            Phase.ENRICHMENT,
            _process_coordinator_of_house,
            gettext_noop("een procesregisseur van het huis"),
        ),
        Transition(
            "submit_to_triage",
            (Phase.ENRICHMENT,),
            Phase.TRIAGE,
            _assigned_coordinator,
            gettext_noop("de procesregisseur of informatiecoördinator"),
        ),
        Transition(
            "decline",
            (Phase.TRIAGE,),
            Phase.DECLINED,
            _triage_staff,
            gettext_noop("het triage-overleg (procesregisseur, (locatie)manager)"),
        ),
        Transition(
            "request_more_information",
            (Phase.TRIAGE,),
            Phase.ENRICHMENT,
            _triage_staff,
            gettext_noop("het triage-overleg (procesregisseur, (locatie)manager)"),
        ),
        Transition(
            "accept",
            (Phase.TRIAGE,),
            Phase.ACCEPTED,
            _triage_staff,
            gettext_noop("het triage-overleg (procesregisseur, (locatie)manager)"),
        ),
        Transition(
            "discuss",
            (Phase.ACCEPTED,),
            Phase.ACTIVE,
            lambda a: a.has_role(Role.PROCESS_COORDINATOR, Role.MEETING_SECRETARY),
            gettext_noop("de procesregisseur of administratief medewerker"),
        ),
        Transition(
            "close",
            (Phase.ACTIVE,),
            Phase.CLOSED,
            _case_process_coordinator,
            gettext_noop("de procesregisseur van de casus"),
        ),
    ]
}


def allowed_transitions(access: CaseAccess) -> list[str]:
    """The transitions the actor could make now, for screens and API answers."""
    return [
        t.name for t in TRANSITIONS.values() if access.case.phase in t.sources and t.may(access)
    ]


def transition(access: CaseAccess, name: str) -> Phase:
    """Move the case along `name`, or raise; returns the phase it left."""
    t = TRANSITIONS[name]
    case = access.case
    current = Phase(case.phase)
    if current not in t.sources:
        raise InvalidTransition(
            _("Deze stap (%(step)s) kan niet in fase '%(phase)s'; alleen in: %(sources)s.")
            % {
                "step": name,
                "phase": current.label,
                "sources": ", ".join(str(p.label) for p in t.sources),
            }
        )
    if not t.may(access):
        raise NotAllowed(_("Deze stap mag alleen %(who)s zetten.") % {"who": _(t.who)})
    case.phase = t.target
    if t.target == Phase.CLOSED:
        case.closed_at = timezone.now()
    case.save(update_fields=["phase", "closed_at", "updated_at"])
    return current
