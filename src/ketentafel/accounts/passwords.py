# SPDX-License-Identifier: EUPL-1.2
"""A password validator that refuses guessable passwords, not only short ones (ASVS 6.2.4).

zxcvbn estimates how many guesses a password takes, knowing common passwords, words, names,
keyboard patterns, dates and repeats. It is told the words an attacker aiming at this
deployment would try first: the product, its houses and parties, common Dutch password words
and the user's own name and e-mail address. Houses and parties are read from the database when
a password is checked (accounts sits below covenants, so it names their models by label).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from zxcvbn import zxcvbn

# zxcvbn's own ceiling; its matching grows with length, so a longer password is judged by
# its first 72 characters (and a long passphrase is strong well before that).
CHECKED_LENGTH = 72

PRODUCT_WORDS = ("ketentafel", "veiligheidshuis", "zorg- en veiligheidshuis", "zvh")
# The Dutch words people build passwords on most; zxcvbn's own lists are English.
DUTCH_WORDS = (
    "welkom", "wachtwoord", "geheim", "hallo", "hoi", "liefde", "schat", "voetbal",
    "zomer", "winter", "lente", "herfst", "januari", "februari", "maart", "april", "mei",
    "juni", "juli", "augustus", "september", "oktober", "november", "december", "maandag",
    "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "nederland",
    "gemeente", "politie", "zorg", "veiligheid",
)  # fmt: skip

_WORD = re.compile(r"[^\W\d_]{3,}")

_HINTS: dict[str, Promise] = {
    "context": gettext_lazy(
        "Het bevat een naam van Ketentafel, een veiligheidshuis, een partij of uw account."
    ),
    "dutch": gettext_lazy("Het is gebouwd op een veelgebruikt woord."),
    "passwords": gettext_lazy("Het lijkt op een veelgebruikt wachtwoord."),
    "words": gettext_lazy("Losse bekende woorden en namen zijn makkelijk te raden."),
    "repeat": gettext_lazy('Herhalingen zoals "abcabc" maken een wachtwoord nauwelijks sterker.'),
    "sequence": gettext_lazy('Reeksen zoals "abc" of "6543" zijn makkelijk te raden.'),
    "spatial": gettext_lazy('Toetsenbordpatronen zoals "qwerty" zijn makkelijk te raden.'),
    "date": gettext_lazy("Jaartallen en datums zijn makkelijk te raden."),
}


def _words(text: str) -> list[str]:
    lowered = text.lower()
    return [lowered, *_WORD.findall(lowered)] if lowered else []


def _user_words(user: Any) -> list[str]:
    if user is None:
        return []
    words: list[str] = []
    for attribute in ("username", "first_name", "last_name", "email"):
        value = str(getattr(user, attribute, "") or "")
        words += _words(value)
        if attribute == "email" and "@" in value:
            words += _words(value.split("@", 1)[0])
    party_id = getattr(user, "party_id", None)
    if party_id is not None:
        party = apps.get_model("covenants", "Party").objects.filter(pk=party_id).first()
        if party is not None:
            words += _words(party.name) + _words(party.slug)
    return words


def _deployment_words() -> list[str]:
    words: list[str] = []
    try:
        for model in ("House", "Party"):
            for name, slug in apps.get_model("covenants", model).objects.values_list(
                "name", "slug"
            ):
                words += _words(name) + _words(slug)
    except DatabaseError:
        # createsuperuser before the first migration: there are no houses or parties yet.
        return []
    return words


def context_words(user: Any = None) -> list[str]:
    """The words an attacker of this deployment would try first, for zxcvbn's `user_inputs`."""
    seen: dict[str, None] = {}
    for word in (*PRODUCT_WORDS, *DUTCH_WORDS, *_deployment_words(), *_user_words(user)):
        seen.setdefault(word, None)
    return list(seen)


def _hints(sequence: Iterable[dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for match in sequence:
        pattern = match.get("pattern")
        if pattern == "dictionary":
            dictionary = match.get("dictionary_name")
            if dictionary == "user_inputs":
                key = "dutch" if match.get("matched_word") in DUTCH_WORDS else "context"
            elif dictionary == "passwords":
                key = "passwords"
            else:
                key = "words"
        elif pattern in {"repeat", "sequence", "spatial", "date"}:
            key = str(pattern)
        elif pattern == "regex" and match.get("regex_name") == "recent_year":
            key = "date"
        else:
            continue
        hint = str(_HINTS[key])
        if hint not in found:
            found.append(hint)
    return found


class GuessabilityValidator:
    """Refuse a password zxcvbn scores below `min_score` (0-4) in this deployment's context.

    Score 4 means an estimated 10^10 guesses or more; score 3 would still let "Welkom2024!!"
    through (10^8), which a targeted attacker tries early.
    """

    def __init__(self, min_score: int = 4) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=context_words(user))
        if result["score"] >= self.min_score:
            return
        message = _(
            "Dit wachtwoord is te makkelijk te raden. Kies bijvoorbeeld een zin van vier of "
            "meer woorden die niet bij elkaar horen."
        )
        hints = _hints(result["sequence"])
        raise ValidationError(" ".join([message, *hints]), code="password_too_guessable", params={})

    def get_help_text(self) -> str:
        return _(
            "Uw wachtwoord mag niet makkelijk te raden zijn: geen veelgebruikt wachtwoord, "
            "bekend woord met een jaartal, herhaling of naam van Ketentafel, uw huis, uw partij "
            "of uzelf. Een zin van vier of meer ongewone woorden is sterk en makkelijk te "
            "onthouden."
        )
