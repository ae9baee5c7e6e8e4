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

    _make_sqlite_folder()

    from baqylau.core.interface import interface

    with interface("cli"):  # every change made from the command line says so in the audit history
        execute_from_command_line(argv)


def _make_sqlite_folder() -> None:
    """The embedded database's folder (var/ of a new BAQYLAU_HOME) is made on first use, so a first
    ``baqylau migrate`` works instead of failing with "unable to open database file"."""
    from pathlib import Path

    from django.conf import settings

    try:
        database = settings.DATABASES["default"]
    except Exception:  # settings that cannot load: Django's own command runner reports why
        return
    if database.get("ENGINE") in ("django.db.backends.sqlite3", "baqylau.core.sqlite") and str(
        database.get("NAME", "")
    ) not in (
        "",
        ":memory:",
    ):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    main()
