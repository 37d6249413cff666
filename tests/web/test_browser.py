# SPDX-License-Identifier: EUPL-1.2
"""The whole process in a real browser (Playwright driving Debian's Chromium), as the process
coordinator, the information coordinator and two partner professionals click it, with
axe-core checking every screen for WCAG 2.1 AA violations.

Set KETENTAFEL_SCREENSHOTS=<folder> to also save the main screens as PNG (docs/screenshots).
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.services import second_factor_enrol
from ketentafel.cases.models import Case, Phase
from ketentafel.information.models import InformationItem
from ketentafel.plans.models import Action
from tests.cases.conftest import World, make_staff
from tests.conftest import PASSWORD, current_code

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = os.environ.get("KETENTAFEL_SCREENSHOTS", "")
UUID = r"[0-9a-f-]{36}"
# The page has loaded and no htmx request is in flight: htmx marks the element of a request
# with `htmx-request` until its answer is swapped in, and starts the requests of
# `hx-trigger="load"` before the window's load event (its script is deferred). Playwright's
# "networkidle" would wait half a second of silence on top, about a minute over these tests.
SETTLED = "() => document.readyState === 'complete' && !document.querySelector('.htmx-request')"

if shutil.which(CHROMIUM) is None:  # pragma: no cover - .ci/run installs it
    raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (see .ci/run)")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the test still talks to the
    # database synchronously, which Django would otherwise refuse. Set for this test only: the
    # deploy check of tests/config/test_settings.py refuses it in the environment it inherits.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class Person:
    """One person at one browser window, logged in through the real screens."""

    def __init__(self, browser: Any, base: str, user: User, violations: list[str]) -> None:
        self.base = base
        self.user = user
        self.violations = violations
        self.context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self._login()

    def _login(self) -> None:
        self.user.set_password(PASSWORD)
        self.user.save()
        second_factor_enrol(user=self.user)
        page = self.page
        page.goto(self.base + "/login/")
        self.check("login")
        page.fill("#id_username", self.user.username)
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/login/tweede-factor/.*"))
        self.check("second-factor")
        page.fill("#id_token", current_code(self.user))
        page.keyboard.press("Enter")
        page.wait_for_url(self.base + "/")
        # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"

    def go(self, path: str, name: str = "") -> Any:
        self.page.goto(self.base + path)
        self.check(name or path)
        return self.page

    def check(self, name: str) -> None:
        """Run axe-core on the page; keep serious and critical violations; screenshot."""
        page = self.page
        page.wait_for_function(SETTLED)
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [
                    (n["target"], n.get("failureSummary", "")[:200]) for n in violation["nodes"]
                ][:3]
                self.violations.append(f"{name}: {violation['id']} {targets}")
        if SCREENSHOTS and not name.startswith("/"):
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)

    def submit(self, label: str) -> None:
        """Press a form's button and wait until the answer page has loaded."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=label, exact=True).click()
        # Let htmx requests of the new page finish before another person acts: the test
        # database (SQLite in memory, shared cache) does not serialise concurrent audit
        # appends the way PostgreSQL's row lock on the chain head does.
        self.page.wait_for_function(SETTLED)


def test_referral_to_closure_in_the_browser(world: World, live_server: Any, browser: Any) -> None:
    violations: list[str] = []
    base = live_server.url
    police = Person(browser, base, world.police, violations)
    pc = Person(browser, base, world.pc, violations)
    ic = Person(browser, base, world.ic, violations)
    care = Person(browser, base, world.care, violations)

    # A police officer refers a person.
    page = police.go("/aanmelden/", "referral-form")
    police.submit("Aanmelden")
    police.check("referral-errors")
    assert page.locator("#error-summary").is_visible()
    page.select_option("#id_house", str(world.house.pk))
    page.select_option("#id_track", str(world.track.pk))
    page.check("#id_subject_kind_0")
    page.fill("#id_persons-0-given_names", "Sanne")
    page.fill("#id_persons-0-surname", "van Dijk")
    page.fill("#id_persons-0-birth_date", "1988-03-02")
    page.fill("#id_persons-0-bsn", "111222333")
    page.select_option("#id_municipality", str(world.municipality.pk))
    page.fill("#id_problem_statement", "Overlast en schulden; zorg en straf lopen langs elkaar.")
    page.fill("#id_goal", "Eén gezamenlijk plan van aanpak.")
    page.check("#id_themes_0")
    police.submit("Aanmelden")
    match = re.search(rf"/casussen/({UUID})/", page.url)
    assert match, page.url
    case_id = match.group(1)

    # The process coordinator finds it in the work queue and starts the intake.
    page = pc.go("/werkvoorraad/", "work-queue")
    assert page.get_by_text("Sanne van Dijk").first.is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Sanne van Dijk").first.click()
    page.wait_for_selector("#already-known .utrecht-alert")  # loaded by htmx
    pc.check("case")
    page.select_option("#id_information_coordinator", str(world.ic.pk))
    pc.submit("Intake starten")
    assert Case.objects.get(pk=case_id).phase == Phase.ENRICHMENT

    # The information coordinator asks the police for information.
    page = ic.go(f"/casussen/{case_id}/informatieverzoeken/", "case-requests")
    page.select_option("#id_party", str(world.party["politie-oost-nederland"].pk))
    page.fill("#id_question", "Welke meldingen zijn er het afgelopen jaar?")
    page.fill("#id_reason", "Voorbereiding triage")
    page.fill("#id_deadline", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    ic.submit("Verzoek versturen")

    # The police officer answers; the item stays with coordination only.
    page = police.go("/informatieverzoeken/", "requests")
    with page.expect_navigation():
        page.get_by_role("link", name="Beantwoorden").first.click()
    police.check("request-answer")
    page.select_option("#id_life_domain", "criminal_history")
    page.fill("#id_text", "Drie meldingen van overlast in 2026.")
    page.fill("#id_legal_basis", "Wpg art. 20")
    page.select_option("#id_data_category", "police")
    page.check("#id_sharing_0")
    police.submit("Aanleveren")
    item = InformationItem.objects.get(case_id=case_id)

    # The IC offers the case to triage; the PC decides with the Bijlage 2 criteria.
    page = ic.go(f"/casussen/{case_id}/")
    ic.submit("Aanbieden voor triage")
    page = pc.go(f"/casussen/{case_id}/triage/", "triage")
    for box in ("#id_serious_area_problem", "#id_multiple_chains_needed", "#id_multiple_problems"):
        page.check(box)
    page.check("#id_outcome_2")
    page.fill("#id_explanation", "Voldoet aan de criteria complexe casuïstiek.")
    page.fill("#id_goal", "Stabiel wonen en zorg.")
    page.check("#id_themes_0")
    care_index = page.locator(
        f"input[name=invite][value='{world.party['pro-persona'].pk}']"
    ).get_attribute("id")
    page.check(f"#{care_index}")
    page.fill("#id_invite_reason", "Behandeling en begeleiding")
    # Gelderland-Midden art. 1.8 and 8.1a: the municipality's view and the referrer consulted.
    page.fill("#id_municipality_view", "De gemeente steunt bespreking in het huis.")
    page.check("#id_referrer_consulted")
    page.fill("#id_referrer_consulted_on", timezone.localdate().isoformat())
    page.fill("#id_referrer_consultation", "Met de politie besproken.")
    pc.submit("Besluit vastleggen")
    assert Case.objects.get(pk=case_id).phase == Phase.ACCEPTED

    # The second partner (care) takes part, but may not open the police's item: 404.
    care.go(f"/casussen/{case_id}/dossier/", "dossier")
    response = care.page.goto(f"{base}/items/{item.pk}/delen/")
    assert response is not None
    assert response.status == 404
    care.check("/404")
    page = care.go(f"/casussen/{case_id}/dossier/")
    page.select_option("#id_life_domain", "mental_health")
    page.fill("#id_text", "In behandeling sinds maart.")
    page.fill("#id_legal_basis", "AVG art. 9 lid 2 sub h")
    page.select_option("#id_data_category", "special")
    page.check("#id_sharing_1")
    care.submit("Toevoegen")

    # The police officer narrows who may read its item, in place (htmx).
    page = police.go(f"/casussen/{case_id}/dossier/")
    page.get_by_role("link", name="Delen wijzigen").first.click()
    page.wait_for_selector(f"#item-{item.pk} form")
    # The swapped-in form takes the keyboard focus, so a keyboard user continues there.
    page.wait_for_function("document.activeElement.tagName === 'H4'")
    police.check("sharing-edit")
    page.locator(f"#item-{item.pk} input[value=named]").check()
    page.locator(
        f"#item-{item.pk} input[name$=named_parties][value='{world.party['pro-persona'].pk}']"
    ).check()
    page.locator(f"#item-{item.pk}").get_by_role("button", name="Opslaan").click()
    page.wait_for_selector(f"#item-{item.pk} .utrecht-alert--ok")
    assert InformationItem.objects.get(pk=item.pk).sharing == "named"

    # The case meeting: schedule, put on the agenda, minutes, held.
    page = pc.go("/overleggen/", "meetings")
    starts = timezone.localtime() + datetime.timedelta(minutes=2)
    page.select_option("#id_body", str(world.mdo.pk))
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_location", "Zaal 2")
    pc.submit("Plannen")
    meeting_url = page.url
    page.fill("#id_search", "dijk sanne")
    pc.submit("Zoeken")
    pc.check("agenda-search")
    page.check(f"input[name=case][value='{case_id}']")
    page.check("#id_purpose_0")
    pc.submit("Agenderen")
    pc.check("meeting")
    with page.expect_navigation():
        page.get_by_role("link", name="Verslag en besluiten vastleggen").click()
    pc.check("minutes")
    page.fill("#id_minutes", "Besproken. Zorg neemt de regie.")
    page.select_option("#id_case_coordinator_party", str(world.party["pro-persona"].pk))
    page.fill("#id_informs_client", "Pro Persona")
    page.fill("#id_on_arrest", "Procesregisseur informeren.")
    page.fill("#id_closure_criteria", "Wonen stabiel, behandeling loopt.")
    pc.submit("Opslaan")
    pc.submit("Overleg is gehouden")
    assert Case.objects.get(pk=case_id).phase == Phase.ACTIVE

    # The plan of action, with an action for care.
    page = pc.go(f"/casussen/{case_id}/plan/")
    page.fill("#id_goal", "Stabiel wonen en zorg.")
    pc.submit("Doel opslaan")
    page.select_option("#id_owner_party", str(world.party["pro-persona"].pk))
    page.fill("#id_what", "Intakegesprek plannen")
    page.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    pc.submit("Actie toevoegen")
    pc.check("action-plan")
    # The coordinator moves the action's date a week on.
    with page.expect_navigation():
        page.get_by_role("link", name="Wijzigen Intakegesprek plannen").click()
    pc.check("action-change")
    page.fill("#id_due_on", (timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    pc.submit("Wijziging opslaan")
    assert Action.objects.get(plan__case_id=case_id).due_on == timezone.localdate() + (
        datetime.timedelta(days=14)
    )

    # Care reports the action done, in place (htmx).
    page = care.go("/acties/", "my-actions")
    page.select_option("select[name=status]", "done")
    with page.expect_response(re.compile(r".*/status/$")):
        page.get_by_role("button", name="Bijwerken").click()
    page = care.go("/acties/")
    assert "Intakegesprek plannen" not in page.content()

    # Closure, decided in a later meeting.
    page = pc.go("/overleggen/")
    starts = timezone.localtime() + datetime.timedelta(minutes=3)
    page.select_option("#id_body", str(world.mdo.pk))
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    pc.submit("Plannen")
    page.fill("#id_search", "van Dijk")
    pc.submit("Zoeken")
    page.check(f"input[name=case][value='{case_id}']")
    page.check("#id_purpose_2")
    pc.submit("Agenderen")
    pc.submit("Overleg is gehouden")
    page = pc.go(f"/casussen/{case_id}/afschalen/", "closure")
    page.select_option("#id_agenda_item", index=1)
    page.check("#id_reason_0")
    page.fill("#id_referrer_notice", "De aanmelder is telefonisch geïnformeerd.")
    pc.submit("Afschalen")
    assert Case.objects.get(pk=case_id).phase == Phase.CLOSED
    pc.go(meeting_url.removeprefix(base))

    assert violations == [], "\n".join(violations)


# `clock`: an incident discovered three hours ago and the report of "today" (tests/clock.py).
@pytest.mark.clock
def test_the_privacy_officer_works_in_the_browser(
    world: World, live_server: Any, browser: Any
) -> None:
    """Requests, incidents and deletion records as the privacy officer clicks them; axe-core
    checks each screen."""
    from ketentafel.incidents.models import SecurityIncident
    from ketentafel.privacy.models import DataSubjectRequest, RequestStatus
    from ketentafel.privacy.purge import purge_run
    from tests.privacy.conftest import active, closed, someone

    subject = someone(700)
    active(world, subject)
    closed(world, someone(701))
    purge_run(today=timezone.localdate())
    violations: list[str] = []
    officer = make_staff("po", world.municipality, world.house, Role.PRIVACY_OFFICER)
    po = Person(browser, live_server.url, officer, violations)

    # A data subject asks for rectification; the officer registers it.
    page = po.go("/", "privacy-home")
    with page.expect_navigation():
        page.get_by_role("link", name="Privacy", exact=True).click()
    po.check("privacy-requests-empty")
    with page.expect_navigation():
        page.get_by_role("link", name="Verzoek registreren").click()
    po.check("privacy-request-form")
    po.submit("Registreren")
    po.check("privacy-request-errors")
    assert page.locator("#error-summary").is_visible()
    page.check("#id_kind_1")
    page.fill("#id_received_on", timezone.localdate().isoformat())
    page.fill("#id_subject_bsn", subject.bsn)
    po.submit("Registreren")
    assert re.search(rf"/privacy/verzoeken/({UUID})/$", page.url), page.url
    assert subject.bsn not in page.url
    po.check("privacy-request")
    po.submit("In behandeling nemen")
    page.fill("#id_reason", "Veel partijen betrokken.")
    po.submit("Verlengen")
    po.check("privacy-request-in-progress")
    request = DataSubjectRequest.objects.get()
    assert request.status == RequestStatus.IN_PROGRESS
    assert request.extended_to is not None
    with page.expect_navigation():
        page.get_by_role("link", name="Gevonden gegevens, toegangslog en inzage-export").click()
    po.check("privacy-request-matches")
    po.go("/privacy/verzoeken/", "privacy-requests")

    # A security incident: registered, decided, closed.
    page = po.go("/privacy/incidenten/nieuw/", "privacy-incident-form")
    discovered = timezone.localtime() - datetime.timedelta(hours=3)
    page.fill("#id_discovered_at", discovered.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_description", "Een verslag is naar een verkeerd adres gemaild.")
    page.fill("#id_people_affected", "1")
    page.check("#id_data_categories_0")
    po.submit("Registreren")
    po.check("privacy-incident")
    page.check("#id_must_notify_1")
    page.fill("#id_reason", "De ontvanger is een ketenpartner en heeft het verslag gewist.")
    po.submit("Besluit vastleggen")
    po.submit("Afsluiten")
    po.check("privacy-incident-closed")
    assert SecurityIncident.objects.get().status == "closed"
    po.go("/privacy/incidenten/", "privacy-incidents")

    # Proof of the purge.
    page = po.go("/privacy/vernietigingsverklaringen/", "privacy-deletion-records")
    assert page.locator("table code").count() >= 1

    # The reports: incidents for the steering group, disclosures to third parties.
    today = timezone.localdate().isoformat()
    with page.expect_navigation():
        page.get_by_role("link", name="Incidentenrapportage", exact=True).click()
    po.check("privacy-incident-report-last-quarter")
    page.fill("#id_van", today)
    page.fill("#id_tot", "2020-01-01")
    po.submit("Tonen")
    po.check("privacy-incident-report-errors")
    assert page.locator("#error-summary").is_visible()
    # From the day of the discovery, which early in the morning is yesterday.
    page.fill("#id_van", discovered.date().isoformat())
    page.fill("#id_tot", today)
    po.submit("Tonen")
    po.check("privacy-incident-report")
    assert page.locator("table").count() >= 3
    with page.expect_navigation():
        page.get_by_role("link", name="Verstrekkingen aan derden", exact=True).click()
    po.check("privacy-disclosures-last-quarter")
    page.fill("#id_van", today)
    page.fill("#id_tot", today)
    po.submit("Tonen")
    po.check("privacy-disclosures")
    assert page.get_by_role("cell", name="Advocaat").count() >= 1

    # A location manager reaches the incident report from the main navigation.
    manager = Person(browser, live_server.url, world.manager, violations)
    page = manager.go("/", "manager-home")
    with page.expect_navigation():
        page.get_by_role("link", name="Rapportage", exact=True).click()
    manager.check("manager-incident-report")

    assert violations == [], "\n".join(violations)


def test_advice_requests_in_the_browser(world: World, live_server: Any, browser: Any) -> None:
    from ketentafel.advice.models import AdviceOutcome, AdviceRequest

    violations: list[str] = []
    base = live_server.url
    police = Person(browser, base, world.police, violations)
    pc = Person(browser, base, world.pc, violations)

    # A police officer asks the house for advice.
    page = police.go("/adviesvragen/", "advice-list-partner")
    police.submit("Adviesvraag vastleggen")
    police.check("advice-errors")
    assert page.locator("#error-summary").is_visible()
    page.fill("#id_question", "Jongere met schulden en overlast: iets voor het huis?")
    police.submit("Adviesvraag vastleggen")
    police.check("advice-partner")
    asked = AdviceRequest.objects.get(requesting_party=world.police.party)

    # The process coordinator answers it with advice.
    page = pc.go("/adviesvragen/", "advice-list-open")
    with page.expect_navigation():
        page.locator(f"a[href='/adviesvragen/{asked.pk}/']").click()
    pc.check("advice")
    page.fill("#id_advice", "Bespreek het in het lokale zorgnetwerk.")
    pc.submit("Lokaal afgehandeld")
    assert AdviceRequest.objects.get(pk=asked.pk).outcome == AdviceOutcome.HANDLED_LOCALLY

    # Probation phones in; the coordinator records it for probation and refers the case.
    page = pc.go("/adviesvragen/")
    page.select_option("#id_requesting_party", str(world.party["reclassering-nederland"].pk))
    page.fill("#id_question", "Cliënt met meervoudige problematiek.")
    pc.submit("Adviesvraag vastleggen")
    with page.expect_navigation():
        page.get_by_role("link", name="Aanmelden bij het huis").click()
    pc.check("referral-with-advice")
    page.select_option("#id_track", str(world.track.pk))
    page.check("#id_subject_kind_0")
    page.fill("#id_persons-0-given_names", "Sanne")
    page.fill("#id_persons-0-surname", "van Dijk")
    page.fill("#id_persons-0-birth_date", "1988-03-02")
    page.select_option("#id_municipality", str(world.municipality.pk))
    page.fill("#id_problem_statement", "Overlast en schulden; zorg en straf lopen langs elkaar.")
    page.fill("#id_goal", "Eén gezamenlijk plan van aanpak.")
    pc.submit("Aanmelden")
    phoned = AdviceRequest.objects.get(requesting_party=world.party["reclassering-nederland"])
    assert phoned.outcome == AdviceOutcome.REFERRED
    assert phoned.case_id is not None
    pc.go("/adviesvragen/", "advice-list")

    assert violations == [], "\n".join(violations)


def test_management_information_in_the_browser(
    world: World, live_server: Any, browser: Any
) -> None:
    """A steering-group member opens the management information from the navigation, sends
    a bad period and a good one; axe-core checks each screen."""
    from ketentafel.privacy.purge import purge_run
    from tests.cases.flows import referred
    from tests.privacy.conftest import closed, someone

    closed(world, someone(800))
    purge_run(today=timezone.localdate() + datetime.timedelta(days=400))
    for _ in range(5):
        referred(world)
    violations: list[str] = []
    steering = make_staff("stuur", world.municipality, world.house, Role.STEERING_MEMBER)
    member = Person(browser, live_server.url, steering, violations)

    page = member.go("/", "steering-home")
    with page.expect_navigation():
        page.get_by_role("link", name="Managementinformatie", exact=True).click()
    member.check("management-information")
    assert page.get_by_role("cell", name="<5").count() >= 1
    assert page.locator("meter.bar").count() >= 1
    today = timezone.localdate().isoformat()
    page.fill("#id_van", today)
    page.fill("#id_tot", "2020-01-01")
    member.submit("Tonen")
    member.check("management-information-errors")
    assert page.locator("#error-summary").is_visible()
    page.fill("#id_tot", today)
    member.submit("Tonen")
    member.check("management-information-today")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV", exact=True).click()
    assert download.value.suggested_filename.endswith(".csv")

    assert violations == [], "\n".join(violations)
