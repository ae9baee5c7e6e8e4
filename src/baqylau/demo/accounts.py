"""Demo accounts, one per role, for trying the product. Never created under production settings."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from baqylau.accounts.models import Profile
from baqylau.reference.models import Agency

DEFAULT_PASSWORD = "baqylau-demo"  # documented, demo only

# username, role, agency code, full name
DEMO_ACCOUNTS = [
    ("office", Profile.Role.OFFICE, None, "Project office (demo)"),
    ("reviewer", Profile.Role.REVIEWER, None, "Reviewer (demo)"),
    ("energy", Profile.Role.AGENCY_EDITOR, "MEN", "Ministry of Energy editor (demo)"),
    ("akimat", Profile.Role.AGENCY_EDITOR, "AKIMAT", "Regional akimat editor (demo)"),
    ("viewer", Profile.Role.VIEWER, None, "Viewer (demo)"),
]


def demo_password() -> str:
    return os.environ.get("BAQYLAU_DEMO_PASSWORD") or DEFAULT_PASSWORD


@transaction.atomic
def create_demo_accounts() -> list[str]:
    """Create or refresh the demo accounts; returns their usernames."""
    if not getattr(settings, "BAQYLAU_DEMO_ACCOUNTS", False):
        raise ImproperlyConfigured("Demo accounts are disabled in these settings (BAQYLAU_DEMO_ACCOUNTS).")
    user_model = get_user_model()
    password = demo_password()
    names = []
    for username, role, agency_code, full_name in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        # Staff may open the admin; what they may do there is set by their role (accounts/rules.py).
        # Nobody is a superuser: a superuser would bypass the rules (e.g. review a draft).
        user.is_staff = role in (Profile.Role.OFFICE, Profile.Role.REVIEWER)
        user.is_superuser = False
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        agency = Agency.objects.get(code=agency_code) if agency_code else None
        Profile.objects.update_or_create(user=user, defaults={"role": role, "agency": agency})
        names.append(username)
    return names
