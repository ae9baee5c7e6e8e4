from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from baqylau.demo.accounts import create_demo_accounts, demo_password


class Command(BaseCommand):
    help = "Create the demo accounts (office, reviewer, energy, akimat, viewer). Refused in production."

    def handle(self, *args, **options):
        try:
            names = create_demo_accounts()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo accounts (demo only): {', '.join(names)}; password: {demo_password()}")
