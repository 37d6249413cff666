# SPDX-License-Identifier: EUPL-1.2
"""`ketentafel load-region <name>`: load a shipped region file, or `--file` any other."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ketentafel.covenants.region_file import RegionFileError
from ketentafel.covenants.services import region_load, region_path


class Command(BaseCommand):
    help = "Load a region's covenant configuration (idempotent; a broken file loads nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="gelderland-midden, midden-nederland, ...")
        parser.add_argument("--file", type=Path, help="Load this region file instead.")

    def handle(self, *args: Any, name: str | None, file: Path | None, **options: Any) -> None:
        if (name is None) == (file is None):
            raise CommandError("Give a region name or --file, not both and not neither.")
        try:
            path = file if file is not None else region_path(str(name))
            report = region_load(path=path)
        except RegionFileError as exc:
            raise CommandError(f"Nothing was loaded.\n{exc}") from None
        self.stdout.write(self.style.SUCCESS(report.summary()))
