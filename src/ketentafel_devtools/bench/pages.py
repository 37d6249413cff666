# SPDX-License-Identifier: EUPL-1.2
"""Section "pages" (issue 5): the server time of the main screens on the benchmark dataset.

Each page is requested whole through Django's test client: every middleware (session, second
factor, CSP, no-store), the audited selectors, the template and the NL Design System markup;
only the network and the browser are left out. The users are the dataset's busiest process
coordinators and partner professionals, signed in with a confirmed TOTP device as the login
screens would leave them. Target: p95 at most 100 ms per page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from ketentafel.accounts.models import User
from ketentafel.accounts.services import second_factor_enrol
from ketentafel.cases.models import Case
from ketentafel.meetings.models import AgendaItem
from ketentafel_devtools.bench.measure import timed
from ketentafel_devtools.bench.registry import BenchContext, Results, register

TARGET_P95_MS = 100.0


def signed_in(user: User) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device = second_factor_enrol(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _get(client: Client, path: str) -> None:
    response: Any = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")


@register(
    "pages", help="Server time of the main screens (work queue, case, dossier, ...)", order=30
)
def run(context: BenchContext) -> Results:
    samples = context.samples
    coordinators = list(User.objects.filter(pk__in=samples["coordinators"]).order_by("pk"))
    professionals = list(User.objects.filter(pk__in=samples["professionals"]).order_by("pk"))
    dossiers = [(case_id, User.objects.get(pk=user_id)) for case_id, user_id in samples["dossier"]]
    if not (coordinators and professionals and dossiers):
        raise RuntimeError("The dataset has no samples to measure with; regenerate it.")
    clients = {u.pk: signed_in(u) for u in [*coordinators, *professionals]}
    for _case, user in dossiers:
        clients.setdefault(user.pk, signed_in(user))
    meetings = []
    for case_id, user in dossiers:
        item = AgendaItem.objects.filter(case_id=case_id).order_by("-meeting__starts_at").first()
        if item is not None:
            meetings.append((item.meeting_id, user))
    active = [
        (case_id, user)
        for case_id, user in dossiers
        if Case.objects.filter(pk=case_id, action_plan__isnull=False).exists()
    ] or dossiers

    def per_user(users: list[User], path: str) -> Callable[[int], None]:
        return lambda i: _get(clients[users[i % len(users)].pk], path)

    def per_case(pairs: list[tuple[Any, User]], template: str) -> Callable[[int], None]:
        def call(i: int) -> None:
            object_id, user = pairs[i % len(pairs)]
            _get(clients[user.pk], template.format(object_id))

        return call

    pages: list[tuple[str, Callable[[int], None]]] = [
        ("work_queue_process_coordinator", per_user(coordinators, "/werkvoorraad/")),
        ("case_list_partner_professional", per_user(professionals, "/casussen/")),
        ("information_requests_partner", per_user(professionals, "/informatieverzoeken/")),
        ("own_actions_partner", per_user(professionals, "/acties/")),
        ("case_page", per_case(dossiers, "/casussen/{}/")),
        ("dossier_page_100_items", per_case(dossiers, "/casussen/{}/dossier/")),
        ("action_plan_page", per_case(active, "/casussen/{}/plan/")),
        ("referral_form", per_user(professionals, "/aanmelden/")),
    ]
    if meetings:
        pages.append(("meeting_page", per_case(meetings, "/overleggen/{}/")))
    results: Results = {}
    for name, call in pages:
        context.log(f"  pages: {name}")
        results[name] = timed(call, repeat=context.repeat, target_p95_ms=TARGET_P95_MS).as_dict()
    results["actors"] = {
        "process_coordinators": len(coordinators),
        "partner_professionals": len(professionals),
        "cases": len(dossiers),
        "meetings": len(meetings),
    }
    return results
