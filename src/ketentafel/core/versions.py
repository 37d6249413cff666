# SPDX-License-Identifier: EUPL-1.2
"""Versions of records that people change, so a stale change is refused instead of
overwriting another's (docs/adr/0014-versions-and-conditional-updates.md).

Every update service calls `version_advance` in its transaction before it writes: it compares
the version the client last saw (the API's `If-Match`, a form's hidden `version`) with the
stored one and counts the stored one up with a compare-and-swap, so two changes made from the
same version cannot both be saved, whether or not the caller holds a row lock.
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketentafel.core.errors import DomainError


class StaleVersion(DomainError):
    """The client's version is not the stored one: someone else changed the record since."""

    status = 412
    title = gettext_lazy("Intussen gewijzigd")

    def __init__(self, current: int) -> None:
        super().__init__(
            _(
                "Iemand anders heeft dit intussen gewijzigd; bekijk de nieuwe stand en probeer "
                "opnieuw. De huidige versie is %(version)d."
            )
            % {"version": current}
        )
        self.current = current


class VersionRequired(DomainError):
    """An update without the version it was made from (RFC 6585, 428)."""

    status = 428
    title = gettext_lazy("Versie vereist")


def version_field() -> models.PositiveIntegerField[int, int]:
    """The `version` field of a record people change: 1 when made, counted up by
    `version_advance`, and sent as the API's ETag."""
    return models.PositiveIntegerField(
        default=1,
        db_default=1,
        editable=False,
        help_text=gettext_lazy("Counts changes; the API's ETag (core.versions)."),
    )


def version_advance(obj: models.Model, *, expected: int | None) -> int:
    """Refuse a change made from another version than the stored one, then count the stored
    version up by one; returns the new version.

    `expected` is the version the client saw; None for a caller without one (a service acting
    on its own reading, a test building state). The count goes up with
    `UPDATE ... SET version = version + 1 WHERE pk = %s AND version = %s`: a change that
    committed after `obj` was read leaves no row to update, and the caller gets
    `StaleVersion` too, so what it read is never written back over the newer state.
    """
    read = int(obj.version)  # type: ignore[attr-defined]
    if expected is not None and expected != read:
        raise StaleVersion(read)
    manager = type(obj)._default_manager
    if manager.filter(pk=obj.pk, version=read).update(version=F("version") + 1) != 1:
        latest = manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleVersion(int(latest or read))
    obj.version = read + 1  # type: ignore[attr-defined]
    return read + 1


def etag(version: int) -> str:
    """The entity tag of a version: strong, so `If-Match` can compare it (RFC 9110 13.1.1)."""
    return f'"{version}"'


_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')


def expected_version(if_match: str | None) -> int | None:
    """The version an `If-Match` header names: None for `*` (any current version), else the
    number in its one strong entity tag. A missing header answers 428; a weak tag, a list of
    several or a tag that is no version can match no version of ours and answers 412."""
    if if_match is None or not if_match.strip():
        raise VersionRequired(
            _(
                "Deze wijziging vraagt de header If-Match met de versie (ETag) die u het laatst "
                "las, zodat niemand ongemerkt andermans wijziging overschrijft."
            )
        )
    value = if_match.strip()
    if value == "*":
        return None
    tags: list[tuple[bool, str]] = []
    position = 0
    while position < len(value):
        match = _TAG.match(value, position)
        if match is None:
            break
        tags.append((match.group(1) is not None, match.group(2)))
        position = match.end()
    strong = [tag for weak, tag in tags if not weak]
    if position == len(value) and len(strong) == 1 and strong[0].isdigit() and len(strong[0]) < 10:
        return int(strong[0])
    # A tag that no version of ours has: the precondition is false whatever is stored.
    return -1
