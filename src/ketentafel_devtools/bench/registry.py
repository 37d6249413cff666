# SPDX-License-Identifier: EUPL-1.2
"""Sections of the benchmark: each module of this package registers one function.

A section is `bench/<name>.py` with a function decorated by `register`; the command
discovers every module of the package that is not part of the machinery below, so adding a
section takes no other edit. The function gets a `BenchContext` and returns a JSON-ready dict.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Modules of this package that are machinery, not sections.
MACHINERY = frozenset({"registry", "generate", "measure", "guard"})

Results = dict[str, Any]


@dataclass
class BenchContext:
    """What a section measures with: the run's options and the dataset's sample ids."""

    scale: int
    repeat: int
    audit_events: int
    audit_writes: int
    samples: dict[str, Any]
    log: Callable[[str], None] = print
    options: dict[str, Any] = field(default_factory=dict)


SectionFunction = Callable[[BenchContext], Results]


@dataclass(frozen=True)
class Section:
    name: str
    help: str
    order: int
    run: SectionFunction


_SECTIONS: dict[str, Section] = {}


def register(
    name: str, *, help: str, order: int = 100
) -> Callable[[SectionFunction], SectionFunction]:
    """Register `function` as the section `name`; sections run in `order`, then by name."""

    def decorate(function: SectionFunction) -> SectionFunction:
        existing = _SECTIONS.get(name)
        if existing is not None and existing.run is not function:
            raise ValueError(f"Benchmark section {name!r} is registered twice.")
        _SECTIONS[name] = Section(name=name, help=help, order=order, run=function)
        return function

    return decorate


def sections() -> dict[str, Section]:
    """Every section of the package, imported on first use, in running order."""
    package = importlib.import_module(__package__ or "ketentafel_devtools.bench")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name not in MACHINERY and not module.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{module.name}")
    ordered = sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name))
    return {s.name: s for s in ordered}
