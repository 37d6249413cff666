# SPDX-License-Identifier: EUPL-1.2
"""The screen form renderer writes what Django's widget templates write, character for
character, for every widget it builds itself, and leaves the others to the templates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from ketentafel.accounts.models import Role
from ketentafel.cases import selectors
from ketentafel.cases.forms import IntakeForm, InvitationForm
from ketentafel.core.renderers import SCREEN_RENDERER
from ketentafel.covenants import selectors as covenants
from ketentafel.information.forms import ItemForm
from ketentafel.meetings import selectors as meeting_selectors
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.forms import CaseAgendaForm
from tests.cases import flows
from tests.cases.conftest import World

DJANGO = DjangoTemplates()


class OwnOptions(forms.Select):
    """A select with its own option template, which the renderer leaves to the templates."""

    option_template_name = "django/forms/widgets/input_option.html"


class EveryWidget(forms.Form):
    text = forms.CharField(
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "placeholder": gettext_lazy("Naam <b>"),
                "data-safe": mark_safe("<i>"),
                "disabled": True,
                "hidden": False,
                "size": 3,
            }
        ),
    )
    select = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("x", "X & <y>"),
            ("Groep", [("g1", "G1"), ("g2", mark_safe("<b>G2</b>"))]),
            (3, 3),
        ]
    )
    checkboxes = forms.MultipleChoiceField(
        choices=[("1", "één"), ("2", gettext_lazy("Twee"))], widget=forms.CheckboxSelectMultiple
    )
    radios = forms.ChoiceField(choices=[("1", "een"), ("2", "twee")], widget=forms.RadioSelect)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    flag = forms.BooleanField(required=False)
    number = forms.IntegerField()
    hidden = forms.CharField(widget=forms.HiddenInput)
    several = forms.MultipleChoiceField(choices=[("1", "een"), ("2", "twee")])
    email = forms.EmailField()
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    own_options = forms.ChoiceField(choices=[("a", "A")], widget=OwnOptions)
    link = forms.URLField(assume_scheme="https")
    at = forms.TimeField()
    moment = forms.DateTimeField()
    query = forms.CharField(widget=forms.SearchInput)
    phone = forms.CharField(widget=forms.TelInput)
    colour = forms.CharField(widget=forms.ColorInput)
    upload = forms.FileField(widget=forms.FileInput)


def _same(form_class: type[forms.Form], data: Any, **kwargs: Any) -> None:
    django = form_class(data, renderer=DJANGO, **kwargs)
    screen = form_class(data, renderer=SCREEN_RENDERER, **kwargs)
    for name in django.fields:
        assert str(screen[name]) == str(django[name]), name
        for ours, theirs in zip(screen[name], django[name], strict=True):
            for wrap_label in (False, True):
                assert ours.tag(wrap_label) == theirs.tag(wrap_label), name
    assert str(screen) == str(django)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": "a\"<>&'",
            "select": "g2",
            "checkboxes": ["1", "2"],
            "radios": "2",
            "area": "regel 1\n<regel> 2",
            "day": "2026-01-02",
            "flag": "on",
            "number": "12",
            "hidden": "v",
            "several": ["2"],
            "email": "a@example.invalid",
            "secret": "geheim",
            "own_options": "a",
            "link": "https://example.invalid/?a=1&b=<2>",
            "at": "10:30",
            "moment": "2026-01-02 10:30",
            "query": "zoek",
            "phone": "+31 6",
            "colour": "#ffffff",
        },
        {"select": "3", "area": "", "number": "x"},
    ],
)
def test_every_widget_reads_as_django_writes_it(data: Any) -> None:
    _same(EveryWidget, data)


@given(
    value=st.text(max_size=30),
    label=st.text(max_size=30),
    attr=st.one_of(st.booleans(), st.text(max_size=10), st.integers()),
)
def test_any_text_is_escaped_as_django_escapes_it(value: str, label: str, attr: Any) -> None:
    class Form(forms.Form):
        choice = forms.ChoiceField(
            choices=[(value, label), ("other", label)], widget=forms.Select(attrs={"data-a": attr})
        )
        radio = forms.ChoiceField(choices=[(value, label)], widget=forms.RadioSelect)
        text = forms.CharField(widget=forms.TextInput(attrs={"title": attr}))
        area = forms.CharField(widget=forms.Textarea)

    _same(Form, {"choice": value, "radio": value, "text": label, "area": label})


@pytest.mark.django_db
def test_the_case_page_and_dossier_forms_read_as_django_writes_them(world: World) -> None:
    case = flows.accepted(world)
    for days in (3, 10):
        meeting_services.meeting_schedule(
            actor=world.secretary,
            house_id=world.house.pk,
            body_id=world.mdo.pk,
            starts_at=timezone.now() + datetime.timedelta(days=days),
        )
    access = selectors.access_for_read(world.pc, case.pk)
    meetings = meeting_selectors.case_agenda_for(access).meetings
    assert meetings.count() == 2
    house = case.house_id
    for data in (None, {"party": str(world.party["vivare"].pk), "meeting": "x"}):
        _same(
            IntakeForm,
            data,
            coordinators=covenants.colleagues_with_role(house, Role.INFORMATION_COORDINATOR),
            covenant=case.house.covenant,
        )
        _same(InvitationForm, data, parties=covenants.member_parties_for(world.pc))
        _same(CaseAgendaForm, data, meetings=meetings)
        _same(ItemForm, data, parties=selectors.participating_parties(case.pk))
