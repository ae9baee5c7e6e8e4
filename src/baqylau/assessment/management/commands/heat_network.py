import json

from django.core.management.base import BaseCommand, CommandError

from baqylau.balance import heat_network, load_heat_demo, read_demo
from baqylau.core.output import FORMATS, render


class Command(BaseCommand):
    help = (
        "The Aktau heat-network model: km of main pipe replaced against the plan by year, and the wear % "
        "of the main and whole-city networks that follows (demo inputs with their sources: docs/models.md)."
    )

    def add_arguments(self, parser):
        readings = sorted(read_demo("mangystau_heat")["actual_km"])
        parser.add_argument(
            "--reading",
            choices=readings,
            help="Which published series of km actually replaced (they disagree; default: the data's own).",
        )
        parser.add_argument(
            "--until", type=int, help="Last year to show (default: a year after the last km)."
        )
        parser.add_argument("--format", choices=FORMATS[:2], default="table")

    def handle(self, *args, **options):
        try:
            result = heat_network(load_heat_demo(options["reading"]), options["until"])
        except (KeyError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        rows = [
            {k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}
            for row in result.to_rows()
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
        else:
            self.stdout.write(render(rows, "table"))
