# SPDX-License-Identifier: EUPL-1.2
"""Login, the second factor (TOTP), enrolment and logout; confirming granted roles."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketentafel.accounts.forms import RoleDecisionForm, TokenForm
from ketentafel.accounts.models import User
from ketentafel.accounts.selectors import pending_roles_for
from ketentafel.accounts.services import house_role_confirm, house_role_reject, sign_in_record
from ketentafel.core import http
from ketentafel.core.errors import DomainError, NotAllowed, NotFound
from ketentafel.core.views import ScreenView


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _safe_next(request: HttpRequest) -> str:
    """The `next` address if it stays on this host (and on HTTPS when the request came so)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _second_factor_complete(request: HttpRequest, device: TOTPDevice) -> None:
    """Mark the session verified under a new session key.

    django-otp's `login` only stores the device in the session; a key that was issued before
    the second factor (and could have been planted or seen) must not become the key of a
    fully signed-in session (ASVS 7.2.4).
    """
    otp_login(request, device)
    request.session.cycle_key()


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _demo_code(user: User, device: TOTPDevice) -> str | None:
    """The current code, shown only to demo users under development settings."""
    if not (settings.KETENTAFEL_DEMO and user.is_demo):
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = http.actor(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(settings.LOGIN_REDIRECT_URL)
    device = _confirmed_device(user)
    if device is None:
        return redirect("accounts:setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST":
        succeeded = form.is_valid()
        sign_in_record(user=user, step="second_factor", succeeded=succeeded)
        if succeeded:
            _second_factor_complete(request, device)
            return redirect(_safe_next(request))
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "demo_code": _demo_code(user, device)},
    )


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the key as QR code, confirm with a first code."""
    user = http.actor(request)
    if _confirmed_device(user) is not None:
        return redirect("accounts:verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        sign_in_record(user=user, step="second_factor", succeeded=True)
        _second_factor_complete(request, device)
        return redirect(settings.LOGIN_REDIRECT_URL)
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(svg.to_string(encoding="unicode")),  # noqa: S308  generated SVG
            "secret": device.key,
        },
    )


@login_not_required
def locked_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)


class LogoutView(auth_views.LogoutView):
    pass


# Confirming granted roles (four-eyes) ----------------------------------------------------------


class RoleConfirmListView(ScreenView):
    """The roles granted in the reader's houses that wait for a second person's confirmation."""

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = list(pending_roles_for(http.actor(request)))
        return render(request, "accounts/role_confirm.html", {"rows": rows})


class RoleDecideView(ScreenView):
    """Confirm or reject one pending role, then back to the list with a message."""

    def post(self, request: HttpRequest, house_role_id: int) -> HttpResponse:
        actor = http.actor(request)
        form = RoleDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Kies bevestigen of afwijzen."))
            return redirect("accounts:role-confirm")
        try:
            if form.cleaned_data["decision"] == "confirm":
                house_role_confirm(actor=actor, house_role_id=house_role_id)
                messages.success(request, _("De rol is bevestigd en geldt vanaf nu."))
            else:
                house_role_reject(actor=actor, house_role_id=house_role_id)
                messages.success(request, _("De rol is afgewezen en geldt niet."))
        except (NotFound, NotAllowed):
            raise
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("accounts:role-confirm")
