# SPDX-License-Identifier: EUPL-1.2
"""The state machine of a case's phases, declared with `core.workflow`.

Every phase change goes through `transition`: it checks that the step exists from the current
phase and that the actor holds a role that may take it, and refuses with a message naming the
step and the phase otherwise. Required data are checked by the service before it calls
`transition`.

    referred ──intake──► enrichment ──submit──► triage ──decline──► declined
                             ▲                    │
                             └──more information──┤
                                                  └──accept──► accepted ──hold meeting──► active
                                                                                 │
                                                                  close ◄────────┘
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from ketentafel.accounts.models import Role
from ketentafel.cases.models import Phase
from ketentafel.cases.policies import TRIAGE_ROLES, CaseAccess
from ketentafel.core.errors import NotAllowed
from ketentafel.core.workflow import Guard, Machine, Step


def _only(may: Callable[[CaseAccess], bool], reason: StrOrPromise) -> tuple[Guard[CaseAccess]]:
    """The role a step needs: refused with `NotAllowed` (403) and who may take it."""
    return (Guard(may, reason, NotAllowed),)


def _process_coordinator_of_house(access: CaseAccess) -> bool:
    return access.has_role(Role.PROCESS_COORDINATOR)


def _assigned_coordinator(access: CaseAccess) -> bool:
    return access.is_assigned_coordinator


def _triage_staff(access: CaseAccess) -> bool:
    return access.has_role(*TRIAGE_ROLES)


def _meeting_staff(access: CaseAccess) -> bool:
    return access.has_role(Role.PROCESS_COORDINATOR, Role.MEETING_SECRETARY)


def _case_process_coordinator(access: CaseAccess) -> bool:
    return access.is_process_coordinator


_TRIAGE = _("Deze stap mag alleen het triage-overleg (procesregisseur, (locatie)manager) zetten.")

CASE = Machine[CaseAccess](
    states=Phase,
    noun=_("fase"),
    field="phase",
    record=lambda access: access.case,
    steps=[
        Step(
            "start_intake",
            _("Intake starten"),
            (Phase.REFERRED,),
            Phase.ENRICHMENT,
            guards=_only(
                _process_coordinator_of_house,
                _("Deze stap mag alleen een procesregisseur van het huis zetten."),
            ),
        ),
        Step(
            "submit_to_triage",
            _("Aanbieden voor triage"),
            (Phase.ENRICHMENT,),
            Phase.TRIAGE,
            guards=_only(
                _assigned_coordinator,
                _("Deze stap mag alleen de procesregisseur of informatiecoördinator zetten."),
            ),
        ),
        Step(
            "decline",
            _("Geen casus voor het huis"),
            (Phase.TRIAGE,),
            Phase.DECLINED,
            guards=_only(_triage_staff, _TRIAGE),
        ),
        Step(
            "request_more_information",
            _("Nog onduidelijk: aanvullende informatie nodig"),
            (Phase.TRIAGE,),
            Phase.ENRICHMENT,
            guards=_only(_triage_staff, _TRIAGE),
        ),
        Step(
            "accept",
            _("Casus voor het huis"),
            (Phase.TRIAGE,),
            Phase.ACCEPTED,
            guards=_only(_triage_staff, _TRIAGE),
        ),
        Step(
            "discuss",
            _("Bespreken in het casusoverleg"),
            (Phase.ACCEPTED,),
            Phase.ACTIVE,
            guards=_only(
                _meeting_staff,
                _("Deze stap mag alleen de procesregisseur of administratief medewerker zetten."),
            ),
        ),
        Step(
            "close",
            _("Afschalen"),
            (Phase.ACTIVE,),
            Phase.CLOSED,
            guards=_only(
                _case_process_coordinator,
                _("Deze stap mag alleen de procesregisseur van de casus zetten."),
            ),
        ),
    ],
)

#: The steps by name, each with its `sources` and `target` (the table the tests walk).
TRANSITIONS = CASE.steps


def allowed_transitions(access: CaseAccess) -> list[str]:
    """The transitions the actor could make now, for screens and API answers."""
    return CASE.allowed_steps(access)


def transition(access: CaseAccess, name: str) -> Phase:
    """Move the case along `name`, or raise; returns the phase it left."""
    left = CASE.take(access, name)
    case = access.case
    if case.phase == Phase.CLOSED:
        case.closed_at = timezone.now()
    case.save(update_fields=["phase", "closed_at", "updated_at"])
    return Phase(left)
