# SPDX-License-Identifier: EUPL-1.2
"""What the cases app tells privacy: which cases are due, what to delete, what to export.

Registered with `ketentafel.privacy.registry` in `CasesConfig.ready`. Periods come from each
track's retention rule (region file, docs/privacy.md). What goes when:

- a referral triage declined ("geen casus voor het huis"): the whole case, `declined_days`
  after the decision;
- at closure (`closure_days` after it): what the monitoring does not need, i.e. the triage
  decisions here, the plan's earlier versions (plans.retention) and the free text of the
  case's agenda items (meetings.retention); the information app removes the items;
- after the monitoring period (`monitoring_days`): everything else, the case row included
  (Gelderland-Midden art. 1.10: the dossier "uiteindelijk verdwijnt");
- an advice request handled locally (no case): the request, `declined_days` after it was
  concluded, under the rule of its house's complex-case track (`AdviceRetention`; an advice
  request that led to a referral goes with its case).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from uuid import UUID

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ketentafel.cases.models import (
    OPEN_PHASES,
    Case,
    CaseParty,
    Closure,
    Person,
    Phase,
    TriageDecision,
    TriageOutcome,
)
from ketentafel.covenants.models import Track
from ketentafel.privacy.models import DeletionRecord, Stage
from ketentafel.privacy.registry import (
    CaseFacts,
    CaseRows,
    DueCase,
    ExportSection,
    OpenCaseFlag,
    PersonRef,
    cutoff,
    delete_rows,
    local_date,
    start_of,
)


def _days_field(stage: Stage) -> str:
    return {
        Stage.DECLINED: "retention_declined_days",
        Stage.CLOSURE: "retention_closure_days",
        Stage.FINAL: "retention_monitoring_days",
    }[stage]


def _declined_at() -> Subquery:
    return Subquery(
        TriageDecision.objects.filter(case=OuterRef("pk"), outcome=TriageOutcome.NOT_FOR_HOUSE)
        .order_by("-decided_at")
        .values("decided_at")[:1]
    )


def _accepted_at() -> Subquery:
    """When triage accepted the case, kept for management information (reporting)."""
    return Subquery(
        TriageDecision.objects.filter(case=OuterRef("pk"), outcome=TriageOutcome.ACCEPTED)
        .order_by("decided_at")
        .values("decided_at")[:1]
    )


class CasesRetention:
    """Case source, purger (after information's) and export source for case data."""

    order = 100

    # -- due cases ----------------------------------------------------------------------

    def _due_queryset(self, stage: Stage, today: datetime.date) -> tuple[QuerySet[Case], str]:
        days_field = _days_field(stage)
        tracks = list(
            Track.objects.filter(**{f"{days_field}__isnull": False}).values_list("pk", days_field)
        )
        if stage == Stage.DECLINED:
            cases = Case.objects.filter(phase=Phase.DECLINED).annotate(
                ended_at=Coalesce(_declined_at(), F("updated_at"))
            )
        else:
            cases = Case.objects.filter(phase=Phase.CLOSED).annotate(ended_at=F("closed_at"))
        if stage == Stage.CLOSURE:
            cases = cases.exclude(
                pk__in=DeletionRecord.objects.filter(stage=Stage.CLOSURE).values("case_id")
            )
        final_days = dict(
            Track.objects.filter(retention_monitoring_days__isnull=False).values_list(
                "pk", "retention_monitoring_days"
            )
        )
        due = Q(pk__in=[])
        for track_id, days in tracks:
            match = Q(track_id=track_id, ended_at__lt=cutoff(today, days))
            if stage == Stage.CLOSURE:
                # A case whose dossier is due as well goes whole in the final stage at once.
                match &= Q(ended_at__gte=cutoff(today, final_days[track_id]))
            due |= match
        return cases.filter(due), days_field

    def due(
        self, *, stage: Stage, today: datetime.date, after: UUID | None, limit: int
    ) -> list[DueCase]:
        cases, days_field = self._due_queryset(stage, today)
        cases = cases.annotate(accepted_at=_accepted_at())
        if after is not None:
            cases = cases.filter(pk__gt=after)
        rows = list(
            cases.select_related("track", "closure")
            .order_by("pk")
            .values(
                "pk",
                "house_id",
                "track_id",
                "track__slug",
                "track__retention_source",
                "track__retention_is_example",
                f"track__{days_field}",
                "municipality_id",
                "referring_party_id",
                "subject_kind",
                "referred_at",
                "first_discussed_at",
                "closed_at",
                "ended_at",
                "closure__reason",
                "accepted_at",
            )[:limit]
        )
        ids = [row["pk"] for row in rows]
        persons: dict[UUID, list[UUID]] = defaultdict(list)
        for case_id, person_id in Person.objects.filter(case_id__in=ids).values_list(
            "case_id", "pk"
        ):
            persons[case_id].append(person_id)
        themes: dict[UUID, list[int]] = defaultdict(list)
        for case_id, theme_id in Case.themes.through.objects.filter(case_id__in=ids).values_list(
            "case_id", "theme_id"
        ):
            themes[case_id].append(theme_id)
        due = []
        for row in rows:
            days = row[f"track__{days_field}"]
            ended = local_date(row["ended_at"])
            assert ended is not None
            declined = stage == Stage.DECLINED
            due.append(
                DueCase(
                    case_id=row["pk"],
                    stage=stage,
                    due_on=ended + datetime.timedelta(days=days),
                    rule=f"{row['track__slug']}: {days_field.removeprefix('retention_')}={days}",
                    rule_source=row["track__retention_source"],
                    rule_is_example=row["track__retention_is_example"],
                    person_ids=tuple(sorted(persons[row["pk"]])),
                    facts=CaseFacts(
                        house_id=row["house_id"],
                        track_id=row["track_id"],
                        municipality_id=row["municipality_id"],
                        referring_party_id=row["referring_party_id"],
                        theme_ids=tuple(sorted(themes[row["pk"]])),
                        subject_kind=row["subject_kind"],
                        person_count=len(persons[row["pk"]]),
                        referred_on=local_date(row["referred_at"]) or ended,
                        accepted_on=local_date(row["accepted_at"]),
                        first_discussed_on=local_date(row["first_discussed_at"]),
                        closed_on=local_date(row["closed_at"]),
                        declined_on=ended if declined else None,
                        outcome="declined" if declined else (row["closure__reason"] or "closed"),
                    ),
                )
            )
        return due

    def open_flags(
        self,
        *,
        today: datetime.date,
        coordinator_id: int | None = None,
        house_ids: Iterable[int] | None = None,
    ) -> list[OpenCaseFlag]:
        tracks = list(
            Track.objects.filter(retention_open_max_days__isnull=False).values_list(
                "pk", "retention_open_max_days", "retention_open_warn_days"
            )
        )
        due = Q(pk__in=[])
        limits: dict[int, tuple[int, int]] = {}
        for track_id, max_days, warn_days in tracks:
            if max_days is None or warn_days is None:
                continue  # the database holds them together (track_retention_complete)
            limits[track_id] = (max_days, warn_days)
            cutoff = start_of(today - datetime.timedelta(days=max_days - warn_days - 1))
            due |= Q(track_id=track_id, referred_at__lt=cutoff)
        cases = Case.objects.filter(due, phase__in=OPEN_PHASES)
        if coordinator_id is not None:
            cases = cases.filter(process_coordinator_id=coordinator_id)
        if house_ids is not None:
            cases = cases.filter(house_id__in=list(house_ids))
        flags = []
        for row in cases.order_by("referred_at").values(
            "pk", "house_id", "track_id", "process_coordinator_id", "referred_at"
        ):
            referred = local_date(row["referred_at"])
            assert referred is not None
            max_days, warn_days = limits[row["track_id"]]
            flags.append(
                OpenCaseFlag(
                    case_id=row["pk"],
                    house_id=row["house_id"],
                    track_id=row["track_id"],
                    process_coordinator_id=row["process_coordinator_id"],
                    referred_on=referred,
                    warn_from=referred + datetime.timedelta(days=max_days - warn_days),
                    max_age_on=referred + datetime.timedelta(days=max_days),
                )
            )
        return flags

    # -- purging ------------------------------------------------------------------------

    def purge(
        self, *, stage: Stage, case_ids: Sequence[UUID], delete: bool
    ) -> dict[UUID, Counter[str]]:
        """The case's own rows; the rooms above it (advice, meetings, plans, information) take
        theirs first with their own purgers, and the foreign keys are checked at commit."""
        rows = CaseRows(case_ids, delete=delete)
        rows.take("triage_decision", TriageDecision.objects.filter(case_id__in=case_ids), "case_id")
        if stage == Stage.CLOSURE:
            return rows.counts
        rows.take("closure", Closure.objects.filter(case_id__in=case_ids), "case_id")
        rows.take("case_party", CaseParty.objects.filter(case_id__in=case_ids), "case_id")
        rows.take("person", Person.objects.filter(case_id__in=case_ids), "case_id")
        themes = Case.themes.through.objects.filter(case_id__in=case_ids)
        if delete:
            delete_rows(themes)  # links to configuration, not personal data: not counted
        rows.take("case", Case.objects.filter(pk__in=case_ids), "pk")
        return rows.counts

    # -- data-subject export ------------------------------------------------------------

    def find(
        self, *, bsn: str = "", surname: str = "", birth_date: datetime.date | None = None
    ) -> list[PersonRef]:
        match = Q(pk__in=[])
        if bsn:
            match |= Q(bsn=bsn)
        if surname and birth_date is not None:
            match |= Q(surname_key=Person.key_for(surname), birth_date=birth_date)
        people = list(
            Person.objects.filter(match).select_related("case", "case__house").order_by("case_id")
        )
        parties: dict[UUID, set[int]] = defaultdict(set)
        for case_id, party_id in CaseParty.objects.filter(
            case_id__in={p.case_id for p in people}
        ).values_list("case_id", "party_id"):
            parties[case_id].add(party_id)
        refs = []
        for person in people:
            case = person.case
            involved = {case.referring_party_id, *parties[case.pk]}
            for extra in (case.case_coordinator_party_id, case.house.managing_municipality_id):
                if extra is not None:
                    involved.add(extra)
            refs.append(
                PersonRef(
                    person_id=person.pk,
                    case_id=case.pk,
                    house_id=case.house_id,
                    involved_party_ids=frozenset(involved),
                )
            )
        return refs

    def sections(self, *, persons: Sequence[PersonRef]) -> list[ExportSection]:
        """The referral (the referring party's) and the process record (the house's)."""
        wanted = {ref.person_id for ref in persons}
        cases = (
            Case.objects.filter(pk__in={ref.case_id for ref in persons})
            .select_related("house", "track", "municipality", "referring_party", "closure")
            .prefetch_related(
                "persons",
                "themes",
                "triage_decisions",
                "agenda_items__decisions",
                "action_plan__actions",
            )
            .order_by("referred_at")
        )
        out = []
        for case in cases:
            referral = ExportSection(
                controller_party_id=case.referring_party_id,
                title=f"Aanmelding casus {case.pk} ({case.house.name})",
                case_id=case.pk,
            )
            for person in case.persons.all():
                if person.pk not in wanted:
                    continue
                referral.records.append(
                    {
                        "Soort": "Persoonsgegevens",
                        "Voornamen": person.given_names,
                        "Achternaam": person.surname,
                        "Geboortedatum": person.birth_date.isoformat(),
                        "BSN": person.bsn,
                        "Adres": person.address,
                        "Woonplaats": person.municipality,
                    }
                )
            referral.records.append(
                {
                    "Soort": "Aanmelding",
                    "Werkproces": case.track.name,
                    "Aangemeld op": case.referred_at.date().isoformat(),
                    "Probleemstelling": case.problem_statement,
                    "Doel": case.goal,
                    "Gebied": case.area_description,
                    "Thema's": ", ".join(t.name for t in case.themes.all()),
                }
            )
            out.append(referral)
            process = ExportSection(
                controller_party_id=case.house.managing_municipality_id or case.referring_party_id,
                title=f"Procesregie casus {case.pk} ({case.house.name})",
                case_id=case.pk,
            )
            process.records.append({"Soort": "Fase", "Fase": str(Phase(case.phase).label)})
            for triage in case.triage_decisions.all():
                process.records.append(
                    {
                        "Soort": "Triagebesluit",
                        "Datum": triage.decided_at.date().isoformat(),
                        "Uitkomst": str(TriageOutcome(triage.outcome).label),
                        "Toelichting": triage.explanation,
                    }
                )
            for item in case.agenda_items.all():
                process.records.append(
                    {
                        "Soort": "Casusoverleg",
                        "Verslag": item.minutes,
                        "Wie informeert de cliënt": item.informs_client,
                        "Bij aanhouding": item.on_arrest,
                        "Voortgang": item.progress,
                        "Besluiten": "; ".join(d.text for d in item.decisions.all()),
                    }
                )
            plan = getattr(case, "action_plan", None)
            if plan is not None:
                process.records.append({"Soort": "Plan van aanpak", "Doel": plan.goal})
                for action in plan.actions.all():
                    process.records.append(
                        {
                            "Soort": "Actie",
                            "Wat": action.what,
                            "Uiterlijk": action.due_on.isoformat(),
                            "Status": action.status,
                        }
                    )
            closure = getattr(case, "closure", None)
            if closure is not None:
                process.records.append(
                    {
                        "Soort": "Afschaling",
                        "Reden": closure.reason,
                        "Toelichting": closure.explanation,
                        "Bericht aan aanmelder": closure.referrer_notice,
                    }
                )
            out.append(process)
        return out


cases_retention = CasesRetention()
