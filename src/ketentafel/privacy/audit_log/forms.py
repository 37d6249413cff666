# SPDX-License-Identifier: EUPL-1.2
"""The privacy officer's search of the audit log. Sent by POST, so no id of a person or case
ever stands in a URL, a browser history or a proxy log."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ketentafel.audit.models import Action
from ketentafel.core.forms import ScreenForm
from ketentafel.privacy.audit_log.selectors import EventFilter


class EventSearchForm(ScreenForm):
    person_id = forms.UUIDField(
        label=_("Persoonsnummer"),
        required=False,
        help_text=_("Het (pseudonieme) nummer van een betrokkene, uit een inzageverzoek."),
    )
    case_id = forms.UUIDField(label=_("Casusnummer"), required=False)
    actor_id = forms.IntegerField(label=_("Gebruikersnummer"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Handeling"), required=False, choices=[("", _("Alle")), *Action.choices]
    )
    since = forms.DateTimeField(
        label=_("Vanaf"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    until = forms.DateTimeField(
        label=_("Tot"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until <= since:
            self.add_error("until", _("'Tot' ligt na 'Vanaf'."))
        return data

    def event_filter(self) -> EventFilter:
        data = self.cleaned_data
        return EventFilter(
            person_id=str(data["person_id"]) if data.get("person_id") else None,
            actor_id=data.get("actor_id"),
            case_id=str(data["case_id"]) if data.get("case_id") else None,
            since=data.get("since"),
            until=data.get("until"),
            action=data.get("action") or None,
        )
