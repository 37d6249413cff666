# SPDX-License-Identifier: EUPL-1.2
"""Reads of privacy operations, scoped to the privacy officer and audited.

The data-subject export gathers what every registered export source holds about the person
(`privacy.registry`), keeps the sections of the controllers the officer answers for, and adds
who accessed the data (`privacy.audit_log.selectors.person_access_report`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ketentafel.accounts.models import Role, User
from ketentafel.accounts.policies import roles_in_force
from ketentafel.audit.models import Action as AuditAction
from ketentafel.audit.models import AuditEvent, Result
from ketentafel.audit.services import audit_listing
from ketentafel.core.errors import NotAllowed, NotFound
from ketentafel.covenants.models import House, Party
from ketentafel.privacy import registry
from ketentafel.privacy.audit_log.policies import AuditScope
from ketentafel.privacy.audit_log.selectors import AccessLine, person_access_report
from ketentafel.privacy.models import (
    OPEN_REQUEST_STATUSES,
    DataSubjectRequest,
    DeletionRecord,
)
from ketentafel.privacy.policies import PrivacyScope, privacy_scope_for
from ketentafel.privacy.registry import ExportSection, OpenCaseFlag, PersonRef


def privacy_record(
    actor: User,
    action: AuditAction,
    object_type: str,
    *,
    object_id: object = "",
    object_ids: Iterable[object] = (),
    person_ids: Iterable[object] = (),
    data_party_ids: Iterable[int] = (),
    house_id: int | None = None,
    role: str = "privacy_officer",
) -> None:
    """A privacy officer's read, in a transaction of its own (`audit_listing`)."""
    audit_listing(
        actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_ids=object_ids,
        person_ids=person_ids,
        data_party_ids=data_party_ids,
        house_id=house_id,
        role=role,
        purpose="privacy",
    )


# Data-subject requests ----------------------------------------------------------------------


def requests_visible_to(actor: User) -> QuerySet[DataSubjectRequest]:
    scope = privacy_scope_for(actor)
    return DataSubjectRequest.objects.filter(house_id__in=scope.officer_house_ids).select_related(
        "house"
    )


def get_request_for(actor: User, request_id: UUID) -> tuple[PrivacyScope, DataSubjectRequest]:
    """One request of a house the actor is privacy officer of; audited as a read."""
    scope = privacy_scope_for(actor)
    request = (
        DataSubjectRequest.objects.filter(pk=request_id, house_id__in=scope.officer_house_ids)
        .select_related("house")
        .prefetch_related("notices__party")
        .first()
    )
    if request is None:
        raise NotFound(gettext("Dit verzoek bestaat niet."))
    privacy_record(
        actor,
        AuditAction.READ,
        "datasubjectrequest",
        object_id=request.pk,
        house_id=request.house_id,
    )
    return scope, request


@dataclass
class Matches:
    """Where the subject appears: in the officer's scope, and elsewhere (counted only)."""

    persons: list[PersonRef]
    sections: list[ExportSection]
    elsewhere: dict[int, int] = field(default_factory=dict)


def _matches(scope: PrivacyScope, request: DataSubjectRequest) -> Matches:
    refs: list[PersonRef] = []
    for source in registry.export_sources():
        refs.extend(
            source.find(
                bsn=request.subject_bsn,
                surname=request.subject_surname,
                birth_date=request.subject_birth_date,
            )
        )
    sections = [s for source in registry.export_sources() for s in source.sections(persons=refs)]
    house_of = {ref.case_id: ref.house_id for ref in refs}
    kept_sections = [
        s
        for s in sections
        if s.case_id in house_of
        and house_of[s.case_id] in scope.officer_house_ids
        and scope.may_see_controller(house_of[s.case_id], s.controller_party_id)
    ]
    visible_cases = {s.case_id for s in kept_sections}
    kept = [r for r in refs if r.case_id in visible_cases]
    elsewhere = Counter(r.house_id for r in {r.case_id: r for r in refs}.values())
    for ref in {r.case_id: r for r in kept}.values():
        elsewhere[ref.house_id] -= 1
    return Matches(
        persons=kept,
        sections=kept_sections,
        elsewhere={house: n for house, n in elsewhere.items() if n > 0},
    )


@dataclass(frozen=True)
class ControllerPart:
    party_id: int
    party_name: str
    sections: list[ExportSection]


@dataclass(frozen=True)
class SubjectExport:
    """Everything about a data subject the officer answers for, per controller."""

    request: DataSubjectRequest
    generated_at: datetime.datetime
    generated_by: str
    persons: list[PersonRef]
    controllers: list[ControllerPart]
    access_log: list[AccessLine]
    elsewhere: list[tuple[str, int]]
    recipients: list[tuple[int, str]]

    def as_json(self) -> dict[str, Any]:
        return {
            "request": {
                "id": str(self.request.pk),
                "kind": self.request.kind,
                "received_on": self.request.received_on.isoformat(),
                "due_on": self.request.due_on.isoformat(),
                "house": self.request.house.name,
            },
            "generated_at": self.generated_at.isoformat(),
            "generated_by": self.generated_by,
            "persons": [
                {"person_id": str(p.person_id), "case_id": str(p.case_id)} for p in self.persons
            ],
            "controllers": [
                {
                    "party_id": part.party_id,
                    "party": part.party_name,
                    "sections": [
                        {"title": s.title, "case_id": str(s.case_id), "records": s.records}
                        for s in part.sections
                    ],
                }
                for part in self.controllers
            ],
            "access_log": [
                {
                    "seq": line.seq,
                    "occurred_at": line.occurred_at.isoformat(),
                    "action": line.action,
                    "result": line.result,
                    "object_type": line.object_type,
                    "case_id": line.case_id,
                    "actor": line.actor_name,
                    "party": line.party_name,
                    "role": line.role,
                    "purpose": line.purpose,
                }
                for line in self.access_log
            ],
            "elsewhere": [{"house": name, "cases": n} for name, n in self.elsewhere],
            "recipients": [{"party_id": pk, "party": name} for pk, name in self.recipients],
        }


def _recipients(lines: list[AccessLine], actor_parties: dict[int, int]) -> list[tuple[int, str]]:
    """Parties whose users received the data (allowed reads, searches, exports, prints)."""
    seen: dict[int, str] = {}
    for line in lines:
        if line.result != "allowed" or line.actor_id is None:
            continue
        if line.action not in ("read", "search", "export", "print", "disclose"):
            continue
        party_id = actor_parties.get(line.actor_id)
        if party_id is not None and line.role != "privacy_officer":
            seen[party_id] = line.party_name
    return sorted(seen.items(), key=lambda kv: kv[1])


def _build_export(
    actor: User, scope: PrivacyScope, request: DataSubjectRequest, controller: int | None
) -> SubjectExport:
    matches = _matches(scope, request)
    sections = [
        s for s in matches.sections if controller is None or s.controller_party_id == controller
    ]
    grouped: dict[int, list[ExportSection]] = defaultdict(list)
    for section in sections:
        grouped[section.controller_party_id].append(section)
    names = dict(Party.objects.filter(pk__in=grouped).values_list("pk", "name"))
    person_ids = [str(p.person_id) for p in matches.persons]
    audit_scope = AuditScope(house_ids=scope.whole_house_ids, party_id=scope.party_id)
    lines = person_access_report(person_ids, within=audit_scope.q()) if person_ids else []
    actor_parties = dict(
        User.objects.filter(pk__in={ln.actor_id for ln in lines if ln.actor_id}).values_list(
            "pk", "party_id"
        )
    )
    houses = dict(House.objects.filter(pk__in=matches.elsewhere).values_list("pk", "name"))
    return SubjectExport(
        request=request,
        generated_at=timezone.now(),
        generated_by=actor.get_full_name() or actor.username,
        persons=matches.persons,
        controllers=[
            ControllerPart(party_id=pk, party_name=names.get(pk, ""), sections=grouped[pk])
            for pk in sorted(grouped, key=lambda pk: names.get(pk, ""))
        ],
        access_log=lines,
        elsewhere=sorted((houses[h], n) for h, n in matches.elsewhere.items()),
        recipients=_recipients(lines, actor_parties),
    )


def _record_subject(actor: User, action: AuditAction, export: SubjectExport) -> None:
    """Record what was found of a data subject: the cases, the persons and the controllers
    whose data it holds."""
    privacy_record(
        actor,
        action,
        "datasubject",
        object_id=export.request.pk,
        object_ids=[p.case_id for p in export.persons],
        person_ids=[p.person_id for p in export.persons],
        data_party_ids=[part.party_id for part in export.controllers],
        house_id=export.request.house_id,
    )


def request_matches_for(actor: User, request_id: UUID) -> SubjectExport:
    """What the officer finds about the request's subject; audited as a search."""
    scope, request = get_request_for(actor, request_id)
    found = _build_export(actor, scope, request, None)
    _record_subject(actor, AuditAction.SEARCH, found)
    return found


def request_export_for(
    actor: User, request_id: UUID, *, controller: int | None = None
) -> SubjectExport:
    """The access export (art. 15), for one controller or every one the officer answers for;
    audited as an export naming the persons and the controllers whose data left."""
    scope, request = get_request_for(actor, request_id)
    if controller is not None and not (
        scope.answers_for_house(request.house_id) or controller == scope.party_id
    ):
        raise NotAllowed(
            gettext("U exporteert alleen de gegevens waarvoor uw partij verantwoordelijk is.")
        )
    export = _build_export(actor, scope, request, controller)
    _record_subject(actor, AuditAction.EXPORT, export)
    return export


def recipients_for_request(actor: User, request: DataSubjectRequest) -> list[int]:
    """The parties that must hear of a rectification, erasure or restriction (art. 19)."""
    scope = privacy_scope_for(actor)
    return [pk for pk, _name in _build_export(actor, scope, request, None).recipients]


# Retention ----------------------------------------------------------------------------------


def deletion_records_for(actor: User, house_id: int | None = None) -> QuerySet[DeletionRecord]:
    """Proof of purges in the officer's houses (ids, rules and counts only)."""
    scope = privacy_scope_for(actor)
    houses = scope.officer_house_ids
    if house_id is not None:
        houses = houses & {house_id}
    return DeletionRecord.objects.filter(house_id__in=houses).select_related("house", "track")


def open_case_flags_for(actor: User, *, today: datetime.date | None = None) -> list[OpenCaseFlag]:
    """Open cases of which the actor is process coordinator, near or past their maximum age."""
    if not roles_in_force(actor).filter(role=Role.PROCESS_COORDINATOR).exists():
        raise NotAllowed(
            gettext("Alleen een procesregisseur ziet signalen over de eigen casussen.")
        )
    houses = set(
        roles_in_force(actor)
        .filter(role=Role.PROCESS_COORDINATOR)
        .values_list("house_id", flat=True)
    )
    flags = registry.case_source().open_flags(
        today=today or timezone.localdate(), coordinator_id=actor.pk, house_ids=houses
    )
    privacy_record(
        actor,
        AuditAction.SEARCH,
        "case",
        object_ids=[f.case_id for f in flags],
        role=Role.PROCESS_COORDINATOR,
    )
    return flags


def listing_record(actor: User, object_type: str, object_ids: Iterable[object]) -> None:
    """One search event for a list the officer read, naming what it returned."""
    privacy_record(actor, AuditAction.SEARCH, object_type, object_ids=object_ids)


# Screens ------------------------------------------------------------------------------------
#
# The privacy officer's screens read what the API reads and record it the same way (a search
# naming the rows a list returned, a read of one request or incident), in the transaction of
# the read itself.

#: Closed requests and incidents a list shows after the open ones, most recent first.
CLOSED_SHOWN = 100


def privacy_houses_for(actor: User) -> QuerySet[House]:
    """The houses the actor is privacy officer of (the register forms' choices)."""
    scope = privacy_scope_for(actor)
    return House.objects.filter(pk__in=scope.officer_house_ids).order_by("name")


@dataclass(frozen=True)
class RequestRow:
    """A request as the list shows it: its deadline (art. 12(3)) and the days left."""

    request: DataSubjectRequest
    due_on: datetime.date
    days_left: int | None

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def is_due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= 7

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _days_left(request: DataSubjectRequest, today: datetime.date) -> int | None:
    return (request.due_on - today).days if request.is_open else None


def request_rows_for(actor: User, *, today: datetime.date | None = None) -> list[RequestRow]:
    """Every open request of the officer's houses, the soonest (or most overdue) deadline
    first, then the most recently closed ones; recorded as one search naming them all."""
    today = today or timezone.localdate()
    requests = requests_visible_to(actor)
    with transaction.atomic():
        open_requests = list(requests.filter(status__in=OPEN_REQUEST_STATUSES))
        closed = list(
            requests.exclude(status__in=OPEN_REQUEST_STATUSES).order_by("-closed_at", "-pk")[
                :CLOSED_SHOWN
            ]
        )
        rows = sorted(
            (RequestRow(r, r.due_on, _days_left(r, today)) for r in open_requests),
            key=lambda row: (row.due_on, row.request.received_on),
        )
        rows += [RequestRow(r, r.due_on, None) for r in closed]
        listing_record(actor, "datasubjectrequest", [row.request.pk for row in rows])
    return rows


#: What each recorded change of a request means, by the reason its audit event carries.
_REQUEST_STEPS: dict[tuple[str, str], Promise] = {
    ("datasubjectrequest", ""): _("Verzoek geregistreerd"),
    ("datasubjectrequest", "extend"): _("Termijn verlengd"),
    ("datasubjectrequest", "in_progress"): _("In behandeling genomen"),
    ("datasubjectrequest", "completed"): _("Afgehandeld"),
    ("datasubjectrequest", "refused"): _("Afgewezen"),
    ("recipientnotice", ""): _("Geïnformeerde ontvanger vastgelegd (art. 19)"),
}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime.datetime
    what: str
    who: str


@dataclass(frozen=True)
class RequestPage:
    """One request with its deadline and its history (who changed what, when)."""

    scope: PrivacyScope
    request: DataSubjectRequest
    due_on: datetime.date
    days_left: int | None
    history: list[HistoryLine]

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _request_history(request: DataSubjectRequest) -> list[HistoryLine]:
    """The request's changes as the audit log holds them: every write of a request or of a
    recipient notice is an audit event in the same transaction (privacy.services)."""
    notice_ids = [str(n.pk) for n in request.notices.all()]
    events = list(
        AuditEvent.objects.filter(
            result=Result.ALLOWED,
            action__in=[AuditAction.CREATE, AuditAction.UPDATE],
        )
        .filter(
            Q(object_type="datasubjectrequest", object_id=str(request.pk))
            | Q(object_type="recipientnotice", object_id__in=notice_ids)
        )
        .order_by("seq")
    )
    names = {
        u.pk: u.get_full_name() or u.username
        for u in User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id})
    }
    lines = []
    for event in events:
        label = _REQUEST_STEPS.get((event.object_type, event.reason))
        if label is not None:
            lines.append(
                HistoryLine(
                    at=event.occurred_at, what=str(label), who=names.get(event.actor_id or 0, "")
                )
            )
    return lines


def request_page_for(
    actor: User, request_id: UUID, *, today: datetime.date | None = None
) -> RequestPage:
    """One request for its screen; recorded as the API records it (one read)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        scope, request = get_request_for(actor, request_id)
        history = _request_history(request)
    return RequestPage(
        scope=scope,
        request=request,
        due_on=request.due_on,
        days_left=_days_left(request, today),
        history=history,
    )


def deletion_record_rows_for(actor: User, *, limit: int = 500) -> list[DeletionRecord]:
    """The newest deletion records of the officer's houses, recorded as the API records them
    (one search naming the purged cases' pseudonymous ids)."""
    with transaction.atomic():
        records = list(deletion_records_for(actor)[:limit])
        listing_record(actor, "deletionrecord", [r.case_id for r in records])
    return records
