# SPDX-License-Identifier: EUPL-1.2
"""E-mail notices: that something waits in Ketentafel, with a link, never personal data.

E-mail leaves the covenant's systems and is kept in mailboxes no retention rule reaches, so a
notice names no person, case content or party question: the subject says what kind of thing
waits, the body only where to look after logging in (PRODUCT.md section 7).

A notice never goes out inside the request: once the transaction commits
(`transaction.on_commit`) a task is enqueued with ids and fixed strings only
(`cases.tasks.notify_case_party`), so a refused change sends nothing and a relay that is down
does not fail the request. The worker works out the recipients from the one access rule when
it runs, and sends one message per person in a task of its own (`cases.tasks.deliver_notice`),
retried with back-off (ketentafel.core.tasks); each delivery checks the rule again, so a role
ended while a notice waited for the relay sends nothing to that person.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ketentafel.accounts.models import User, in_force_q
from ketentafel.cases.models import Case
from ketentafel.cases.policies import case_access_q
from ketentafel.covenants.models import Party


def _candidates(*, house_id: int, party_id: int) -> list[User]:
    """The party's active people with a work address and a role in the house."""
    return list(
        User.objects.filter(
            in_force_q("house_roles__"),
            party_id=party_id,
            is_active=True,
            house_roles__house_id=house_id,
            party__in=Party.objects.members_of_houses([house_id]),
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def recipient_ids(*, house_id: int, party_id: int, case_id: UUID | str) -> list[int]:
    """The party's people in the house who may see the case: a notice follows the one access
    rule (`case_access_q`), so nobody is told of a case they cannot open (a role removed,
    expired or without case work, a deactivated account)."""
    return [
        user.pk
        for user in _candidates(house_id=house_id, party_id=party_id)
        if may_be_told(user, case_id=case_id)
    ]


def may_be_told(user: User, *, case_id: UUID | str) -> bool:
    return Case.objects.filter(case_access_q(user), pk=case_id).exists()


def send_notice(*, to: str, subject: str, path: str, lead: str) -> None:
    """Send one notice to one address now, through the SMTP relay (`EMAIL_TIMEOUT` bounds it).
    Called by the worker (`cases.tasks.deliver_notice`), never inside a request."""
    link = settings.KETENTAFEL_BASE_URL.rstrip("/") + path
    body = render_to_string("cases/email/notice.txt", {"lead": lead, "link": link})
    # One message per person: colleagues at other parties do not see each other's addresses.
    get_connection().send_messages([EmailMessage(subject, body, None, [to])])


def notice_on_commit(
    *, house_id: int, party_id: int, case_id: UUID, subject: str, path: str, lead: str
) -> None:
    """Enqueue a notice about a case to a party's people in a house who may see it, once the
    transaction commits; the worker works out who they are and sends it."""
    from ketentafel.cases.tasks import notify_case_party

    case = str(case_id)
    transaction.on_commit(
        lambda: notify_case_party.enqueue(
            house_id=house_id,
            party_id=party_id,
            case_id=case,
            subject=subject,
            path=path,
            lead=lead,
        )
    )


def referrer_notify(case: Case, *, subject: str, lead: str) -> None:
    """Tell the referring party's people that a case it referred was decided on (its triage
    outcome, its closure), once the transaction commits: a link to the case and fixed words,
    so no name, birth date, BSN or content leaves in the mail (PRODUCT.md section 2, step 7)."""
    notice_on_commit(
        house_id=case.house_id,
        party_id=case.referring_party_id,
        case_id=case.pk,
        subject=subject,
        path=reverse("cases:detail", kwargs={"case_id": case.pk}),
        lead=lead,
    )
