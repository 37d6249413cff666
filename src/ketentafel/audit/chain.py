# SPDX-License-Identifier: EUPL-1.2
"""The hash chain over audit events and the Ed25519 signatures on its checkpoints.

An event's hash is SHA-256 over the previous event's hash and a canonical serialisation of
every field the event records (not its database id). Changing, removing, inserting or moving
any event therefore changes every later hash; a signed checkpoint pins the chain's end at a
moment, so even a rewrite of the whole chain shows against it.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS = "0" * 64

#: The fields the hash covers, in this order. Adding one is a new chain version.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_party_id",
    "role",
    "on_behalf_of_party_id",
    "house_id",
    "action",
    "object_type",
    "object_id",
    "object_ids",
    "person_ids",
    "data_party_ids",
    "case_id",
    "purpose",
    "result",
    "reason",
    "request_id",
    "ip_address",
    "user_agent",
)


def _canonical_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of one event given its predecessor's hash and its field values."""
    payload = json.dumps(
        [_canonical_value(fields[name]) for name in HASHED_FIELDS],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


# Signing ---------------------------------------------------------------------------------


def _private_key() -> Ed25519PrivateKey:
    raw = settings.AUDIT_SIGNING_KEY
    if raw:
        try:
            seed = base64.b64decode(raw, validate=True)
        except ValueError:
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY is not valid base64") from None
        if len(seed) != 32:
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be 32 bytes (base64-encoded)")
    elif settings.AUDIT_SIGNING_KEY_FROM_SECRET:
        # Development and tests only: production settings require a key of its own.
        seed = hashlib.sha256(f"audit-signing:{settings.SECRET_KEY}".encode()).digest()
    else:
        raise ImproperlyConfigured("AUDIT_SIGNING_KEY is required to sign audit checkpoints")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_b64(key: Ed25519PublicKey | None = None) -> str:
    key = key or _private_key().public_key()
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def key_id(public_b64: str) -> str:
    return hashlib.sha256(public_b64.encode()).hexdigest()[:16]


def load_public_key(public_b64: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64))


def checkpoint_message(seq: int, head_hash: str, created_at: datetime.datetime) -> bytes:
    stamp = _canonical_value(created_at)
    return f"ketentafel-audit-checkpoint:v1\n{seq}\n{head_hash}\n{stamp}".encode()


def checkpoint_sign(seq: int, head_hash: str, created_at: datetime.datetime) -> tuple[str, str]:
    """Sign a checkpoint; returns (key id, base64 signature)."""
    private = _private_key()
    signature = private.sign(checkpoint_message(seq, head_hash, created_at))
    return key_id(public_key_b64(private.public_key())), base64.b64encode(signature).decode()


def checkpoint_signature_valid(
    public: Ed25519PublicKey,
    seq: int,
    head_hash: str,
    created_at: datetime.datetime,
    signature_b64: str,
) -> bool:
    try:
        public.verify(
            base64.b64decode(signature_b64), checkpoint_message(seq, head_hash, created_at)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def restore_message(
    epoch: int,
    restored_seq: int,
    restored_hash: str,
    resumes_after_seq: int,
    created_at: datetime.datetime,
) -> bytes:
    stamp = _canonical_value(created_at)
    return (
        f"ketentafel-audit-restore:v1\n{epoch}\n{restored_seq}\n{restored_hash}\n"
        f"{resumes_after_seq}\n{stamp}"
    ).encode()


def restore_sign(
    epoch: int,
    restored_seq: int,
    restored_hash: str,
    resumes_after_seq: int,
    created_at: datetime.datetime,
) -> tuple[str, str]:
    """Sign a restore record (ADR 0013); returns (key id, base64 signature)."""
    private = _private_key()
    message = restore_message(epoch, restored_seq, restored_hash, resumes_after_seq, created_at)
    return key_id(public_key_b64(private.public_key())), base64.b64encode(
        private.sign(message)
    ).decode()


def restore_signature_valid(
    public: Ed25519PublicKey,
    epoch: int,
    restored_seq: int,
    restored_hash: str,
    resumes_after_seq: int,
    created_at: datetime.datetime,
    signature_b64: str,
) -> bool:
    message = restore_message(epoch, restored_seq, restored_hash, resumes_after_seq, created_at)
    try:
        public.verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True
