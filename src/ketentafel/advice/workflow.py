# SPDX-License-Identifier: EUPL-1.2
"""The steps of an advice question, declared with `core.workflow` (ADR 0015).

    open ──conclude (advice given, handled locally)──► handled locally
      └────refer (a referral follows on it)────────► referred

A question is answered once (Gelderland-Midden Bijlage 3, adviesfase): the process coordinator
concludes it with the advice given, or it becomes a referral (`cases.services.case_refer`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ketentafel.advice.models import AdviceOutcome, AdviceRequest
from ketentafel.core.workflow import Machine, Step

_CONCLUDED = _("Deze adviesvraag is al afgehandeld.")

ADVICE_REQUEST = Machine[AdviceRequest](
    states=AdviceOutcome,
    noun=_("status"),
    field="outcome",
    steps=[
        Step(
            "conclude",
            _("Advies geven"),
            (AdviceOutcome.OPEN,),
            AdviceOutcome.HANDLED_LOCALLY,
            reason=_CONCLUDED,
        ),
        Step(
            "refer",
            _("Aanmelden bij het huis"),
            (AdviceOutcome.OPEN,),
            AdviceOutcome.REFERRED,
            reason=_CONCLUDED,
        ),
    ],
)
