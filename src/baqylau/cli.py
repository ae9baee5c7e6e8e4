"""The ``baqylau`` command: every Django management command, like ``manage.py``.

Sub-commands may be spelt with hyphens (``baqylau load-demo``); they map to the underscored
module names Python requires (``load_demo``).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    # `baqylau serve` is the product as deployed; everything else defaults to the demo's settings.
    default = "baqylau.settings.production" if argv[1:2] == ["serve"] else "baqylau.settings.dev"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)
    from django.core.management import execute_from_command_line

    from baqylau.core.interface import interface

    with interface("cli"):  # every change made from the command line says so in the audit history
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()
