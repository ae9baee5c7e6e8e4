"""``baqylau create-user``: an account with its role (and agency), the way an operator makes the first ones.

The password never appears on the command line: it is asked twice on a terminal, or read from the first
line of standard input with ``--password-stdin`` (for scripts). Nobody is made a superuser: a superuser
would bypass the permission rules (accounts/rules.py); the office and reviewers may open the admin.
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baqylau.accounts.models import Profile
from baqylau.reference.models import Agency

STAFF_ROLES = {Profile.Role.OFFICE, Profile.Role.REVIEWER}


class Command(BaseCommand):
    help = "Create a user with a role (office, reviewer, agency_editor, viewer) and agency staff's agency."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Profile.Role.values)
        parser.add_argument("--agency", metavar="CODE", help="the agency's code (required for agency_editor)")
        parser.add_argument("--full-name", default="", help='e.g. "Aigerim Nurlanovna"')
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from the first line of stdin"
        )

    def handle(self, *args, username, role, agency, full_name, email, password_stdin, **options):
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            raise CommandError(f"A user {username!r} exists already; change it in the administration.")
        found = None
        if agency:
            found = Agency.objects.filter(code=agency).first()
            if found is None:
                known = ", ".join(Agency.objects.order_by("code").values_list("code", flat=True)) or "none"
                raise CommandError(f"No agency with the code {agency!r}; the agencies are: {known}.")
        if role == Profile.Role.AGENCY_EDITOR and found is None:
            raise CommandError("An agency editor must belong to an agency: give --agency CODE.")
        password = self._password(password_stdin)
        first, _, last = full_name.partition(" ")
        user = user_model(username=username, email=email, first_name=first, last_name=last)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is refused: " + " ".join(error.messages)) from error
        with transaction.atomic():
            user.is_staff = role in STAFF_ROLES
            user.set_password(password)
            user.save()
            profile = Profile(user=user, role=role, agency=found)
            profile.full_clean()
            profile.save()
        where = f" of {found.code}" if found else ""
        self.stdout.write(f"Created {username}: {profile.get_role_display()}{where}.")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise CommandError("The two passwords differ; nothing was created.")
        else:
            raise CommandError("No terminal to ask for the password: pipe it in with --password-stdin.")
        if not password:
            raise CommandError("The password is empty; nothing was created.")
        return password
