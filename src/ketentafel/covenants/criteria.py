# SPDX-License-Identifier: EUPL-1.2
"""The complex-case criteria of a covenant (Bijlage 2) and the rule that combines them, as data.

A region file names its criteria by the keys of the national model (Landelijk Kader
Veiligheidshuizen, the Bijlage 2 every seed covenant copies): A, B, C and D, each a check the
triage decision records (`TriageDecision` keeps one field per key). The region gives each its
own wording and combines them with a rule such as ``(A or B) and C and D``: a tiny grammar of
`and`, `or` and parentheses over the keys, parsed here without `eval`. `and` binds tighter
than `or`, as in Python and in the covenant's own reading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

#: The national criteria by key, with the TriageDecision field that records each.
CRITERION_FIELDS: dict[str, str] = {
    "A": "serious_area_problem",
    "B": "system_impact",
    "C": "multiple_chains_needed",
    "D": "multiple_problems",
}

#: Bijlage 2 of the national model, as every seed covenant words it (e.g. Gelderland-Midden
#: Convenant 2020, Midden-Nederland, IJsselland, Midden-Limburg: each its Bijlage 2). Used for
#: a region file without a `[criteria]` table.
NATIONAL_RULE = "(A or B) and C and D"
NATIONAL_SOURCE = "Landelijk Kader Veiligheidshuizen, criteria complexe casuïstiek (Bijlage 2)"
NATIONAL_LABELS: dict[str, str] = {
    "A": "Ernstige lokale of gebiedsgebonden veiligheidsproblematiek",
    "B": "Invloed op en van het (gezins)systeem",
    "C": "Samenwerking tussen meerdere ketens nodig",
    "D": "Meerdere problemen op meer leefgebieden",
}

_TOKEN = re.compile(r"\s*(?:(\()|(\))|([A-Za-z_][A-Za-z0-9_]*)|(\S))")


class RuleError(ValueError):
    """A rule that is not a combination of the known keys with and, or and parentheses."""


@dataclass(frozen=True)
class Key:
    name: str


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Expr, ...]


Expr = Key | AllOf | AnyOf


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing whitespace is left
            break
        opening, closing, word, other = match.groups()
        if other is not None:
            raise RuleError(f"unexpected {other!r} at position {match.start(4) + 1}")
        tokens.append(opening or closing or word)
        position = match.end()
    return tokens


def parse_rule(text: str, keys: Sequence[str]) -> Expr:
    """The expression of `text`, whose names must all be in `keys`; raises RuleError."""
    tokens = _tokens(text)
    if not tokens:
        raise RuleError("the rule is empty")
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        token = peek()
        if token is None:
            raise RuleError("the rule ends too soon")
        position += 1
        return token

    def either() -> Expr:
        parts = [both()]
        while peek() == "or":
            take()
            parts.append(both())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def both() -> Expr:
        parts = [atom()]
        while peek() == "and":
            take()
            parts.append(atom())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def atom() -> Expr:
        part = take()
        if part == "(":
            inner = either()
            if take() != ")":
                raise RuleError("a '(' is not closed")
            return inner
        if part in ("and", "or", ")"):
            raise RuleError(f"expected a criterion, found {part!r}")
        if part not in keys:
            raise RuleError(f"unknown criterion {part!r}; the criteria are {', '.join(keys)}")
        return Key(part)

    expr = either()
    if position != len(tokens):
        raise RuleError(f"unexpected {tokens[position]!r} after the end of the rule")
    return expr


def evaluate(expr: Expr, values: Mapping[str, bool]) -> bool:
    if isinstance(expr, Key):
        return bool(values[expr.name])
    if isinstance(expr, AllOf):
        return all(evaluate(part, values) for part in expr.parts)
    return any(evaluate(part, values) for part in expr.parts)


def keys_of(expr: Expr) -> set[str]:
    if isinstance(expr, Key):
        return {expr.name}
    return {key for part in expr.parts for key in keys_of(part)}


def _words(expr: Expr, labels: Mapping[str, str], *, nested: bool = False) -> str:
    if isinstance(expr, Key):
        return f"{expr.name} ({labels[expr.name].rstrip('.;: ').lower()})"
    joined = (
        gettext("%(one)s en %(other)s")
        if isinstance(expr, AllOf)
        else gettext("%(one)s of %(other)s")
    )
    parts = [_words(part, labels, nested=True) for part in expr.parts]
    text = parts[0]
    for part in parts[1:]:
        text = joined % {"one": text, "other": part}
    return f"[{text}]" if nested else text


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    source: str


@dataclass(frozen=True)
class Criteria:
    """A covenant's criteria and their rule, as stored on the covenant (`Covenant.criteria`)."""

    rule: str
    source: str
    items: tuple[Criterion, ...]

    @classmethod
    def national(cls) -> Criteria:
        return cls(
            rule=NATIONAL_RULE,
            source=NATIONAL_SOURCE,
            items=tuple(
                Criterion(k, label, NATIONAL_SOURCE) for k, label in NATIONAL_LABELS.items()
            ),
        )

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Criteria:
        """From the covenant's stored form; the national criteria when nothing is stored."""
        if not data:
            return cls.national()
        return cls(
            rule=data["rule"],
            source=data["source"],
            items=tuple(Criterion(i["key"], i["label"], i["source"]) for i in data["items"]),
        )

    def as_data(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "source": self.source,
            "items": [{"key": c.key, "label": c.label, "source": c.source} for c in self.items],
        }

    @property
    def labels(self) -> dict[str, str]:
        return {c.key: c.label for c in self.items}

    def meets(self, values: Mapping[str, bool]) -> bool:
        """Whether checks by key (A-D) satisfy the rule."""
        return rule_meets(self.rule, values)

    def in_words(self) -> str:
        """The rule with each criterion's wording, for a refusal or a form's description."""
        return _words(parse_rule(self.rule, list(self.labels)), self.labels)


def rule_meets(rule: str, values: Mapping[str, bool]) -> bool:
    return evaluate(parse_rule(rule, list(CRITERION_FIELDS)), values)
