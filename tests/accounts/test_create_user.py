"""`baqylau create-user`: an operator's first accounts, with their role and agency, checked as the admin
would check them; the password only from a terminal or standard input."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from baqylau.accounts.models import Profile


def create(monkeypatch, *args, password="Steppe-Wind-2024"):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_user", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_an_office_user_can_log_in_and_is_in_the_history(client, demo, monkeypatch):
    said = create(monkeypatch, "aigerim", "--role", "office", "--full-name", "Aigerim Nurlanovna")
    assert said.startswith("Created aigerim")
    user = get_user_model().objects.get(username="aigerim")
    assert (user.first_name, user.last_name, user.is_staff, user.is_superuser) == (
        "Aigerim",
        "Nurlanovna",
        True,
        False,
    )
    assert user.profile.role == Profile.Role.OFFICE
    assert user.profile.history.first().history_type == "+"
    login = client.post("/accounts/login/", {"username": "aigerim", "password": "Steppe-Wind-2024"})
    assert login.status_code == 302


def test_an_agency_editor_belongs_to_the_agency_named(demo, monkeypatch):
    create(monkeypatch, "energy-2", "--role", "agency_editor", "--agency", "MEN")
    profile = Profile.objects.get(user__username="energy-2")
    assert profile.agency.code == "MEN" and not profile.user.is_staff


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("ed", "--role", "agency_editor"), "Steppe-Wind-2024", "must belong to an agency"),
        (("ed", "--role", "agency_editor", "--agency", "NOPE"), "Steppe-Wind-2024", "agencies are: AKIMAT"),
        (("ed", "--role", "viewer"), "123", "The password is refused"),
        (("ed", "--role", "viewer"), "", "The password is empty"),
        (("viewer", "--role", "viewer"), "Steppe-Wind-2024", "exists already"),
    ],
)
def test_what_is_refused_creates_nothing(users, monkeypatch, args, password, message):
    count = get_user_model().objects.count()
    with pytest.raises(CommandError, match=message):
        create(monkeypatch, *args, password=password)
    assert get_user_model().objects.count() == count


def test_without_a_terminal_the_password_must_come_on_stdin(demo, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("create_user", "ed", "--role", "viewer")
