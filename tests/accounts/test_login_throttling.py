"""Login throttling locks a user name (whatever the address) and a client address (whatever the user
names), and behind trusted proxies it takes the client's address, not the proxy's."""

import pytest

LOGIN = "/accounts/login/"
PASSWORD = "baqylau-demo"


@pytest.fixture
def axes_on(settings, users):
    settings.AXES_ENABLED = True
    return settings.AXES_FAILURE_LIMIT


def attempt(client, username, password="wrong", **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta).status_code


def test_one_address_trying_many_user_names_is_locked(client, axes_on):
    for i in range(axes_on):
        attempt(client, f"guess{i}", REMOTE_ADDR="198.51.100.9")
    assert attempt(client, "akimat", PASSWORD, REMOTE_ADDR="198.51.100.9") == 429
    assert attempt(client, "akimat", PASSWORD, REMOTE_ADDR="203.0.113.5") == 302  # others are not


def test_one_user_name_tried_from_many_addresses_is_locked(client, axes_on):
    for i in range(axes_on):
        attempt(client, "energy", REMOTE_ADDR=f"198.51.100.{i + 1}")
    assert attempt(client, "energy", PASSWORD, REMOTE_ADDR="203.0.113.5") == 429
    assert attempt(client, "akimat", PASSWORD, REMOTE_ADDR="203.0.113.5") == 302


def test_behind_a_trusted_proxy_the_client_address_counts_not_the_proxys(client, axes_on, settings):
    settings.BAQYLAU_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for i in range(axes_on):  # the attacker also forges entries to the left: never believed
        attempt(client, f"guess{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 198.51.100.9", **proxy)
    assert attempt(client, "akimat", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy) == 429
    # Everyone else comes through the same proxy and is not locked out with the attacker.
    assert attempt(client, "akimat", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy) == 302


def test_without_a_trusted_proxy_a_forged_header_is_ignored(client, axes_on):
    for i in range(axes_on):
        attempt(client, f"guess{i}", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert attempt(client, "akimat", PASSWORD, REMOTE_ADDR="198.51.100.9") == 429


def test_two_trusted_proxies_take_the_second_entry_from_the_right(rf, settings):
    from baqylau.core.logs import client_address as client_ip

    settings.BAQYLAU_TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.1")
    assert client_ip(request) == "203.0.113.5"
    short = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(short) == "10.0.0.2"
    junk = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="junk, <script>")
    assert client_ip(junk) == "10.0.0.2"


def test_the_proxys_own_header_comes_first(rf, settings):
    from baqylau.core.logs import client_address

    settings.BAQYLAU_CLIENT_ADDRESS_HEADER, settings.BAQYLAU_TRUSTED_PROXY_COUNT = "HTTP_X_REAL_IP", 1
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.5", HTTP_X_FORWARDED_FOR="6.6.6.6"
    )
    assert client_address(request) == "203.0.113.5"
