# SPDX-License-Identifier: EUPL-1.2
"""Links to many objects of one kind, for lists.

`reverse()` resolves the URL pattern on every call, and `{% url %}` adds the template tag's
own cost: a list of 100 rows spent more on its links than on its data (docs/performance.md,
pages). The links of one view differ only in the id, so the URL is reversed once.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.urls import reverse

_PLACEHOLDER = UUID(int=0)


def link_for_each(viewname: str) -> Callable[[UUID], str]:
    """A function giving the URL of `viewname` for an object id, as `reverse()` would."""
    prefix, _sep, suffix = reverse(viewname, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return lambda pk: f"{prefix}{pk}{suffix}"
