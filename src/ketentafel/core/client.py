# SPDX-License-Identifier: EUPL-1.2
"""The address a request comes from, trusting a forwarded header only as far as configured."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address, for the login lockout and the audit log's "where".

    Without trusted proxies (`TRUSTED_PROXY_COUNT` = 0) this is the connection's address,
    REMOTE_ADDR, and `X-Forwarded-For` is ignored: any client can write that header. Behind
    N trusted proxies each appends the address it received the request from, so the N-th
    entry from the right was written by the outermost trusted proxy; entries left of it are
    the client's own claims and are ignored. A header shorter than N entries or an entry that
    is no IP address falls back to REMOTE_ADDR.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count: int = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
