# SPDX-License-Identifier: EUPL-1.2
"""A base for API views: JSON in, problem responses out, no login redirect, no query
parameter the OpenAPI description does not declare, every write one unit of work, and
`If-Match` on the changes of a versioned record."""

from __future__ import annotations

import functools
import re
from typing import Any, ClassVar, TypeVar

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ketentafel.core.idempotency import run_once
from ketentafel.core.versions import etag, expected_version

S = TypeVar("S", bound=serializers.BaseSerializer[Any])

_CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


@functools.cache
def declared_query_parameters() -> dict[tuple[str, str], frozenset[str]]:
    """The query parameters of each operation, `(path, METHOD)`, as the OpenAPI description
    served at /api/v1/schema/ declares them: the same generator, so the two cannot differ."""
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()  # type: ignore[no-untyped-call]
    schema = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    return {
        (path, method.upper()): frozenset(
            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
        )
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def operation_path(route: str) -> str:
    """`api/v1/cases/<uuid:case_id>/` as the description writes it: `/api/v1/cases/{case_id}/`."""
    return "/" + _CONVERTER.sub(r"{\1}", route)


def with_etag(response: Response, version: int) -> Response:
    """The answer carrying the version of the record it shows as its entity tag."""
    response["ETag"] = etag(version)
    return response


class ApiView(APIView):
    """API views answer 401/403 problems themselves instead of redirecting to the login page,
    and refuse a query parameter their operation does not declare with a 400 naming it.

    A write (POST, PUT, PATCH, DELETE) runs in one transaction with the building of its answer
    and its `Idempotency-Key` row (`core.idempotency.run_once`): the answer is serialized from
    what the service wrote before the commit, so a write that was saved is never answered with
    an error, and one that was answered with an error was not saved.

    A method in `conditional_methods` changes a versioned record: it needs the `If-Match`
    header (428 without), read into `expected_version` for the service, which refuses a
    stale one (412). `versioned_read` says the view's GET answers an `ETag`. The OpenAPI
    description declares both (`core.api_schema`).
    """

    UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    conditional_methods: ClassVar[frozenset[str]] = frozenset()
    versioned_read: ClassVar[bool] = False
    expected_version: int | None = None

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view = super().as_view(**initkwargs)
        view.login_required = False  # type: ignore[attr-defined]
        return view

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        method = str(request.method).lower()
        if not hasattr(self, method):
            return  # the framework answers 405 for a method the view does not have
        if request.method in self.conditional_methods:
            self.expected_version = expected_version(request.headers.get("If-Match"))
        match = request.resolver_match
        key = (operation_path(match.route if match else ""), str(request.method))
        # An operation missing from the description declares nothing, so it accepts nothing.
        known = declared_query_parameters().get(key, frozenset())
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise serializers.ValidationError(
                dict.fromkeys(unknown, _("Onbekende queryparameter; zie /api/v1/schema/."))
            )
        if str(request.method) in self.UNSAFE_METHODS:
            # The dispatcher looks the handler up after `initial`: the instance's wrapper wins.
            handler = getattr(self, method)

            def once(request: Request, *args: Any, **kwargs: Any) -> Response:
                return run_once(request, handler, *args, **kwargs)

            setattr(self, method, once)

    @staticmethod
    def valid(serializer_class: type[S], request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
