# SPDX-License-Identifier: EUPL-1.2
"""Forms of the meeting screens; the services decide the rest and their refusals come back at
the field they name (core.forms.ScreenForm)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketentafel.cases.forms import TriageForm
from ketentafel.cases.models import ClosureReason
from ketentafel.core.forms import ScreenForm, VersionedForm
from ketentafel.core.renderers import SCREEN_RENDERER
from ketentafel.covenants.forms import BodyChoice, PartyChoice
from ketentafel.covenants.models import Body, Covenant, DecisionType, Party, Theme
from ketentafel.meetings.models import AgendaPurpose, Meeting


class MeetingForm(ScreenForm):
    body = BodyChoice(queryset=Body.objects.none(), label=_("Overleg"))
    starts_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)

    def __init__(self, *args: Any, bodies: QuerySet[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies  # type: ignore[attr-defined]


class AgendaSearchForm(ScreenForm):
    """Find a case to put on a meeting's agenda by the name of one of its persons. Sent by
    POST: a name never goes into a URL."""

    search = forms.CharField(
        label=_("Zoek een casus op naam"),
        help_text=_("Voornaam of achternaam van een betrokkene, of een deel ervan."),
        min_length=2,
        max_length=100,
        error_messages={"min_length": _("Typ ten minste twee letters van een naam.")},
    )


class AgendaItemForm(ScreenForm):
    """Put one of the cases found on the agenda (`set_candidates` offers them)."""

    case = forms.UUIDField(
        label=_("Casus"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Zoek en kies een casus.")},
    )
    purpose = forms.ChoiceField(
        choices=AgendaPurpose.choices, label=_("Doel van de bespreking"), widget=forms.RadioSelect
    )

    def set_candidates(self, rows: Sequence[Any]) -> None:
        """Offer the cases found (`selectors.CaseRow`) as the choices of `case`."""
        self.fields["case"].widget.choices = [
            (str(row.pk), f"{row.title} — {row.phase}, {row.house}, {row.referred_on}")
            for row in rows
        ]


class MeetingChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        # The region's own name for the meeting (MDO, Casusoverleg, ...), then when it starts.
        return f"{obj.body.label} {timezone.localtime(obj.starts_at):%d-%m-%Y %H:%M}"


class CaseAgendaForm(ScreenForm):
    """Put the open case on one of its house's planned meetings, from the case page."""

    # services.agenda_item_add names the case for "already on this agenda": here the meeting
    # is what the person chose.
    field_map = {"case": "meeting"}
    default_renderer = SCREEN_RENDERER

    meeting = MeetingChoice(queryset=Meeting.objects.none(), label=_("Overleg"))
    purpose = forms.ChoiceField(
        choices=AgendaPurpose.choices, label=_("Doel van de bespreking"), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class AgendaRecordForm(VersionedForm):
    """Minutes and decisions for one case in a meeting (art. 9.4, Bijlage 3)."""

    field_map = {"decisions[0].text": "decision", "decisions[0].decision_type": "decision_type"}

    minutes = forms.CharField(
        label=_("Verslag"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    progress = forms.CharField(
        label=_("Voortgang"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    case_coordinator_party = PartyChoice(
        queryset=Party.objects.none(), label=_("Casusregisseur (partij)"), required=False
    )
    informs_client = forms.CharField(
        label=_("Wie informeert de cliënt?"), required=False, max_length=300
    )
    on_arrest = forms.CharField(
        label=_("Wat gebeurt er bij aanhouding?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    closure_criteria = forms.CharField(
        label=_("Criteria voor afschaling"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision_type = forms.ModelChoiceField(
        queryset=DecisionType.objects.none(), label=_("Soort besluit"), required=False
    )
    decision = forms.CharField(
        label=_("Besluit"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        parties: QuerySet[Party],
        decision_types: QuerySet[DecisionType],
        case_coordinator_word: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_coordinator_party"].queryset = parties  # type: ignore[attr-defined]
        self.fields["decision_type"].queryset = decision_types  # type: ignore[attr-defined]
        if case_coordinator_word:
            # The region's word for the role (`[roles.labels]`).
            self.fields["case_coordinator_party"].label = _("%(word)s (partij)") % {
                "word": case_coordinator_word
            }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision_type") and not (data.get("decision") or "").strip():
            self.add_error("decision", _("Beschrijf het besluit."))
        return data


class ClosureForm(ScreenForm):
    # Removed where the track closes without a meeting (`needs_meeting=False`).
    agenda_item = forms.ChoiceField(label=_("Besloten in"), choices=())
    reason = forms.ChoiceField(
        choices=ClosureReason.choices, widget=forms.RadioSelect, label=_("Reden van afschaling")
    )
    handed_over_to = PartyChoice(
        queryset=Party.objects.none(),
        label=_("Overgedragen aan"),
        required=False,
        help_text=_("Alleen bij overdracht aan een partij."),
    )
    explanation = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    referrer_notice = forms.CharField(
        label=_("Bericht aan de aanmelder"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat de aanmelder over de afschaling is meegedeeld."),
    )

    def __init__(
        self,
        *args: Any,
        agenda_items: list[tuple[str, str]],
        parties: QuerySet[Party],
        needs_meeting: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = agenda_items  # type: ignore[attr-defined]
        if not needs_meeting:
            del self.fields["agenda_item"]
        self.fields["handed_over_to"].queryset = parties  # type: ignore[attr-defined]


class SessionDecisionForm(TriageForm):
    """A decision of a held session on one case, with what its effect records (ADR 0018): the
    triage criteria, goal, themes and invitations when it weighs the case, the notice to the
    referrer and the party taking over when it closes or hands over the case."""

    field_map = {
        **TriageForm.field_map,
        "text": "decision",
        "justification": "invite_justification",
        "invitations[0].justification": "invite_justification",
    }

    decision_type = forms.ModelChoiceField(
        queryset=DecisionType.objects.none(), label=_("Besluit van het overleg")
    )
    decision = forms.CharField(
        label=_("Toelichting bij het besluit"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    referrer_notice = forms.CharField(
        label=_("Bericht aan de aanmelder"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bij afsluiten of overdracht: wat de aanmelder wordt meegedeeld."),
    )
    handed_over_to = PartyChoice(
        queryset=Party.objects.none(),
        label=_("Regie naar"),
        required=False,
        help_text=_("Bij overdracht: de partij die de regie voert."),
    )
    invite_justification = forms.CharField(
        label=_("Rechtvaardiging voor partijen buiten de kernpartijen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        decision_types: QuerySet[DecisionType],
        themes: QuerySet[Theme],
        parties: QuerySet[Party],
        covenant: Covenant,
        **kwargs: Any,
    ) -> None:
        # Its own ids: it shares the agenda item's page with the minutes form (`AgendaRecordForm`),
        # whose fields have the same names.
        kwargs.setdefault("auto_id", "decide_%s")
        super().__init__(*args, themes=themes, parties=parties, covenant=covenant, **kwargs)
        del self.fields["outcome"]
        self.fields["explanation"].required = False
        self.fields["decision_type"].queryset = decision_types  # type: ignore[attr-defined]
        self.fields["handed_over_to"].queryset = parties  # type: ignore[attr-defined]

    def weighing_fields(self) -> list[Any]:
        """The fields of the triage decision the session records, as the region has them."""
        names = [
            "serious_area_problem",
            "system_impact",
            "multiple_chains_needed",
            "multiple_problems",
            "explanation",
            "municipality_view",
            "referrer_consulted",
            "referrer_consulted_on",
            "referrer_consultation",
            "goal",
            "themes",
            "invite",
            "invite_reason",
            "invite_justification",
        ]
        return [self[name] for name in names if name in self.fields]
