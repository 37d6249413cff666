# SPDX-License-Identifier: EUPL-1.2
"""The two report screens through Django's test client: the steering group's incident report
(Bijlage 4) and the privacy officer's disclosures to third parties (art. 10.2). Who reads them,
who is refused, a period that is none, and that the numbers are the selectors' own."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.services import house_role_grant
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.incidents import selectors, services
from ketentafel.incidents.models import SecurityIncident
from ketentafel.information.disclosures import disclosure_report_for
from ketentafel.privacy.forms import last_full_quarter
from tests.cases.conftest import World, api_client, make_staff
from tests.privacy.conftest import active, officer, someone  # noqa: F401
from tests.privacy.screen_flows import ok

# `clock`: `.ci/run` runs these at 00:30 and 23:30 local time as well (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock]

REPORT = "/privacy/rapportage/"
DISCLOSURES = "/privacy/verstrekkingen/"


def _head() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


def _events_since(seq: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq).order_by("seq"))


def _text(response: Any) -> str:
    return str(response.content.decode())


def _incident(
    officer: User,  # noqa: F811
    *,
    days_ago: float,
    people: int,
    categories: list[str],
    must_notify: bool | None = None,
) -> SecurityIncident:
    incident = services.incident_register(
        actor=officer,
        house_id=officer.house_roles.get().house_id,
        discovered_at=timezone.now() - datetime.timedelta(days=days_ago),
        description="Een map met verslagen is in de trein blijven liggen.",
        people_affected=people,
        data_categories=categories,
    )
    if must_notify is not None:
        services.incident_decide(
            actor=officer,
            incident_id=incident.pk,
            must_notify_authority=must_notify,
            reason="Beoordeeld.",
        )
    return incident


def _period(since: datetime.date, until: datetime.date) -> str:
    return f"?van={since.isoformat()}&tot={until.isoformat()}"


# The incident report ------------------------------------------------------------------------


def test_the_navigation_offers_the_report_to_managers_and_the_steering_group(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    steering = make_staff("stuurgroep", world.municipality, world.house, Role.STEERING_MEMBER)
    manager = make_staff("mgr", world.municipality, world.house, Role.MANAGER)
    for user in (world.manager, manager, steering):
        assert f'href="{REPORT}"' in _text(ok(api_client(user).get("/"))), user.username
    for user in (world.pc, world.police, world.admin):
        assert REPORT not in _text(ok(api_client(user).get("/"))), user.username
    # The privacy officer finds both reports in the privacy screens' own navigation.
    privacy = _text(ok(api_client(officer).get("/privacy/verzoeken/")))
    assert f'href="{REPORT}"' in privacy
    assert f'href="{DISCLOSURES}"' in privacy


def test_the_incident_report_shows_the_selectors_numbers_and_records_one_read(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    _incident(officer, days_ago=1, people=3, categories=["ordinary", "justice"], must_notify=True)
    _incident(officer, days_ago=2, people=2, categories=["ordinary"], must_notify=False)
    _incident(officer, days_ago=20, people=5, categories=["children"])
    _incident(officer, days_ago=400, people=100, categories=["bsn"])  # outside the period
    today = timezone.localdate()
    since = today - datetime.timedelta(days=60)
    client = api_client(officer)
    before = _head()
    page = ok(client.get(REPORT + _period(since, today)))

    report = page.context["report"]
    [event] = _events_since(before)
    assert (event.action, event.object_type, event.actor_id) == (
        AuditAction.READ,
        "incident_report",
        officer.pk,
    )
    assert len(event.object_ids) == 3
    # The screen's end day counts: the selector is asked up to the day after it.
    expected = selectors.incident_report_for(
        officer, since=since, until=today + datetime.timedelta(days=1)
    )
    assert report == expected
    assert (report.total, report.open, report.people_affected) == (3, 3, 10)
    assert (report.authority_required, report.authority_not_required, report.undecided) == (
        1,
        1,
        1,
    )
    assert report.not_yet_notified == 1
    assert report.by_category == {"children": 1, "justice": 1, "ordinary": 2}
    assert sum(report.by_month.values()) == 3
    html = _text(page)
    assert "Justitiële en strafvorderlijke gegevens" in html
    assert "Gegevens van minderjarigen" in html
    assert "in de trein" not in html  # counts only, never a description
    assert page["Cache-Control"] == "no-store"
    assert "<script>" not in html


def test_the_report_defaults_to_the_last_full_quarter(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    _incident(officer, days_ago=0.1, people=1, categories=["ordinary"])
    page = ok(api_client(officer).get(REPORT))
    since, until = last_full_quarter(timezone.localdate())
    assert until < timezone.localdate()
    assert page.context["form"].cleaned_data["van"] == since
    assert page.context["form"].cleaned_data["tot"] == until
    assert page.context["report"].since == since
    assert page.context["report"].until == until + datetime.timedelta(days=1)
    assert page.context["report"].total == 0  # today lies after the last full quarter


@pytest.mark.parametrize(
    ("today", "since", "until"),
    [
        (datetime.date(2026, 11, 25), datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 1, 1), datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 6, 30), datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ],
)
def test_the_last_full_quarter(
    today: datetime.date, since: datetime.date, until: datetime.date
) -> None:
    assert last_full_quarter(today) == (since, until)


def test_managers_and_the_steering_group_read_the_report(world: World) -> None:
    steering = make_staff("stuurgroep", world.municipality, world.house, Role.STEERING_MEMBER)
    manager = make_staff("mgr", world.municipality, world.house, Role.MANAGER)
    for user in (world.manager, manager, steering):
        client = api_client(user)
        before = _head()
        page = ok(client.get(REPORT))
        assert page.context["report"].house_ids == [world.house.pk], user.username
        assert "huis" not in page.context["form"].fields  # one house: nothing to choose
        assert [e.object_type for e in _events_since(before)] == ["incident_report"]
        # Not a privacy officer: no links to the officer's screens.
        assert 'href="/privacy/verzoeken/"' not in _text(page)


def test_someone_with_several_houses_chooses_one(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    steering = make_staff("stuurgroep", world.municipality, world.house, Role.STEERING_MEMBER)
    house_role_grant(
        actor=None, user=steering, house_id=world.other_house.pk, role=Role.STEERING_MEMBER
    )
    _incident(officer, days_ago=1, people=4, categories=["ordinary"])
    client = api_client(steering)
    today = timezone.localdate()
    both = ok(client.get(REPORT + _period(today - datetime.timedelta(days=7), today)))
    assert "huis" in both.context["form"].fields
    assert sorted(both.context["report"].house_ids) == sorted(
        [world.house.pk, world.other_house.pk]
    )
    assert both.context["report"].total == 1
    other = ok(
        client.get(
            REPORT
            + _period(today - datetime.timedelta(days=7), today)
            + f"&huis={world.other_house.pk}"
        )
    )
    assert other.context["report"].house_ids == [world.other_house.pk]
    assert other.context["report"].total == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?van=2026-03-01&tot=2026-02-01", "tot"),
        ("?van=gisteren&tot=2026-02-01", "van"),
        ("?van=2026-01-01&tot=", "tot"),
        ("?van=2026-01-01&tot=9999-12-31", "tot"),
    ],
)
@pytest.mark.parametrize("path", [REPORT, DISCLOSURES])
def test_a_period_that_is_none_is_shown_at_the_field_and_nothing_is_read(
    world: World,
    officer: User,  # noqa: F811
    path: str,
    query: str,
    field: str,
) -> None:
    client = api_client(officer)
    before = _head()
    response = client.get(path + query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'href="#id_{field}"' in _text(response)  # the error summary links to the field
    assert "report" not in response.context
    assert _events_since(before) == []


def test_a_house_that_is_not_the_readers_is_refused_at_the_field(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    steering = make_staff("stuurgroep", world.municipality, world.house, Role.STEERING_MEMBER)
    house_role_grant(
        actor=None, user=steering, house_id=world.other_house.pk, role=Role.STEERING_MEMBER
    )
    stranger = (
        type(world.house)
        .objects.exclude(pk__in=[world.house.pk, world.other_house.pk])
        .values_list("pk", flat=True)
        .first()
    )
    client = api_client(steering)
    before = _head()
    response = client.get(f"{REPORT}?van=2026-01-01&tot=2026-02-01&huis={stranger}")
    assert response.status_code == 400
    assert "huis" in response.context["form"].errors
    assert _events_since(before) == []


@pytest.mark.parametrize("path", [REPORT, DISCLOSURES])
def test_other_roles_are_refused_and_the_refusal_is_recorded(world: World, path: str) -> None:
    refused: tuple[User, ...] = (world.pc, world.police, world.admin)
    if path == DISCLOSURES:  # the disclosure report is the privacy officer's alone
        refused += (world.manager,)
    for user in refused:
        client = api_client(user)
        for query in ("", "?van=2026-01-01&tot=2026-02-01", "?van=x"):
            before = _head()
            response = client.get(path + query)
            assert response.status_code == 403, (user.username, path, query)
            assert [(e.action, e.result, e.actor_id) for e in _events_since(before)] == [
                (AuditAction.PERMISSION_DENIED, Result.DENIED, user.pk)
            ], (user.username, path, query)


# Disclosures to third parties ---------------------------------------------------------------


def test_the_disclosure_report_shows_the_selectors_numbers_without_item_text(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    case = active(world, someone(900))
    item = case.items.get()
    today = timezone.localdate()
    client = api_client(officer)
    before = _head()
    page = ok(client.get(DISCLOSURES + _period(today, today)))

    [event] = _events_since(before)
    assert (event.action, event.object_type) == (AuditAction.SEARCH, "disclosureconsent")
    report = page.context["report"]
    expected = disclosure_report_for(officer, since=today, until=today + datetime.timedelta(1))
    assert report.per_party == expected.per_party
    assert [c.pk for c in report.consents] == [c.pk for c in expected.consents]
    [totals] = report.per_party
    assert (totals.party, totals.consents, totals.disclosures) == (world.police.party_id, 1, 1)
    html = _text(page)
    assert world.party["politie-oost-nederland"].name in html
    assert "Advocaat" in html
    assert item.get_life_domain_display() in html
    assert item.text not in html  # what was given, never its content
    assert page["Cache-Control"] == "no-store"

    # An earlier period and another supplying party find nothing.
    earlier = ok(client.get(DISCLOSURES + _period(datetime.date(2020, 1, 1), today)))
    assert len(earlier.context["report"].consents) == 1  # the end day counts
    yesterday = today - datetime.timedelta(days=1)
    assert (
        ok(client.get(DISCLOSURES + _period(datetime.date(2020, 1, 1), yesterday)))
        .context["report"]
        .consents
        == []
    )
    other = ok(client.get(DISCLOSURES + _period(today, today) + f"&partij={world.municipality.pk}"))
    assert other.context["report"].consents == []
    assert "Geen toestemmingen in deze periode." in _text(other)


def test_the_disclosure_report_refuses_an_unknown_party_at_the_field(
    world: World,
    officer: User,  # noqa: F811
) -> None:
    client = api_client(officer)
    before = _head()
    response = client.get(f"{DISCLOSURES}?van=2026-01-01&tot=2026-02-01&partij=999999")
    assert response.status_code == 400
    assert "partij" in response.context["form"].errors
    assert _events_since(before) == []
