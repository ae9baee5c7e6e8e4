from django.core.management.base import BaseCommand

from baqylau.demo.loader import load_mangystau


class Command(BaseCommand):
    help = "Load the Mangystau demo plan (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        result = load_mangystau()
        if not result.changed:
            self.stdout.write("Mangystau demo plan is already loaded: nothing changed.")
            return
        for label, counts in (("created", result.created), ("updated", result.updated)):
            if counts:
                summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
                self.stdout.write(f"{label}: {summary}")
        self.stdout.write(self.style.SUCCESS("Mangystau demo plan loaded."))
