# SPDX-License-Identifier: EUPL-1.2
"""The OpenAPI description of what every operation shares: its problem responses.

Kept apart from `core.api` because drf-spectacular reads the REST framework settings on import,
and those name `core.api`'s permission and parser.
"""

from __future__ import annotations

import inspect
from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from ketentafel.core.api import MAX_BODY_BYTES, PROBLEM
from ketentafel.core.idempotency import HEADER, KEY_PATTERN, REPLAYED_HEADER


class FieldError(serializers.Serializer[Any]):
    field = serializers.CharField(
        help_text="The field at fault, as `persons[0].bsn`; empty for the whole request."
    )
    message = serializers.CharField()


class Problem(serializers.Serializer[Any]):
    """RFC 9457 problem document; only describes the answers `problem` writes."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    # The member RFC 9457 extensions here call `errors`; the class only describes, never validates.
    errors = FieldError(many=True, required=False)  # type: ignore[assignment]
    step = serializers.CharField(
        required=False,
        help_text="Bij een 409 van een processtap: de geweigerde stap, zoals `start_intake`.",
    )
    state = serializers.CharField(
        required=False,
        help_text="Bij een 409 van een processtap: de fase of status waarin hij werd geweigerd.",
    )


class StaleProblem(Problem):
    """The problem of a stale `If-Match`, naming the version that is stored now."""

    current_version = serializers.IntegerField(
        help_text="De versie die nu is opgeslagen; ook de `ETag` van dit antwoord."
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    type=str,
    location=OpenApiParameter.HEADER,
    required=True,
    pattern=r'^(\*|"[0-9]{1,9}")$',
    description=(
        'De `ETag` van de versie waarop deze wijziging voortbouwt, zoals `"3"` (of `*`: '
        "welke versie ook). Zonder deze header 428; is het record intussen gewijzigd, dan 412 "
        "en blijft alles zoals het was (docs/api.md, voorwaardelijke wijzigingen)."
    ),
)


def _etag(codes: list[int]) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        type=str,
        location=OpenApiParameter.HEADER,
        required=True,
        pattern=r'^"[0-9]+"$',
        response=codes,
        description="De versie van het record in dit antwoord; stuur haar mee als `If-Match`.",
    )


ERROR_DESCRIPTIONS = {
    400: "Ongeldige invoer: `errors` noemt elk veld (of elke onbekende queryparameter); niets "
    "is opgeslagen.",
    401: "Niet ingelogd, of niet voorbij de tweede factor.",
    403: "Niet toegestaan: geen tweede factor, of u mag dit niet met dit object.",
    404: "Bestaat niet of u heeft er geen toegang toe; die twee zijn niet te onderscheiden.",
    406: "De `Accept`-header sluit JSON uit.",
    409: "Niet mogelijk in de huidige fase of toestand, of een verzoek met dezelfde "
    "`Idempotency-Key` is nog in behandeling.",
    413: f"De aanvraag is groter dan {MAX_BODY_BYTES // 1024} KiB.",
    415: "De aanvraag is geen JSON (`Content-Type: application/json`).",
    412: "Intussen gewijzigd: de `If-Match` noemt niet de opgeslagen versie; niets is "
    "opgeslagen. `current_version` en de `ETag` noemen de huidige versie.",
    428: "De header `If-Match` ontbreekt; niets is opgeslagen.",
    422: "Deze `Idempotency-Key` is al gebruikt voor een ander verzoek (andere methode, pad of "
    "inhoud); niets is opgeslagen.",
}

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Een sleutel die de client per schrijfactie kiest (bijvoorbeeld een UUID). Hetzelfde "
        "verzoek opnieuw met dezelfde sleutel doet de schrijfactie niet nog eens maar geeft het "
        f"eerste antwoord terug, met `{REPLAYED_HEADER}: true`; 24 uur bewaard. Zie docs/api.md."
    ),
    pattern=KEY_PATTERN,
)


class ProblemAutoSchema(AutoSchema):
    """Declares every problem response an operation can answer, next to its own responses.

    Every operation can answer 400 (an unknown query parameter, bad input), 401, 403, 404
    (missing or not visible, also for an id in the body) and 406 (an `Accept` header that rules
    out JSON); one that changes something also
    409; one with a request body also 413 and 415. A POST declares the `Idempotency-Key`
    header and its 422. One that changes a versioned record (`ApiView.conditional_methods`)
    takes `If-Match` and can answer 412 and 428; it and the GET of a versioned record
    (`versioned_read`) answer an `ETag`. Set once here so no view can forget one.
    """

    def _is_conditional(self) -> bool:
        return self.method in getattr(self.view, "conditional_methods", ())

    def get_override_parameters(self) -> list[Any]:
        parameters: list[Any] = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        if self._is_conditional():
            parameters.extend([IF_MATCH, _etag([200, 412])])
        elif self.method == "GET" and getattr(self.view, "versioned_read", False):
            parameters.append(_etag([200]))
        return parameters

    def get_description(self) -> str:  # type: ignore[override]
        """The operation's own docstring, else its view's; not the one `ApiView` passes down."""
        action = getattr(self.view, self.method.lower(), None)
        own = action.__doc__ if action is not None else None
        return inspect.cleandoc(own or self.view.__class__.__dict__.get("__doc__") or "")

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction)
        codes = [400, 401, 403, 404, 406]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append(409)
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            codes.extend([413, 415])
        if self.method == "POST":
            codes.append(422)
        if self._is_conditional():
            codes.extend([412, 428])
        for code in codes:
            if str(code) not in bodies:
                schema = StaleProblem if code == 412 else Problem
                bodies[str(code)] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                    OpenApiResponse(schema, description=ERROR_DESCRIPTIONS[code]),
                    str(code),
                    [PROBLEM],
                    direction,
                )
        return bodies
