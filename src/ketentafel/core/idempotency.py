# SPDX-License-Identifier: EUPL-1.2
"""Retries without duplicates: the API's `Idempotency-Key` header and the screens' form tokens.

An API write sent with `Idempotency-Key` (IETF httpapi draft "The Idempotency-Key HTTP Header
Field") is done once per user and key. Its key row is written in the write's own transaction,
together with the answer, so a crash leaves both or neither. A retry with the same key and the
same method, path and body gets the first answer again, marked `Idempotent-Replayed: true`; the
same key with another request is refused (422), and a retry while the first is still running
answers 409 (on PostgreSQL a transaction-scoped advisory lock on the key says so without
waiting; elsewhere the unique index settles the race and the loser replays).

`idempotency_keys_purge` removes keys and form tokens older than `core.models.RETENTION`; the
purge job or `ketentafel idempotency_keys_purge` calls it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.core.api import MAX_BODY_BYTES, PayloadTooLarge
from ketentafel.core.errors import DomainError, InvalidInput
from ketentafel.core.middleware import mark_committed
from ketentafel.core.models import RETENTION, FormSubmission, IdempotencyKey
from ketentafel.core.tasks import retry_on_failure

FORM_TOKEN = "form_token"  # noqa: S105 (a form field's name, not a secret)
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
_KEY = re.compile(r"[\x21-\x7e]{1,255}")


class KeyInProgress(DomainError):
    status = 409
    title = gettext_lazy("Verzoek nog in behandeling")


class KeyReused(DomainError):
    status = 422
    title = gettext_lazy("Idempotency-Key al gebruikt")


def _key_of(request: Request) -> str | None:
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    # The draft writes the key as a structured-field string ("..."); a bare token is accepted too.
    key = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw
    if not _KEY.fullmatch(key):
        raise InvalidInput(
            _("Een Idempotency-Key is 1 tot 255 zichtbare ASCII-tekens."), field=HEADER
        )
    return key


def fingerprint(request: Request) -> str:
    """SHA-256 of method, path with query and body: what makes a retry the same request."""
    declared = request.META.get("CONTENT_LENGTH")
    if declared and str(declared).isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    body = request._request.body
    digest = hashlib.sha256()
    for part in (str(request.method).encode(), request.get_full_path().encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _lock_id(user_id: int, key: str) -> int:
    digest = hashlib.sha256(f"idempotency:{user_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _replay(found: IdempotencyKey, fingerprint_: str) -> Response:
    if found.fingerprint != fingerprint_:
        raise KeyReused(
            _(
                "Deze Idempotency-Key is al gebruikt voor een ander verzoek; kies een nieuwe "
                "sleutel."
            ),
            field=HEADER,
        )
    return Response(found.body, status=found.status, headers={REPLAYED_HEADER: "true"})


def _stored_body(response: Response) -> Any:
    """The answer's body as the client received it, so a replay renders the same JSON."""
    if response.data is None:
        return None
    return json.loads(JSONRenderer().render(response.data))


def run_once(
    request: Request, handler: Callable[..., Response], *args: Any, **kwargs: Any
) -> Response:
    """Run an API write as one unit of work: the write, its answer and its key commit together.

    Without a key the write still runs in one transaction with the building of its answer, so a
    failure before the commit saves nothing and nothing after it touches the database.
    """
    key = _key_of(request)
    if key is None:
        with transaction.atomic():
            response = handler(request, *args, **kwargs)
        return mark_committed(response)
    user_id = int(request.user.pk or 0)
    fingerprint_ = fingerprint(request)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_id(user_id, key)])
                    (locked,) = cursor.fetchone()
                if not locked:
                    raise KeyInProgress(
                        _(
                            "Een verzoek met deze Idempotency-Key is nog in behandeling; probeer "
                            "het zo opnieuw."
                        ),
                        field=HEADER,
                    )
            found = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
            if found is not None:
                return mark_committed(_replay(found, fingerprint_))
            response = handler(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                IdempotencyKey.objects.create(
                    user_id=user_id,
                    key=key,
                    fingerprint=fingerprint_,
                    status=response.status_code,
                    body=_stored_body(response),
                    created_at=timezone.now(),
                )
    except IntegrityError:
        # Another request with this key committed first (databases without advisory locks).
        found = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
        if found is None:
            raise
        return mark_committed(_replay(found, fingerprint_))
    return mark_committed(response)


def form_submission_for(user_id: int, token: str) -> FormSubmission | None:
    return FormSubmission.objects.filter(user_id=user_id, token=token).first()


def form_submission_record(*, user_id: int, token: str, result_url: str) -> None:
    """Consume a form token in the caller's transaction (the write's); IntegrityError when
    another submit of the same form consumed it first."""
    FormSubmission.objects.create(
        user_id=user_id, token=token, result_url=result_url, created_at=timezone.now()
    )


def idempotency_keys_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove idempotency keys and form tokens older than `RETENTION` (24 hours) before `now`;
    answers how many rows were removed. After that a retry with an old key is a new request."""
    cutoff = (now or timezone.now()) - RETENTION
    with transaction.atomic():
        keys, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
        forms, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return keys + forms


@task()
def idempotency_keys_purge_due(day: str = "", attempt: int = 1, chain: str = "") -> dict[str, int]:
    """The daily job (`config.schedule`): `idempotency_keys_purge` as of now; `day` names the
    date it was enqueued for."""
    kwargs: dict[str, object] = {"day": day}
    with retry_on_failure(idempotency_keys_purge_due, kwargs=kwargs, attempt=attempt, chain=chain):
        removed = idempotency_keys_purge()
    return {"removed": removed}
