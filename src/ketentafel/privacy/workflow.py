# SPDX-License-Identifier: EUPL-1.2
"""The steps of a data-subject request, declared with `core.workflow` (a security
incident's: `incidents.workflow`).

A data-subject request (AVG art. 12(3), 19):

    received ──start──► in progress
       └──────┬───────────┘
              ├── extend, inform a recipient (the state stays)
              ├── complete ──► completed
              └── refuse ────► refused
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketentafel.core.workflow import Guard, Machine, Step
from ketentafel.privacy.models import (
    NOTIFY_RECIPIENTS,
    OPEN_REQUEST_STATUSES,
    DataSubjectRequest,
    RequestStatus,
)

_REQUEST_CLOSED = _("Dit verzoek is al afgehandeld.")


def _not_extended(request: DataSubjectRequest) -> bool:
    return request.extended_to is None


def _in_first_month(request: DataSubjectRequest) -> bool:
    return timezone.localdate() <= request.due_on


def _tells_recipients(request: DataSubjectRequest) -> bool:
    return request.kind in NOTIFY_RECIPIENTS


DATA_SUBJECT_REQUEST = Machine[DataSubjectRequest](
    states=RequestStatus,
    noun=_("status"),
    field="status",
    steps=[
        Step(
            "start",
            _("In behandeling nemen"),
            (RequestStatus.RECEIVED,),
            RequestStatus.IN_PROGRESS,
            reason=_("Alleen een ontvangen verzoek gaat in behandeling."),
        ),
        Step(
            "extend",
            _("Termijn verlengen"),
            OPEN_REQUEST_STATUSES,
            reason=_("Een afgehandeld verzoek wordt niet verlengd."),
            guards=(
                Guard(_not_extended, _("De termijn is al verlengd; verder verlengen kan niet.")),
                Guard(
                    _in_first_month,
                    _("Verlengen kan alleen binnen de eerste maand na ontvangst (art. 12 lid 3)."),
                ),
            ),
        ),
        Step(
            "inform_recipient",
            _("Geïnformeerde ontvanger vastleggen"),
            OPEN_REQUEST_STATUSES,
            reason=_REQUEST_CLOSED,
            guards=(
                Guard(
                    _tells_recipients,
                    _("Ontvangers informeren hoort bij rectificatie, wissing of beperking."),
                ),
            ),
        ),
        Step(
            "complete",
            _("Afhandelen"),
            OPEN_REQUEST_STATUSES,
            RequestStatus.COMPLETED,
            reason=_REQUEST_CLOSED,
        ),
        Step(
            "refuse",
            _("Afwijzen"),
            OPEN_REQUEST_STATUSES,
            RequestStatus.REFUSED,
            reason=_REQUEST_CLOSED,
        ),
    ],
)
