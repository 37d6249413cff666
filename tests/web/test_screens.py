# SPDX-License-Identifier: EUPL-1.2
"""The screens, through Django's test client: who sees what, refusals, forms, headers."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.cases import services
from ketentafel.cases.models import Case, Phase
from ketentafel.core import downloads
from ketentafel.covenants.models import Body, BodyKind
from ketentafel.information.models import InformationItem, Sharing
from ketentafel.meetings import services as meeting_services
from ketentafel.meetings.models import AgendaItem, AgendaPurpose, Meeting
from ketentafel.plans import exports as plan_exports
from ketentafel.plans.notices import overdue_actions_notify
from tests.cases import flows
from tests.cases.conftest import World, api_client
from tests.web.flows import item_form, ok, referral_form, screen_flow

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def _last_denial() -> AuditEvent | None:
    return AuditEvent.objects.filter(result=Result.DENIED).order_by("-seq").first()


def test_referral_to_closure_through_the_screens(world: World) -> None:
    case_id = screen_flow(world)
    case = Case.objects.get(pk=case_id)
    assert case.phase == Phase.CLOSED
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert {e.reason for e in exported} >= {"agenda", "minutes", "ical", "pdf"}
    assert all(e.actor_id is not None for e in exported)


def test_every_page_forbids_inline_script_and_caching(world: World) -> None:
    case_id, _action = flows.active_case(world)
    pc = api_client(world.pc)
    for path in [
        "/werkvoorraad/",
        f"/casussen/{case_id}/",
        f"/casussen/{case_id}/dossier/",
        f"/casussen/{case_id}/plan/",
        "/aanmelden/",
    ]:
        response = pc.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["Cache-Control"] == "no-store"
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), path
        assert not INLINE_HANDLER.search(html), path
        assert not INLINE_STYLE.search(html), path
    login = Client().get("/login/")
    assert "unsafe-inline" not in login["Content-Security-Policy"]
    assert not INLINE_SCRIPT.search(login.content.decode())


DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"]


def test_every_answer_denies_the_browser_features_no_page_uses(world: World) -> None:
    case_id, _action = flows.active_case(world)
    pc = api_client(world.pc)
    answers = {
        "page": pc.get(f"/casussen/{case_id}/"),
        "login": Client().get("/login/"),
        "redirect": Client().get("/werkvoorraad/"),
        "not found": pc.get("/bestaat-niet/"),
        "api problem": Client().get("/api/v1/cases/"),
        "health": Client().get("/health"),
    }
    for what, response in answers.items():
        features = dict(
            part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
        )
        assert all(features[feature] == "()" for feature in DENIED_FEATURES), what
        assert "Server" not in response, what


def test_pages_hold_no_personal_data_in_links(world: World) -> None:
    """Links and form actions carry opaque ids only, never a name or BSN (no personal data in
    URLs, browser histories or proxy logs)."""
    case_id, _action = flows.active_case(world)
    for user in (world.pc, world.probation):
        html = api_client(user).get(f"/casussen/{case_id}/").content.decode()
        targets = re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)
        assert targets
        for target in targets:
            assert "111222333" not in target
            assert "Vries" not in target
            assert "?" not in target or target.startswith("/i18n/")


def test_a_partner_opening_what_its_party_may_not_see_gets_404_and_a_denial(
    world: World,
) -> None:
    case_id, _action_id = flows.active_case(world)
    case = Case.objects.get(pk=case_id)
    police_item = flows.supply(world, case, world.police, Sharing.COORDINATION)
    outsider = api_client(world.housing)  # a covenant partner without a role in this case
    for path in [
        f"/casussen/{case_id}/",
        f"/casussen/{case_id}/dossier/",
        f"/casussen/{case_id}/plan/",
        f"/casussen/{case_id}/plan/pdf/",
        f"/items/{police_item}/delen/",
    ]:
        response = outsider.get(path)
        assert response.status_code == 404, path
        denial = _last_denial()
        assert denial is not None
        assert denial.actor_id == world.housing.pk
        assert "Vries" not in response.content.decode()

    care = api_client(world.care)  # takes part, but the police item is for coordination only
    assert care.get(f"/items/{police_item}/delen/").status_code == 404
    dossier = care.get(f"/casussen/{case_id}/dossier/").content.decode()
    assert f"item-{police_item}" not in dossier


def test_sharing_is_changed_only_by_the_supplier(world: World) -> None:
    case = flows.accepted(world)
    item_id = flows.supply(world, case, world.police, Sharing.PRE_MEETING)
    flows.assess_for_pre_meeting(world, item_id)
    care = api_client(world.care)
    page = ok(care.get(f"/items/{item_id}/delen/")).content.decode()
    assert "Alleen de partij die dit item aanleverde" in page
    assert 'name="s-' not in page
    response = care.post(
        f"/items/{item_id}/delen/",
        {f"s-{item_id}-sharing": "coordination", f"s-{item_id}-version": "1"},
    )
    assert response.status_code == 403
    assert InformationItem.objects.get(pk=item_id).sharing == Sharing.PRE_MEETING

    police = api_client(world.police)
    response = police.post(
        f"/items/{item_id}/delen/",
        {
            f"s-{item_id}-sharing": "named",
            f"s-{item_id}-named_parties": [],
            f"s-{item_id}-version": "1",
        },
    )
    assert response.status_code == 400
    assert "Noem de partijen" in response.content.decode()
    assert InformationItem.objects.get(pk=item_id).sharing == Sharing.PRE_MEETING

    swapped = police.post(
        f"/items/{item_id}/delen/",
        {f"s-{item_id}-sharing": "coordination", f"s-{item_id}-version": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert swapped.status_code == 200
    fragment = swapped.content.decode()
    assert "<html" not in fragment
    assert f'id="item-{item_id}"' in fragment
    assert InformationItem.objects.get(pk=item_id).sharing == Sharing.COORDINATION


def test_the_dossier_groups_items_and_says_who_may_read_each(world: World) -> None:
    case = flows.accepted(world)
    flows.supply(world, case, world.police, Sharing.PRE_MEETING)
    flows.supply(world, case, world.police, Sharing.NAMED, (world.party["pro-persona"].pk,))
    html = ok(api_client(world.pc).get(f"/casussen/{case.pk}/dossier/")).content.decode()
    assert "Huisvesting en wonen" in html
    assert "Politie Oost-Nederland" in html or "politie" in html.lower()
    assert "deelnemende partijen, ook vóór het overleg" in html
    assert "alleen: " in html


def test_a_wrong_referral_shows_errors_at_the_fields_and_stores_nothing(world: World) -> None:
    police = api_client(world.police)
    before = Case.objects.count()
    response = police.post(
        "/aanmelden/",
        referral_form(
            world,
            **{"persons-0-surname": "", "persons-0-bsn": "12345", "problem_statement": ""},
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_persons-0-surname"' in html
    assert 'href="#id_persons-0-bsn"' in html
    assert 'href="#id_problem_statement"' in html
    assert re.search(r'id="id_persons-0-surname"[^>]*aria-invalid="true"', html) or re.search(
        r'aria-invalid="true"[^>]*id="id_persons-0-surname"', html
    )
    assert 'id="id_persons-0-surname-error"' in html
    assert Case.objects.count() == before

    # A rule only the service knows (the BSN check digit) lands at its field too.
    response = police.post("/aanmelden/", referral_form(world, **{"persons-0-bsn": "123456789"}))
    assert response.status_code == 400
    assert 'href="#id_persons-0-bsn"' in response.content.decode()
    assert "elfproef" in response.content.decode()
    assert Case.objects.count() == before


def test_triage_without_the_criteria_is_refused_at_the_criteria(world: World) -> None:
    case = flows.in_triage(world)
    manager = api_client(world.manager)
    response = manager.post(
        f"/casussen/{case.pk}/triage/",
        {
            "serious_area_problem": "on",
            "outcome": "accepted",
            "explanation": "Toch doen.",
            "goal": "Plan.",
            "themes": [world.themes[0].pk],
            "invite": [world.party["pro-persona"].pk],
            "invite_reason": "Zorg",
            **flows.consulted_form(),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bijlage 2" in html
    assert 'href="#id_multiple_problems"' in html
    assert Case.objects.get(pk=case.pk).phase == Phase.TRIAGE


def test_each_participant_sees_only_its_own_cases_on_the_agenda(world: World) -> None:
    first = flows.accepted(world)  # probation and care invited
    second = flows.accepted(world)
    services.case_party_invite(
        actor=world.pc,
        case_id=second.pk,
        party_id=world.party["vivare"].pk,
        role="Verhuurder",
        information_need="Huur",
    )
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    for case in (first, second):
        meeting_services.agenda_item_add(
            actor=world.pc,
            meeting_id=meeting.pk,
            case_id=case.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )
    housing = ok(api_client(world.housing).get(f"/overleggen/{meeting.pk}/")).content.decode()
    assert f"/casussen/{second.pk}/" in housing
    assert f"/casussen/{first.pk}/" not in housing
    secretary = ok(api_client(world.secretary).get(f"/overleggen/{meeting.pk}/")).content.decode()
    assert f"/casussen/{first.pk}/" in secretary
    assert f"/casussen/{second.pk}/" in secretary
    event = AuditEvent.objects.filter(actor_id=world.housing.pk, object_type="meeting").last()
    assert event is not None
    assert len(event.object_ids) == 1


def test_exports_are_marked_confidential_for_the_reader_and_audited(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id, _action = flows.active_case(world)
    rendered: list[str] = []
    real_pdf = downloads.render_pdf

    def capture(html: str) -> bytes:
        rendered.append(html)
        return real_pdf(html)

    monkeypatch.setattr(plan_exports, "render_pdf", capture)
    pc = api_client(world.pc)
    response = ok(pc.get(f"/casussen/{case_id}/plan/pdf/"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert "Vries" not in response["Content-Disposition"]
    assert "VERTROUWELIJK" in rendered[-1]
    assert world.pc.get_full_name() in rendered[-1]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("-seq").first()
    assert event is not None
    assert event.actor_id == world.pc.pk
    assert event.case_id == str(case_id)
    assert event.person_ids


def test_the_calendar_invitation_names_no_person(world: World) -> None:
    case = flows.accepted(world)
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        location="Zaal 1",
    )
    meeting_services.agenda_item_add(
        actor=world.pc,
        meeting_id=meeting.pk,
        case_id=case.pk,
        purpose=AgendaPurpose.FIRST_DISCUSSION,
    )
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    response = ok(api_client(world.probation).get(f"/overleggen/{meeting.pk}/uitnodiging.ics"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body
    assert world.mdo.label in body
    assert f"/overleggen/{meeting.pk}/" in body.replace("\r\n ", "")
    assert "Vries" not in body
    assert "111222333" not in body
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before + 1


def test_notices_carry_a_link_and_no_personal_data(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = flows.in_enrichment(world)
    with django_capture_on_commit_callbacks(execute=True):
        ok(
            api_client(world.ic).post(
                f"/casussen/{case.pk}/informatieverzoeken/",
                {
                    "party": world.party["politie-oost-nederland"].pk,
                    "question": "Meldingen over Jan de Vries?",
                    "reason": "Triage",
                    "deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
                },
            ),
            302,
        )
    assert [m.to for m in mail.outbox] == [[world.police.email]]
    message = mail.outbox[0]
    assert "/informatieverzoeken/" in message.body
    for secret in ("Jan", "Vries", "111222333", "Meldingen"):
        assert secret not in message.body
        assert secret not in message.subject


def test_an_invitation_notice_goes_to_each_invited_party(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case = flows.accepted(world)
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary,
        house_id=world.house.pk,
        body_id=world.mdo.pk,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.agenda_item_add(
            actor=world.pc,
            meeting_id=meeting.pk,
            case_id=case.pk,
            purpose=AgendaPurpose.FIRST_DISCUSSION,
        )
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert recipients == sorted([world.police.email, world.probation.email, world.care.email])
    assert all("Vries" not in m.body and "Uitnodiging" in m.subject for m in mail.outbox)


def test_overdue_actions_are_noticed_to_the_owner_party(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    flows.active_case(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert overdue_actions_notify(today=timezone.localdate()) == 0
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        told = overdue_actions_notify(today=timezone.localdate() + datetime.timedelta(days=30))
    assert told == 1
    assert [m.to for m in mail.outbox] == [[world.probation.email]]
    assert "/acties/" in mail.outbox[0].body


def test_the_audit_log_is_searched_by_post_by_privacy_officers_only(world: World) -> None:
    from ketentafel.accounts.models import Role
    from tests.cases.conftest import make_staff

    case_id, _action = flows.active_case(world)
    assert api_client(world.pc).get("/auditlog/").status_code == 403
    officer = api_client(make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER))
    ok(officer.get("/auditlog/"))
    response = ok(officer.post("/auditlog/", {"case_id": str(case_id)}))
    assert "gebeurtenissen" in response.content.decode()
    bad = officer.post("/auditlog/", {"case_id": "geen-nummer"})
    assert bad.status_code == 400
    assert 'href="#id_case_id"' in bad.content.decode()
    assert AuditEvent.objects.filter(object_type="auditevent", case_id=str(case_id)).exists()


def test_the_manager_overview_counts_without_persons(world: World) -> None:
    flows.active_case(world)
    html = ok(api_client(world.manager).get("/overzicht/")).content.decode()
    assert "Plan van aanpak in uitvoering" in html
    assert "Vries" not in html
    assert api_client(world.police).get("/overzicht/").status_code == 403


def test_work_queue_shows_new_referrals_with_the_already_known_signal(
    world: World, django_assert_max_num_queries: Any
) -> None:
    flows.referred(world)
    flows.referred(world)  # the same person again: known in another open case
    pc = api_client(world.pc)
    with django_assert_max_num_queries(40):
        html = ok(pc.get("/werkvoorraad/")).content.decode()
    assert html.count("Elders bekend</span>") == 2


def test_dutch_by_default_and_english_on_request(world: World) -> None:
    pc = api_client(world.pc)
    html = ok(pc.get("/werkvoorraad/", HTTP_ACCEPT_LANGUAGE="en")).content.decode()
    assert '<html lang="nl"' in html
    assert "Werkvoorraad" in html
    ok(pc.post("/i18n/setlang/", {"language": "en", "next": "/werkvoorraad/"}), 302)
    html = ok(pc.get("/werkvoorraad/")).content.decode()
    assert '<html lang="en"' in html
    assert "Work queue" in html


def test_a_dossier_item_form_error_stays_at_its_field(world: World) -> None:
    case = flows.accepted(world)
    before = InformationItem.objects.count()
    response = api_client(world.care).post(
        f"/casussen/{case.pk}/dossier/", item_form(legal_basis="", sharing="named")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_legal_basis"' in html
    assert InformationItem.objects.count() == before


def test_a_case_is_put_on_the_agenda_from_the_case_page(world: World) -> None:
    case = flows.accepted(world)
    starts = timezone.now() + datetime.timedelta(days=2)
    meeting = meeting_services.meeting_schedule(
        actor=world.secretary, house_id=world.house.pk, body_id=world.mdo.pk, starts_at=starts
    )
    when = f"{timezone.localtime(starts):%d-%m-%Y %H:%M}"
    pc = api_client(world.pc)
    page = ok(pc.get(f"/casussen/{case.pk}/")).content.decode()
    assert "Agenderen voor een overleg" in page
    assert f'value="{meeting.pk}"' in page
    assert f"{world.mdo.label} {when}" in page
    assert re.search(r'value="first_discussion"[^>]*checked', page)
    partner = ok(api_client(world.probation).get(f"/casussen/{case.pk}/")).content.decode()
    assert "Agenderen voor een overleg" not in partner
    assert f'value="{meeting.pk}"' not in partner
    # A partner professional posting anyway is refused and nothing is stored.
    refused = api_client(world.probation).post(
        f"/casussen/{case.pk}/agenderen/",
        {"meeting": str(meeting.pk), "purpose": "first_discussion"},
    )
    assert refused.status_code == 403
    assert not AgendaItem.objects.filter(case=case).exists()

    # A progress discussion is only for an active case: refused at the purpose field.
    wrong_phase = pc.post(
        f"/casussen/{case.pk}/agenderen/", {"meeting": str(meeting.pk), "purpose": "review"}
    )
    assert wrong_phase.status_code == 400
    html = wrong_phase.content.decode()
    assert 'href="#id_purpose_0"' in html
    assert "kan alleen voor een casus in fase" in html
    assert not AgendaItem.objects.filter(case=case).exists()

    # A meeting of another house is not one to choose.
    other_body = Body.objects.filter(
        kind=BodyKind.CASE_MEETING, houses=world.other_house, is_active=True
    ).first()
    assert other_body is not None
    elsewhere = Meeting.objects.create(
        body=other_body, house=world.other_house, starts_at=starts, scheduled_by=world.pc
    )
    other = pc.post(
        f"/casussen/{case.pk}/agenderen/",
        {"meeting": str(elsewhere.pk), "purpose": "first_discussion"},
    )
    assert other.status_code == 400
    assert 'href="#id_meeting"' in other.content.decode()
    assert not AgendaItem.objects.filter(case=case).exists()

    # The right meeting and purpose: on the agenda, audited, and on to the meeting page.
    done = pc.post(
        f"/casussen/{case.pk}/agenderen/",
        {"meeting": str(meeting.pk), "purpose": "first_discussion"},
    )
    assert done.status_code == 302
    assert done["Location"] == f"/overleggen/{meeting.pk}/"
    item = AgendaItem.objects.get(case=case)
    assert item.meeting_id == meeting.pk
    assert item.purpose == AgendaPurpose.FIRST_DISCUSSION
    assert AuditEvent.objects.filter(
        actor_id=world.pc.pk, action=AuditAction.CREATE, object_type="agendaitem"
    ).exists()
    assert "De casus staat op de agenda." in ok(pc.get(done["Location"])).content.decode()
    # Twice on one agenda is refused at the meeting.
    again = pc.post(
        f"/casussen/{case.pk}/agenderen/",
        {"meeting": str(meeting.pk), "purpose": "first_discussion"},
    )
    assert again.status_code == 400
    assert "Deze casus staat al op de agenda." in again.content.decode()
    assert AgendaItem.objects.filter(case=case).count() == 1
