# SPDX-License-Identifier: EUPL-1.2
"""The `ketentafel` command: Django's manage.py, accepting hyphenated command names.

`ketentafel load-region gelderland-midden` runs the `load_region` management command, so the
names in the documentation read naturally while the modules stay importable.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketentafel.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
