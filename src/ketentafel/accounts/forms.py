# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketentafel.core.forms import ScreenForm


class TokenForm(forms.Form):
    """A six-digit code from the user's authenticator app, checked against `device`."""

    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Te veel onjuiste codes. Wacht even en probeer het opnieuw.")
            )
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(_("Deze code is onjuist of verlopen."))
        return token


class RoleDecisionForm(ScreenForm):
    """Confirm or reject one role that awaits confirmation."""

    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("confirm", _("Bevestigen")), ("reject", _("Afwijzen"))],
    )
