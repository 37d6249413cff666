# SPDX-License-Identifier: EUPL-1.2
"""The steps of an information request, declared with `core.workflow`.

    open ──answer (an item supplied)──► answered
      └───decline (no information)───► nothing to share

The party it is addressed to answers it once: with an item, or with "no information" and why.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ketentafel.core.workflow import Machine, Step
from ketentafel.information.models import InformationRequest, RequestStatus

_ANSWERED = _("Dit informatieverzoek is al afgehandeld.")

INFORMATION_REQUEST = Machine[InformationRequest](
    states=RequestStatus,
    noun=_("status"),
    field="status",
    steps=[
        Step(
            "answer",
            _("Informatie aanleveren"),
            (RequestStatus.OPEN,),
            RequestStatus.ANSWERED,
            reason=_ANSWERED,
        ),
        Step(
            "decline",
            _("Beantwoorden: geen informatie"),
            (RequestStatus.OPEN,),
            RequestStatus.NOTHING_TO_SHARE,
            reason=_ANSWERED,
        ),
    ],
)
