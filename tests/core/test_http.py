# SPDX-License-Identifier: EUPL-1.2
"""`core.http.actor` gives the logged-in user and refuses a request without one, on a screen
and in the API alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from ketentafel.accounts.models import User
from ketentafel.core.http import actor


def test_the_actor_of_a_screen_request_is_its_user(make_user: Callable[..., User]) -> None:
    user = make_user()
    request = RequestFactory().get("/")
    request.user = user
    assert actor(request) == user


def test_the_actor_of_an_api_request_is_its_user(make_user: Callable[..., User]) -> None:
    user = make_user()
    request = Request(RequestFactory().get("/"))
    request.user = user
    assert actor(request) == user


def test_an_anonymous_screen_request_is_refused() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        actor(request)


def test_an_anonymous_api_request_is_refused_as_not_logged_in() -> None:
    request = Request(RequestFactory().get("/"))
    request.user = AnonymousUser()
    with pytest.raises(NotAuthenticated):
        actor(request)


def test_a_request_without_authentication_is_refused() -> None:
    """A DRF request whose authenticators all decline has no user at all: still refused."""
    request = Request(RequestFactory().get("/"), authenticators=())
    with pytest.raises(NotAuthenticated):
        actor(request)
