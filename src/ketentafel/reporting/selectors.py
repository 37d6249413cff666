# SPDX-License-Identifier: EUPL-1.2
"""Management information for managers and the steering group (PRODUCT.md section 6).

Counts of the work of a house in a period, from the live cases and from the anonymous facts
that survive a purged case (`privacy.models.CaseStatistic`), with small numbers suppressed so
that no person can be recognised. The steering group receives periodic reports on the work of
the house (Midden-Nederland Bijlage 4); the covenants allow sharing the figures only without
data that lead back to a person (AVG art. 89: statistics with safeguards such as aggregation).

Nothing here returns a raw count between 1 and 4: `work_figures_for` hands the screen and the
exports only `Shown` values.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.cases.models import Case, ClosureReason, TriageDecision, TriageOutcome
from ketentafel.core.errors import InvalidInput, NotAllowed
from ketentafel.privacy.models import CaseStatistic

#: Counts below this are shown as "<5", and a median only where it rests on at least this many
#: cases. In a house of one municipality, a count of one to four cases of a theme, party or
#: track in a month can point to a known family or person; five is the usual minimum cell size
#: of Dutch official statistics (CBS) for publishing counts of persons.
SMALL_NUMBER_THRESHOLD = 5

#: Roles that read the management information: the (location) manager runs the house, the
#: steering group oversees it (Midden-Nederland Bijlage 4, periodic reports to the Stuurgroep).
REPORTING_ROLES = (Role.MANAGER, Role.LOCATION_MANAGER, Role.STEERING_MEMBER)

#: The longest period one request may cover, so a typo in a year cannot ask for centuries.
MAX_PERIOD_DAYS = 366 * 10


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: `text` is "0", "<5" or the number; `value` is the number
    only when it may be shown (for a bar), None when suppressed."""

    text: str
    value: int | None

    @classmethod
    def of(cls, n: int) -> Shown:
        if 0 < n < SMALL_NUMBER_THRESHOLD:
            return cls(f"<{SMALL_NUMBER_THRESHOLD}", None)
        return cls(str(n), n)


@dataclass(frozen=True)
class LeadTime:
    label: str
    cases: Shown
    #: Median in days, None where fewer than SMALL_NUMBER_THRESHOLD cases underlie it.
    median_days: float | None


@dataclass(frozen=True)
class Row:
    label: str
    count: Shown


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    rows: list[Row]

    @property
    def largest(self) -> int:
        """The top of the bars' scale: the largest count that may be shown."""
        return max((r.count.value or 0 for r in self.rows), default=0) or 1


@dataclass(frozen=True)
class WorkFigures:
    houses: list[str]
    since: datetime.date
    until: datetime.date
    totals: list[Row]
    lead_times: list[LeadTime]
    breakdowns: list[Breakdown]
    threshold: int = SMALL_NUMBER_THRESHOLD

    @property
    def last_day(self) -> datetime.date:
        return self.until - datetime.timedelta(days=1)


@dataclass
class RawFigures:
    """Exact counts and lead times (days per case); never shown as they are."""

    counts: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)
    lead_days: dict[str, list[int]] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)


def reporting_houses_for(user: User) -> list[tuple[int, str]]:
    """The houses whose figures the user may read, by name; refused for anyone else."""
    houses = list(
        roles_in_force(user)
        .filter(role__in=REPORTING_ROLES)
        .values_list("house_id", "house__name")
        .distinct()
        .order_by("house__name")
    )
    if not houses:
        raise NotAllowed(
            _("Alleen managers en leden van de stuurgroep lezen de managementinformatie.")
        )
    return houses


def work_figures_for(
    user: User, *, since: datetime.date, until: datetime.date, house_id: int | None = None
) -> WorkFigures:
    """The work of the user's houses (or of `house_id`, one of them) in [since, until).

    The figures hold no personal data and no case ids, so reading them is not recorded as a
    read of personal data (tests/audit/test_route_inventory.py NO_PERSONAL_DATA).
    """
    houses = reporting_houses_for(user)
    if house_id is not None:
        houses = [(pk, name) for pk, name in houses if pk == house_id]
        if not houses:
            raise NotAllowed(_("U leest geen managementinformatie van dit huis."), field="huis")
    if until <= since:
        raise InvalidInput(_("De einddatum ligt vóór de begindatum."), field="tot")
    if (until - since).days > MAX_PERIOD_DAYS:
        raise InvalidInput(_("Kies een periode van hoogstens tien jaar."), field="van")
    raw = raw_figures([pk for pk, _name in houses], since=since, until=until)
    return _shown(raw, [name for _pk, name in houses], since, until)


# Counting -----------------------------------------------------------------------------------


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _days(start: datetime.datetime | datetime.date, end: datetime.datetime | datetime.date) -> int:
    def day(moment: datetime.datetime | datetime.date) -> datetime.date:
        if isinstance(moment, datetime.datetime):
            return timezone.localdate(moment)
        return moment

    return (day(end) - day(start)).days


def _within(name: str, since: object, until: object) -> Q:
    return Q(**{f"{name}__gte": since, f"{name}__lt": until})


def _add(target: dict[str, int], rows: Iterable[tuple[str | None, int]]) -> None:
    for label, n in rows:
        key = label or ""
        target[key] = target.get(key, 0) + n


def raw_figures(house_ids: list[int], *, since: datetime.date, until: datetime.date) -> RawFigures:
    """Exact figures in 14 queries whatever the number of cases, each aggregated in the
    database (the lead times read two dates per case whose step fell in the period).

    Live cases count from their own rows; a purged case counts from its `CaseStatistic`. A
    statistic is stored at the first purge stage while the case may still be kept for
    monitoring, so only statistics whose case is gone are counted: nothing twice.
    """
    start, end = _start(since), _start(until)
    raw = RawFigures()
    live = Case.objects.filter(house_id__in=house_ids)
    gone = CaseStatistic.objects.filter(house_id__in=house_ids).exclude(
        case_id__in=Case.objects.values("id")
    )
    reasons = [r.value for r in ClosureReason]

    # Live cases: referred, first discussed and closed per reason (1 query).
    case_counts = live.aggregate(
        referred=Count("id", filter=_within("referred_at", start, end)),
        discussed=Count("id", filter=_within("first_discussed_at", start, end)),
        **{
            f"closed_{r}": Count(
                "id", filter=_within("closed_at", start, end) & Q(closure__reason=r)
            )
            for r in reasons
        },
    )
    # Live cases: triage decisions (1 query); a case is accepted or declined once.
    decided = TriageDecision.objects.filter(
        _within("decided_at", start, end), case__house_id__in=house_ids
    )
    triage_counts = decided.aggregate(
        accepted=Count("case_id", distinct=True, filter=Q(outcome=TriageOutcome.ACCEPTED)),
        declined=Count("case_id", distinct=True, filter=Q(outcome=TriageOutcome.NOT_FOR_HOUSE)),
    )
    # Purged cases (1 query).
    gone_counts = gone.aggregate(
        referred=Count("id", filter=_within("referred_on", since, until)),
        declined=Count("id", filter=_within("declined_on", since, until)),
        accepted=Count("id", filter=_within("accepted_on", since, until)),
        discussed=Count("id", filter=_within("first_discussed_on", since, until)),
        **{
            f"closed_{r}": Count("id", filter=_within("closed_on", since, until) & Q(outcome=r))
            for r in reasons
        },
    )
    for key in ("referred", "declined", "accepted", "discussed"):
        raw.counts[key] = (
            case_counts.get(key, 0) + triage_counts.get(key, 0) + gone_counts.get(key, 0)
        )
    for r in reasons:
        raw.closed[r] = case_counts[f"closed_{r}"] + gone_counts[f"closed_{r}"]
    raw.counts["closed"] = sum(raw.closed.values())

    # Lead times: referral to triage decision, first discussion and closure (3 queries).
    lead: dict[str, list[int]] = {"triage": [], "discussion": [], "closure": []}
    for referred_at, decided_at in decided.filter(
        outcome__in=[TriageOutcome.ACCEPTED, TriageOutcome.NOT_FOR_HOUSE]
    ).values_list("case__referred_at", "decided_at"):
        lead["triage"].append(_days(referred_at, decided_at))
    for referred_at, discussed_at, closed_at in live.filter(
        _within("first_discussed_at", start, end) | _within("closed_at", start, end)
    ).values_list("referred_at", "first_discussed_at", "closed_at"):
        if discussed_at is not None and start <= discussed_at < end:
            lead["discussion"].append(_days(referred_at, discussed_at))
        if closed_at is not None and start <= closed_at < end:
            lead["closure"].append(_days(referred_at, closed_at))
    for referred_on, accepted_on, declined_on, discussed_on, closed_on in gone.filter(
        _within("accepted_on", since, until)
        | _within("declined_on", since, until)
        | _within("first_discussed_on", since, until)
        | _within("closed_on", since, until)
    ).values_list("referred_on", "accepted_on", "declined_on", "first_discussed_on", "closed_on"):
        for key, on in (
            ("triage", accepted_on),
            ("triage", declined_on),
            ("discussion", discussed_on),
            ("closure", closed_on),
        ):
            if on is not None and since <= on < until:
                lead[key].append(_days(referred_on, on))
    raw.lead_days = lead

    # Breakdowns of the cases referred in the period (8 queries).
    referred_live = live.filter(_within("referred_at", start, end))
    referred_gone = gone.filter(_within("referred_on", since, until))
    for key, path in (
        ("theme", "themes__name"),
        ("municipality", "municipality__name"),
        ("referring_party", "referring_party__name"),
        ("track", "track__name"),
    ):
        counts: dict[str, int] = {}
        for source in (referred_live, referred_gone):
            qs: QuerySet[Case] | QuerySet[CaseStatistic] = source
            _add(counts, qs.values_list(path).annotate(n=Count("id", distinct=True)).order_by())
        raw.breakdowns[key] = counts
    return raw


# Suppression --------------------------------------------------------------------------------


def _median(days: list[int]) -> float | None:
    if len(days) < SMALL_NUMBER_THRESHOLD:
        return None
    return float(statistics.median(days))


def _rows(counts: dict[str, int], none_label: str) -> list[Row]:
    """Shown counts, largest first; suppressed rows after them by name, so their order does
    not tell which of them is larger."""
    rows = [Row(label or none_label, Shown.of(n)) for label, n in counts.items() if n > 0]
    return sorted(rows, key=lambda r: (-(r.count.value or 0), r.label.casefold()))


def _shown(
    raw: RawFigures, houses: list[str], since: datetime.date, until: datetime.date
) -> WorkFigures:
    c = raw.counts
    totals = [
        Row(_("Aangemeld"), Shown.of(c["referred"])),
        Row(_("Bij triage afgewezen (geen casus voor het huis)"), Shown.of(c["declined"])),
        Row(_("Geaccepteerd"), Shown.of(c["accepted"])),
        Row(_("Voor het eerst besproken in een casusoverleg"), Shown.of(c["discussed"])),
        Row(_("Afgeschaald"), Shown.of(c["closed"])),
        *(
            Row(
                _("Afgeschaald: %(reason)s") % {"reason": reason.label},
                Shown.of(raw.closed[reason]),
            )
            for reason in ClosureReason
        ),
    ]
    lead_times = [
        LeadTime(label, Shown.of(len(raw.lead_days[key])), _median(raw.lead_days[key]))
        for key, label in (
            ("triage", _("Aanmelding tot triagebesluit")),
            ("discussion", _("Aanmelding tot eerste casusoverleg")),
            ("closure", _("Aanmelding tot afschaling")),
        )
    ]
    breakdowns = [
        Breakdown(key, title, _rows(raw.breakdowns[key], none_label))
        for key, title, none_label in (
            ("theme", _("Aanmeldingen per thema"), _("Geen thema")),
            ("municipality", _("Aanmeldingen per gemeente"), _("Onbekend")),
            ("referring_party", _("Aanmeldingen per aanmeldende partij"), _("Onbekend")),
            ("track", _("Aanmeldingen per werkproces"), _("Onbekend")),
        )
    ]
    return WorkFigures(
        houses=houses,
        since=since,
        until=until,
        totals=totals,
        lead_times=lead_times,
        breakdowns=breakdowns,
    )
