# SPDX-License-Identifier: EUPL-1.2
"""Forms of the case screens. They validate what a person typed; the services decide the rest
and their refusals come back at the field they name (core.forms.ScreenForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketentafel.accounts.models import Role, User
from ketentafel.cases.models import Phase, SubjectKind, TriageOutcome
from ketentafel.core.forms import ScreenForm
from ketentafel.core.renderers import SCREEN_RENDERER
from ketentafel.covenants.criteria import CRITERION_FIELDS, Criteria
from ketentafel.covenants.forms import DATE, PartiesChoice, PartyChoice, UserChoice
from ketentafel.covenants.models import Covenant, House, Party, Theme, Track


class ReferralForm(ScreenForm):
    """The referral form (Gelderland-Midden Bijlage 3: at least personalia, problem, goal)."""

    field_map = {"persons": "subject_kind"}

    house = forms.ModelChoiceField(queryset=House.objects.none(), label=_("Veiligheidshuis"))
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(),
        label=_("Werkproces"),
        help_text=_("Het werkproces bepaalt het privacyprotocol dat voor de casus geldt."),
    )
    subject_kind = forms.ChoiceField(
        choices=SubjectKind.choices,
        widget=forms.RadioSelect,
        label=_("Over wie gaat de aanmelding?"),
        initial=SubjectKind.PERSON,
    )
    area_description = forms.CharField(
        label=_("Beschrijving van het gebied"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen bij een gebied: welke straat, wijk of plek."),
    )
    municipality = PartyChoice(queryset=Party.objects.none(), label=_("Gemeente"))
    problem_statement = forms.CharField(
        label=_("Problematiek"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wat speelt er, op welke leefgebieden, en waarom lukt het niet alleen?"),
    )
    goal = forms.CharField(
        label=_("Doel van de aanmelding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat moet de samenwerking in het huis opleveren?"),
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        label=_("Thema's"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The advice request this referral follows on (an opaque id from the advice page).
    advice_request = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        houses: QuerySet[House],
        tracks: QuerySet[Track],
        municipalities: QuerySet[Party],
        themes: QuerySet[Theme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["house"].queryset = houses  # type: ignore[attr-defined]
        self.fields["track"].queryset = tracks  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]

    def map_field(self, field: str | None) -> str | None:
        # The advice request is hidden: a refusal of it is shown above the form.
        return None if field == "advice_request" else super().map_field(field)


class PersonForm(ScreenForm):
    given_names = forms.CharField(label=_("Voornamen"), max_length=120)
    surname = forms.CharField(label=_("Achternaam"), max_length=120)
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=DATE)
    bsn = forms.RegexField(
        regex=r"^[0-9]{9}$",
        label=_("BSN"),
        required=False,
        error_messages={"invalid": _("Een BSN bestaat uit 9 cijfers.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Adres"), max_length=200, required=False)
    municipality = forms.CharField(label=_("Woonplaats"), max_length=100, required=False)


class OptionalPersonForm(PersonForm):
    """A further person of a family system; left empty, it is no person."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False


class BasePersonFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The persons of a referral: no more than the screen shows, whatever the page sends."""

    default_error_messages = {
        "too_many_forms": _("Meld hoogstens %(num)d personen tegelijk aan."),
    }


PersonFormSet = forms.formset_factory(
    OptionalPersonForm,
    formset=BasePersonFormSet,
    extra=3,
    max_num=3,
    validate_max=True,
    # However many forms a page claims to send, no more than these are built (a POST naming
    # 5,000 forms built 1,003 before it was refused).
    absolute_max=3,
)


class IntakeForm(ScreenForm):
    # The case page's forms list every coordinator, party and meeting to choose from.
    default_renderer = SCREEN_RENDERER

    information_coordinator = UserChoice(
        queryset=User.objects.none(), label=_("Informatiecoördinator")
    )

    def __init__(
        self, *args: Any, coordinators: QuerySet[User], covenant: Covenant, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not covenant.has_information_coordinator:
            # The covenant has none (Midden-Limburg art. 3.1): the process coordinator enriches.
            del self.fields["information_coordinator"]
            return
        field = self.fields["information_coordinator"]
        field.queryset = coordinators  # type: ignore[attr-defined]
        field.label = covenant.role_label(Role.INFORMATION_COORDINATOR)


class InvitationForm(ScreenForm):
    default_renderer = SCREEN_RENDERER

    party = PartyChoice(queryset=Party.objects.none(), label=_("Partij"))
    role = forms.CharField(label=_("Rol in de casus"), max_length=200)
    information_need = forms.CharField(
        label=_("Informatiebehoefte"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Welke informatie heeft deze partij nodig, en waarvoor (doelbinding)?"),
    )
    # Where the track admits others than its core parties only with a reason (Gelderland-Midden
    # Bijlage 3, Proces radicalisering: "externe casuspartners").
    justification = forms.CharField(
        label=_("Waarom deze partij deelneemt"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Nodig voor een partij die geen kernpartij van het werkproces is."),
    )

    def __init__(self, *args: Any, parties: QuerySet[Party], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties  # type: ignore[attr-defined]


class TriageForm(ScreenForm):
    """The triage decision with the complex-case criteria of Bijlage 2 as checks."""

    field_map = {
        "criteria": "multiple_problems",
        "advice": "explanation",
        "invitations": "invite",
        "invitations[0].party": "invite",
    }

    serious_area_problem = forms.BooleanField(
        required=False, label=_("Ernstige lokale of gebiedsgebonden veiligheidsproblematiek")
    )
    system_impact = forms.BooleanField(
        required=False, label=_("Invloed op en van het (gezins)systeem")
    )
    multiple_chains_needed = forms.BooleanField(
        required=False, label=_("Samenwerking tussen meerdere ketens nodig")
    )
    multiple_problems = forms.BooleanField(
        required=False, label=_("Meerdere problemen op meer leefgebieden")
    )
    outcome = forms.ChoiceField(
        choices=TriageOutcome.choices, widget=forms.RadioSelect, label=_("Besluit")
    )
    explanation = forms.CharField(
        label=_("Toelichting"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bij 'geen casus voor het huis' is dit het advies aan de aanmelder."),
    )
    goal = forms.CharField(
        label=_("Doel van het casusoverleg"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        label=_("Thema's"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invite = PartiesChoice(
        queryset=Party.objects.none(),
        label=_("Uit te nodigen partijen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen partijen die rechtmatig aan tafel mogen zitten."),
    )
    invite_reason = forms.CharField(
        label=_("Rol en informatiebehoefte van de uitgenodigde partijen"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    municipality_view = forms.CharField(
        label=_("Zienswijze van de gemeente"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    referrer_consulted = forms.BooleanField(
        required=False, label=_("Met de aanmelder overlegd over deze beoordeling")
    )
    referrer_consulted_on = forms.DateField(
        label=_("Datum van het overleg"), required=False, widget=DATE
    )
    referrer_consultation = forms.CharField(
        label=_("Samenvatting van het overleg met de aanmelder"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        themes: QuerySet[Theme],
        parties: QuerySet[Party],
        covenant: Covenant | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes  # type: ignore[attr-defined]
        self.fields["invite"].queryset = parties  # type: ignore[attr-defined]
        # The criteria in the region's words (`[criteria]`); a key the region does not use
        # stays off the form.
        labels = (covenant.criteria if covenant else Criteria.national()).labels
        for key, name in CRITERION_FIELDS.items():
            if key in labels:
                self.fields[name].label = f"{key}. {labels[key]}"
            else:
                del self.fields[name]
        if covenant is None:
            return
        if covenant.municipality_view_required:
            self.fields["municipality_view"].help_text = _(
                "Verplicht bij een besluit over de casus (%(source)s)."
            ) % {"source": covenant.municipality_view_source}
        if covenant.referrer_consultation_source:
            self.fields["referrer_consulted"].help_text = _(
                "De beoordeling geschiedt in overleg met de partij die de casus aanmeldde "
                "(%(source)s)."
            ) % {"source": covenant.referrer_consultation_source}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("invite") and not (data.get("invite_reason") or "").strip():
            self.add_error(
                "invite_reason", _("Leg vast waarom deze partijen aan tafel komen (art. 9.4c).")
            )
        return data


class CaseListForm(ScreenForm):
    """The case list's filter and page (neither is personal data, so they may be in a URL)."""

    fase = forms.ChoiceField(
        label=_("Fase"),
        required=False,
        choices=[("", _("Alle fasen")), *Phase.choices],
    )
    pagina = forms.IntegerField(label=_("Pagina"), required=False, min_value=1, max_value=10000)
