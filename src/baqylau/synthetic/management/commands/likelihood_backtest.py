from django.core.management.base import BaseCommand, CommandError

from baqylau.synthetic import backtest


def _seeds(text: str) -> tuple[int, ...]:
    try:
        seeds = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise CommandError(f"--seeds: {text!r} is not a comma-separated list of numbers") from None
    if not seeds or min(seeds) < 1:
        raise CommandError("--seeds: every seed must be at least 1")
    return seeds


class Command(BaseCommand):
    help = (
        "Score the likelihood of delivery on synthetic plans whose true finishes are known: calibration "
        "by decile and Brier score against the status-only baseline, as of today. Generates one synthetic "
        "plan per seed (replacing that seed's synthetic plans) and removes it afterwards unless --keep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seeds", default=",".join(map(str, backtest.HELD_OUT)))
        parser.add_argument("--measures", type=int, default=5000, help="Measures per plan (default 5000).")
        parser.add_argument("--keep", action="store_true", help="Keep the generated plans.")

    def handle(self, *args, **options):
        if options["measures"] < 100:
            raise CommandError("--measures must be at least 100: fewer leave the deciles empty")
        result = backtest.run(_seeds(options["seeds"]), options["measures"], keep=options["keep"])
        self.stdout.write("\n".join(result.lines()))
        if not result.calibrated or result.brier >= result.baseline_brier:
            raise CommandError("the likelihood is not calibrated, or does not beat the status-only baseline")
