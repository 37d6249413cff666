# SPDX-License-Identifier: EUPL-1.2
"""What makes a repeated write harmless: the API's idempotency keys and the screens' form tokens.

Each row is written in the transaction of the write it stands for, so a crash leaves both or
neither: a key never points at a write that was rolled back, and no write committed without its
key. Rows expire after `RETENTION` and are removed by `core.idempotency.idempotency_keys_purge`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

RETENTION = datetime.timedelta(hours=24)


class IdempotencyKey(models.Model):
    """The first answer to an API write sent with an `Idempotency-Key` header.

    `fingerprint` is the SHA-256 of method, path and body: the same key with another request is
    refused, not replayed. A row exists only once the write committed; a request still in
    progress holds the row's unique index, which is how a concurrent second one learns of it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"idempotency key of user {self.user_id}"


class FormSubmission(models.Model):
    """A screen form's one-time token, consumed by the submit that saved something.

    `result_url` is where that submit sent the person; a second submit of the same form goes
    there too, with a message, instead of saving again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    result_url = models.CharField(max_length=2000)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_token_once_per_user")
        ]

    def __str__(self) -> str:
        return f"form submission of user {self.user_id}"
