# SPDX-License-Identifier: EUPL-1.2
"""A base for API views: JSON in, problem responses out, no login redirect."""

from __future__ import annotations

from typing import Any, TypeVar

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

S = TypeVar("S", bound=serializers.BaseSerializer[Any])


class ApiView(APIView):
    """API views answer 401/403 problems themselves instead of redirecting to the login page."""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view = super().as_view(**initkwargs)
        view.login_required = False  # type: ignore[attr-defined]
        return view

    @staticmethod
    def valid(serializer_class: type[S], request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
