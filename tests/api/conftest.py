import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

ROLES = ("office", "reviewer", "energy", "akimat", "viewer")


@pytest.fixture
def tokens(users):
    return {name: Token.objects.get_or_create(user=users[name])[0].key for name in ROLES}


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
