# SPDX-License-Identifier: EUPL-1.2
"""What every API endpoint shares: the second-factor permission and problem responses.

Errors are RFC 9457 problem documents (`application/problem+json`) with, where a field is at
fault, an `errors` list naming it, so a partner system can show the message next to its field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from ketentafel.core.errors import DomainError

if TYPE_CHECKING:
    from rest_framework.views import APIView

PROBLEM = "application/problem+json"


class IsVerified(BasePermission):
    """Logged in, active, and past the second factor."""

    message = "Log in met wachtwoord en tweede factor."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_active
            and getattr(user, "is_verified", lambda: False)()
        )


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            # DRF reports the items of a list field keyed by their index; name them as the
            # services do (`persons[0].bsn`), so one field has one name in every answer.
            if isinstance(key, int) or str(key).isdigit():
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or ""
            out.extend(_flatten(value, name))
        return out
    if isinstance(detail, list):
        if all(not isinstance(v, dict | list) for v in detail):
            return [{"field": prefix, "message": str(v)} for v in detail]
        out = []
        for index, value in enumerate(detail):
            if value:
                out.extend(_flatten(value, f"{prefix}[{index}]"))
        return out
    return [{"field": prefix, "message": str(detail)}]


def problem(
    status_code: int, title: str, detail: str, errors: list[dict[str, str]] | None = None
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
        return problem(exc.status, exc.title, exc.message, errors)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
        )
        return problem(status.HTTP_400_BAD_REQUEST, "Ongeldige invoer", detail, errors)
    if isinstance(exc, exceptions.ParseError):
        return problem(400, "Ongeldige invoer", str(exc.detail))
    if isinstance(exc, Http404 | exceptions.NotFound):
        return problem(404, "Niet gevonden", "Dit bestaat niet of u heeft er geen toegang toe.")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return problem(401, "Niet ingelogd", str(exc.detail))
    if isinstance(exc, exceptions.PermissionDenied):
        return problem(403, "Niet toegestaan", str(exc.detail))
    if isinstance(exc, exceptions.APIException):
        return problem(exc.status_code, "Fout", str(exc.detail))
    return None
