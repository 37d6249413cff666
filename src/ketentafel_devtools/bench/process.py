# SPDX-License-Identifier: EUPL-1.2
"""Section "process" (issue 3): the reads of the case process as a user pays for them.

Each call is measured whole: the access filter, the serialisation the API does, and the audit
event written in the same transaction. The case lists go through the API view itself (cursor
pagination, first page, JSON rendering) without the HTTP middleware; the dossier and the
already-known check call their selectors. Target: p95 at most 50 ms each.
"""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIRequestFactory, force_authenticate

from ketentafel.accounts.models import User
from ketentafel.cases.api import CaseListView
from ketentafel.cases.selectors import already_known_for
from ketentafel.information.selectors import dossier_for
from ketentafel_devtools.bench.measure import timed
from ketentafel_devtools.bench.registry import BenchContext, Results, register

TARGET_P95_MS = 50.0


def verified_users(ids: list[int]) -> list[User]:
    """The users as the API sees them after the second factor (django-otp's `is_verified`)."""
    users = list(User.objects.filter(pk__in=ids).order_by("pk"))
    for user in users:
        user.is_verified = lambda: True  # type: ignore[attr-defined]
    return users


def case_list_page(user: User) -> bytes:
    """GET /api/v1/cases/ for `user`: first page of 50, rendered to JSON."""
    request = APIRequestFactory().get("/api/v1/cases/", HTTP_HOST="localhost")
    force_authenticate(request, user=user)
    response: Any = CaseListView.as_view()(request)
    if response.status_code != 200:
        raise RuntimeError(f"case list answered {response.status_code}: {response.data}")
    response.render()
    return bytes(response.content)


@register("process", help="Case lists, a dossier of 100 items, already-known check", order=10)
def run(context: BenchContext) -> Results:
    samples = context.samples
    coordinators = verified_users(samples["coordinators"])
    professionals = verified_users(samples["professionals"])
    dossiers = [(case_id, User.objects.get(pk=user_id)) for case_id, user_id in samples["dossier"]]
    known = [(case_id, User.objects.get(pk=user_id)) for case_id, user_id in samples["known"]]
    if not (coordinators and professionals and dossiers and known):
        raise RuntimeError("The dataset has no samples to measure with; regenerate it.")
    repeat = context.repeat

    def coordinator_list(i: int) -> None:
        case_list_page(coordinators[i % len(coordinators)])

    def professional_list(i: int) -> None:
        case_list_page(professionals[i % len(professionals)])

    def dossier(i: int) -> None:
        case_id, user = dossiers[i % len(dossiers)]
        _, items = dossier_for(user, case_id)
        if not items:
            raise RuntimeError(f"dossier {case_id} is empty for its coordinator")

    def already_known(i: int) -> None:
        case_id, user = known[i % len(known)]
        already_known_for(user, case_id)

    results: Results = {}
    for name, call in [
        ("case_list_process_coordinator", coordinator_list),
        ("case_list_partner_professional", professional_list),
        ("dossier_100_items", dossier),
        ("already_known", already_known),
    ]:
        context.log(f"  process: {name}")
        results[name] = timed(call, repeat=repeat, target_p95_ms=TARGET_P95_MS).as_dict()
    results["actors"] = {
        "process_coordinators": len(coordinators),
        "partner_professionals": len(professionals),
        "dossier_cases": len(dossiers),
        "already_known_cases": len(known),
    }
    return results
