import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

API_ROLES = ("office", "reviewer", "energy", "akimat", "viewer")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Mangystau demo plan once into the test database; each test rolls back its own changes.

    Tests that flush the database (transactional_db, live_server) must reload it with ``load_mangystau``.
    """
    from baqylau.demo.loader import load_mangystau

    with django_db_blocker.unblock():
        load_mangystau()


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded attachments land in a folder of the test run, never in the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test's audit ids come again (SQLite), and
    the public pages' cache keys are made of them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def demo(db):
    """The Mangystau demo plan, as `make run` loads it."""
    from baqylau.plans.models import Plan

    return Plan.objects.get(code="MNG-URGENT-2024")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def users(demo):
    """The demo accounts by username: office, reviewer, energy, akimat, viewer."""
    from django.contrib.auth import get_user_model

    from baqylau.demo.accounts import create_demo_accounts

    create_demo_accounts()
    return {u.username: u for u in get_user_model().objects.filter(profile__isnull=False)}


@pytest.fixture
def tokens(users):
    return {name: Token.objects.get_or_create(user=users[name])[0].key for name in API_ROLES}


@pytest.fixture
def api(tokens):
    """A token-authenticated API client per demo account: ``api["office"].get(...)``."""
    clients = {}
    for name, key in tokens.items():
        client = APIClient()
        client.default_format = "json"  # the API reads JSON only
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients[name] = client
    return clients


@pytest.fixture
def anonymous():
    return APIClient()
