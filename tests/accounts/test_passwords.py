# SPDX-License-Identifier: EUPL-1.2
"""Guessable passwords are refused, strong and long passphrases accepted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation

from ketentafel.accounts.models import User
from ketentafel.accounts.passwords import GuessabilityValidator, context_words
from ketentafel_devtools.management.commands.demo import DEMO_PASSWORD
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MakeUser = Callable[..., User]


def _refusal(password: str, user: User | None = None) -> str:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=user)
    return " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "password", ["Password123!", "Welkom2024!!", "Ketentafel2026!", "Welkom01!Welkom01!"]
)
def test_guessable_passwords_are_refused_with_a_dutch_reason(
    make_user: MakeUser, password: str
) -> None:
    message = _refusal(password, make_user())
    assert "Dit wachtwoord is te makkelijk te raden." in message


def test_the_reason_names_what_makes_it_guessable() -> None:
    assert "veelgebruikt woord" in _refusal("Welkom2024!!")
    assert "naam van Ketentafel" in _refusal("Ketentafel2026!")
    assert "Herhalingen" in _refusal("Welkom01!Welkom01!")
    assert "veelgebruikt wachtwoord" in _refusal("Password123!")


def test_the_reason_is_english_for_english_users() -> None:
    with translation.override("en"):
        assert "This password is too easy to guess." in _refusal("Welkom2024!!")


def test_the_houses_and_parties_of_the_deployment_count_as_guessable(
    mini_region: object,
) -> None:
    # Accepted by zxcvbn on its own; built from the party name "Gemeente Noordstad".
    assert GuessabilityValidator().validate("Zuidhaven-Kerkpad-77") is None
    assert "noordstad" in context_words()
    assert "naam van Ketentafel" in _refusal("GemeenteNoordstad1!")


def test_the_users_own_name_counts_as_guessable(make_user: MakeUser) -> None:
    user = make_user("mhendriksen")
    user.first_name, user.last_name = "Marijke", "Hendriksen"
    validator = GuessabilityValidator()
    validator.validate("MarijkeHendriksen77", user=None)
    with pytest.raises(ValidationError, match="naam van Ketentafel"):
        validator.validate("MarijkeHendriksen77", user=user)


@pytest.mark.parametrize(
    "password",
    [
        "lantaarn kikker deegroller moeras",
        "de blauwe reiger vist elke dinsdag in de gracht achter het oude stadhuis van zuidhaven",
    ],
)
def test_strong_and_long_passphrases_are_accepted(make_user: MakeUser, password: str) -> None:
    validate_password(password, user=make_user())


def test_a_passphrase_of_64_characters_or_more_is_accepted(make_user: MakeUser) -> None:
    password = "de blauwe reiger vist elke dinsdag in de gracht achter het stadhuis " * 3
    assert len(password) > 200
    validate_password(password, user=make_user())


def test_the_test_suites_password_passes(make_user: MakeUser) -> None:
    validate_password(PASSWORD, user=make_user())


def test_the_demo_password_would_be_refused_and_is_set_without_validation() -> None:
    # The demo accounts are created by the demo command, not through a password form; their
    # shared password is printed on purpose and would not pass.
    assert "demo" in DEMO_PASSWORD
    assert "te makkelijk te raden" in _refusal(DEMO_PASSWORD)


def test_the_help_text_explains_the_rule() -> None:
    assert any("makkelijk te raden" in text for text in password_validators_help_texts())
