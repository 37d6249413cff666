# SPDX-License-Identifier: EUPL-1.2
"""What every API endpoint shares: the second-factor permission, the bounded JSON parser and
problem responses (declared in the OpenAPI description by `core.api_schema`).

Errors are RFC 9457 problem documents (`application/problem+json`) with, where a field is at
fault, an `errors` list naming it, so a partner system can show the message next to its field.
"""

from __future__ import annotations

import codecs
import datetime
import re
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

from django.http import Http404, QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser, get_encoding  # type: ignore[attr-defined]
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import json as drf_json

from ketentafel.core.errors import (
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
)
from ketentafel.core.versions import StaleVersion, etag

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from rest_framework.views import APIView

PROBLEM = "application/problem+json"
# What a 404 says, whether the object is missing or not the reader's to see.
NOT_FOUND_DETAIL = gettext_lazy("Dit bestaat niet of u heeft er geen toegang toe.")

# No valid request of this API comes near these: the longest text is 20,000 characters of minutes
# (at most 120 KB as escaped JSON), the deepest body an object in a list in an object. They bound
# what a request costs to parse before the serializers' own limits answer field by field.
MAX_BODY_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 10


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = format_lazy(
        gettext_lazy("De aanvraag is groter dan {size} KiB."), size=MAX_BODY_BYTES // 1024
    )
    default_code = "payload_too_large"


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON, refused with a 400 when nested deeper than `MAX_JSON_DEPTH` and with a 413 when
    longer than `MAX_BODY_BYTES`, before any serializer sees it."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise PayloadTooLarge()
        encoding = get_encoding(parser_context or {})
        try:
            text = codecs.decode(raw, encoding)
            data = drf_json.loads(text, parse_constant=drf_json.strict_constant)
        except RecursionError:
            raise exceptions.ParseError(self._too_deep()) from None
        except ValueError as exc:
            raise exceptions.ParseError(
                _("Geen geldige JSON: %(error)s") % {"error": exc}
            ) from None
        if _depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(self._too_deep())
        return data

    @staticmethod
    def _too_deep() -> str:
        return _("De JSON is dieper genest dan %(depth)d niveaus.") % {"depth": MAX_JSON_DEPTH}


class IsVerified(BasePermission):
    """Logged in, active, and past the second factor."""

    message = gettext_lazy("Log in met wachtwoord en tweede factor.")

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


TITLES = {
    405: gettext_lazy("Methode niet toegestaan"),
    406: gettext_lazy("Niet leverbaar"),
    413: gettext_lazy("Aanvraag te groot"),
    415: gettext_lazy("Geen JSON"),
}


def problem(
    status_code: int,
    title: StrOrPromise,
    detail: StrOrPromise,
    errors: list[dict[str, str]] | None = None,
    **members: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(title),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    body.update(members)
    return Response(body, status=status_code, content_type=PROBLEM)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleVersion):
        # The current version, in the body and as the ETag, so a client can read the new
        # state and decide again (docs/api.md, conditional updates).
        response = problem(exc.status, exc.title, exc.message, current_version=exc.current)
        response["ETag"] = etag(exc.current)
        return response
    if isinstance(exc, InvalidTransition) and exc.step:
        # A refusal of a process step names the step and the state by value as well, so a
        # client can tell which step was refused in which state without reading the text.
        return problem(exc.status, exc.title, exc.message, step=exc.step, state=exc.state)
    if isinstance(exc, DomainError):
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
        return problem(exc.status, exc.title, exc.message, errors)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
        )
        return problem(status.HTTP_400_BAD_REQUEST, InvalidInput.title, detail, errors)
    if isinstance(exc, exceptions.ParseError):
        return problem(400, InvalidInput.title, str(exc.detail))
    if isinstance(exc, Http404 | exceptions.NotFound):
        return problem(404, NotFound.title, NOT_FOUND_DETAIL)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return problem(401, _("Niet ingelogd"), str(exc.detail))
    if isinstance(exc, exceptions.PermissionDenied):
        return problem(403, NotAllowed.title, str(exc.detail))
    if isinstance(exc, exceptions.APIException):
        title = TITLES.get(exc.status_code, gettext_lazy("Fout"))
        return problem(exc.status_code, title, str(exc.detail))
    return None


ID_MAX = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of a row (a house, a party, a user): a positive 64-bit integer, so an id out of
    the database's range is refused as input instead of failing in the query."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class BoundedCursorPagination(CursorPagination):
    """Cursor pagination whose `page_size` is 1 to `max_page_size`, or a 400 naming it (the
    framework's own falls back to the default page without a word)."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return int(self.page_size or 1)
        if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= self.max_page_size:
            message = _("Een geheel getal van 1 tot en met %(most)d.") % {
                "most": self.max_page_size
            }
            raise exceptions.ValidationError({self.page_size_query_param: message})
        return int(raw)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def _json_type(
    field: serializers.Field[Any, Any, Any, Any],
) -> tuple[tuple[type, ...], StrOrPromise] | None:
    """The JSON types a field accepts as its OpenAPI description states them, or None for any."""
    if isinstance(field, serializers.BooleanField):
        return (bool,), gettext_lazy("true of false")
    if isinstance(field, serializers.IntegerField):
        return (int,), gettext_lazy("een geheel getal")
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return (int, float), gettext_lazy("een getal")
    if isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.UUIDField,
    ):
        return (str,), gettext_lazy("tekst")
    if isinstance(field, serializers.ListField | serializers.ListSerializer):
        return (list,), gettext_lazy("een lijst")
    if isinstance(field, serializers.BaseSerializer):
        return (dict,), gettext_lazy("een object")
    return None


def _json_type_error(field: serializers.Field[Any, Any, Any, Any], value: Any) -> Any:
    """What is wrong with the type of `value` for `field`: a message, or for a list the messages
    by index (named `themes[0]` in the answer); None when the type is right."""
    if value is None:
        return None  # the field's own `allow_null` answers this
    expected = _json_type(field)
    if expected is None:
        return None
    types, name = expected
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        return [_("Verwacht: %(type)s.") % {"type": name}]
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        items = {
            index: error
            for index, item in enumerate(value)
            if (error := _json_type_error(field.child, item)) is not None
        }
        return items or None
    return None


# Dates of this domain (births, referrals, deadlines, periods) lie within these years; outside
# them, arithmetic on a date in the local time zone can leave the calendar (year 1 minus an hour).
MIN_YEAR = 1900
MAX_YEAR = 2999


class Input(serializers.Serializer[Any]):
    """A request body or query: each value must have the type the description gives it.

    The framework converts on its own (`0` into `"0"`, `"true"` into `true`, `1` into a UUID);
    a partner system that sends the wrong type has a bug it should hear about, and the schema
    says what is accepted, so a 400 names the field instead. Likewise an empty query parameter
    is refused where the description allows no empty text, and a date outside `MIN_YEAR` to
    `MAX_YEAR`.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, QueryDict):
            # The framework reads an empty query parameter as an absent one; `?until=` is no date.
            blank = {
                name: [_("Dit veld mag niet leeg zijn.")]
                for name, field in self.fields.items()
                if data.get(name) == ""
                and not (isinstance(field, serializers.CharField) and field.allow_blank)
            }
            if blank:
                raise exceptions.ValidationError(blank)
        elif isinstance(data, dict):
            errors = {
                name: error
                for name, field in self.fields.items()
                if not field.read_only
                and field.source != "*"
                and name in data
                and (error := _json_type_error(field, data[name])) is not None
            }
            if errors:
                raise exceptions.ValidationError(errors)
        values = super().to_internal_value(data)
        out_of_range = {
            name: [
                _("Een datum van %(first)d tot en met %(last)d.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            ]
            for name, value in values.items()
            if isinstance(value, datetime.date) and not MIN_YEAR <= value.year <= MAX_YEAR
        }
        if out_of_range:
            raise exceptions.ValidationError(out_of_range)
        return values
