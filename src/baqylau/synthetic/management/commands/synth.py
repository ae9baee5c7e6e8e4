import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from baqylau.core.output import iso_date
from baqylau.synthetic.generate import National, generate_national, generate_rsr, remove


class Command(BaseCommand):
    help = (
        "Generate synthetic plans (marked synthetic; codes start with SYN-) for benchmarks and load tests: "
        "--plans N --measures-per-plan M (national scale: 20 x 1000), or --profile rsr [--scale 2] (the "
        "Akvo RSR workload). --replace deletes the seed's synthetic plans first; --remove only deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=20)
        parser.add_argument("--measures-per-plan", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--profile", choices=("national", "rsr"), default="national")
        parser.add_argument("--scale", type=int, default=1, help="rsr profile: 1 (50 indicators), 2 (100)")
        parser.add_argument("--today", type=iso_date, help="The synthetic world's today (default: today).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete this seed's synthetic plans first."
        )
        parser.add_argument("--remove", action="store_true", help="Only delete synthetic plans (this seed).")

    def handle(self, *args, **options):
        seed = options["seed"]
        if options["remove"] or options["replace"]:
            removed = remove(seed)
            self.stdout.write(f"removed {len(removed)} synthetic plan(s) of seed {seed}")
            if options["remove"]:
                return
        if options["plans"] < 1 or options["measures_per_plan"] < 1 or options["scale"] < 1:
            raise CommandError("--plans, --measures-per-plan and --scale must be at least 1")
        today = options.get("today") or timezone.localdate()
        began = time.perf_counter()
        try:
            if options["profile"] == "rsr":
                summary = generate_rsr(options["scale"], today, seed, progress=self.stdout.write)
            else:
                shape = National(options["plans"], options["measures_per_plan"], seed=seed)
                summary = generate_national(shape, today, progress=self.stdout.write)
        except ValueError as refused:
            raise CommandError(str(refused)) from None
        for name, count in summary.rows.items():
            self.stdout.write(f"  {name:32} {count:>10,}")
        self.stdout.write(
            f"generated {len(summary.plans)} synthetic plan(s) in {time.perf_counter() - began:.1f} s"
        )
