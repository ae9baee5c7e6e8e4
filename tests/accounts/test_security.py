"""Security properties of a deployment: throttling, production settings, demo accounts, headers."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured


def baqylau(*args, **env):
    """Run the real `baqylau` command in a fresh process with the given environment."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("BAQYLAU_")} | env
    return subprocess.run(
        [sys.executable, "-m", "baqylau.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def test_logins_are_throttled_after_repeated_failures(client, users, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "energy", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    fifth = client.post("/accounts/login/", {"username": "energy", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post("/accounts/login/", {"username": "energy", "password": "baqylau-demo"})
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    # Another account from another address is not locked.
    other = client.post(
        "/accounts/login/", {"username": "akimat", "password": "baqylau-demo"}, REMOTE_ADDR="192.0.2.7"
    )
    assert other.status_code == 302


def test_production_settings_pass_the_deploy_check():
    result = baqylau(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="baqylau.settings.production",
        BAQYLAU_SECRET_KEY=secrets.token_urlsafe(64),
        BAQYLAU_ALLOWED_HOSTS="baqylau.example.kz",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = baqylau(
        "check", DJANGO_SETTINGS_MODULE="baqylau.settings.production", DATABASE_URL="sqlite:///:memory:"
    )
    assert result.returncode != 0 and "BAQYLAU_SECRET_KEY" in result.stderr


def test_demo_accounts_are_never_created_under_production_settings(db, settings):
    from baqylau.demo.accounts import create_demo_accounts

    settings.BAQYLAU_DEMO_ACCOUNTS = False
    with pytest.raises(ImproperlyConfigured):
        create_demo_accounts()


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, users):
    client.force_login(users["office"])
    response = client.get("/", {"as_of": "2026-11-28"})
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()  # every script is a file; data is application/json


def test_no_secret_is_committed():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    production = (root / "src/baqylau/settings/production.py").read_text()
    assert "SECRET_KEY =" not in production.replace("SECRET_KEY = SECRET_KEY", "")
