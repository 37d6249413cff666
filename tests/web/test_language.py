# SPDX-License-Identifier: EUPL-1.2
"""English is available for every string: the catalogue leaves none untranslated, its
compiled form is the one shipped, and the messages of refusals are marked for translation."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ketentafel

CATALOGUE = Path(ketentafel.__file__).parent / "locale" / "en" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def _entries(po: Path = CATALOGUE / "django.po") -> dict[str, str]:
    text = po.read_text(encoding="utf-8")

    def joined(block: str) -> str:
        return "".join(re.findall(r'^"(.*)"$', block, re.MULTILINE))

    return {joined(m[1]): joined(m[2]) for m in ENTRY.finditer(text + "\n") if joined(m[1])}


def test_every_string_has_an_english_translation() -> None:
    entries = _entries()
    assert len(entries) > 400
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in (CATALOGUE / "django.po").read_text(encoding="utf-8")


def _unescaped(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_the_compiled_catalogue_holds_every_translation() -> None:
    """The .mo file is compiled from the current .po file (compilemessages was run)."""
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        msgid
        for msgid, msgstr in _entries().items()
        if catalogue.gettext(_unescaped(msgid)) != _unescaped(msgstr)
    ]
    assert stale == []
    assert catalogue.gettext("Werkvoorraad") == "Work queue"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogue_holds_every_string_marked_for_translation(tmp_path: Path) -> None:
    """makemessages, run over a copy of the package, finds no string the shipped catalogue
    lacks: a new string marked for translation fails here until it is translated."""
    package = Path(ketentafel.__file__).parent
    copy = tmp_path / "ketentafel"
    # The copy holds its own `locale`, so makemessages writes there and leaves the shipped
    # catalogue as it is.
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en"],
        cwd=copy,
        env=os.environ,
        check=True,
        capture_output=True,
    )
    scanned = _entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert sorted(set(scanned) - set(_entries())) == []


# Besides the domain's own errors, the framework's that reach a reader with their message.
REFUSALS = {"ValidationError", "PermissionDenied", "ParseError", "NotAuthenticated", "Http404"}
MESSAGE = {"message", "detail"}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def _domain_errors(trees: list[ast.Module]) -> set[str]:
    """`DomainError` and every class the package derives from it, however deep."""
    bases = {
        node.name: {_name(base) for base in node.bases}
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    found = {"DomainError"}
    while grown := {name for name, of in bases.items() if of & found} - found:
        found |= grown
    return found


def _unmarked(node: ast.expr) -> list[ast.expr]:
    """The literal texts in an exception's message: a string, an f-string, or the values of a
    dict of messages by field."""
    if isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    ):
        return [node]
    if isinstance(node, ast.Dict):
        return [text for value in node.values if value for text in _unmarked(value)]
    return []


def test_every_refusal_is_marked_for_translation() -> None:
    """A literal message given to a refusal would reach an English reader in Dutch: it goes
    through gettext (and so into the catalogue the tests above check) instead."""
    package = Path(ketentafel.__file__).parent
    modules = {
        path.relative_to(package).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(package.rglob("*.py"))
        if "/migrations/" not in path.as_posix()
    }
    refusals = _domain_errors(list(modules.values())) | REFUSALS
    assert {"InvalidInput", "NotAllowed", "NotFound", "StaleVersion", "KeyReused"} <= refusals
    unmarked = [
        f"{name}:{text.lineno}"
        for name, tree in modules.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _name(node.func) in refusals
        for message in node.args[:1] + [k.value for k in node.keywords if k.arg in MESSAGE]
        for text in _unmarked(message)
    ]
    assert unmarked == []
