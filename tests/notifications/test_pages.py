"""'Sent to me' and the office's outbox, from the user's side."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baqylau.notifications.models import Contact, Notification
from baqylau.reference.models import Agency


def notification(contact, subject, **fields):
    return Notification.objects.create(
        rule="due_soon",
        plan_id=fields.pop("plan_id"),
        item_key=fields.pop("item_key", "instruction:I-05"),
        day=fields.pop("day", dt.date(2024, 12, 24)),
        recipient=contact.email,
        contact=contact,
        user=contact.user,
        agency=contact.agency,
        language=contact.language,
        subject=subject,
        body=subject,
        link="http://127.0.0.1:8000/instructions/",
        **fields,
    )


@pytest.fixture
def sent(demo, users):
    akimat, men = Agency.objects.get(code="AKIMAT"), Agency.objects.get(code="MEN")
    contacts = {
        "akimat": Contact.objects.create(agency=akimat, email="akimat@example.kz", language="kk"),
        "men": Contact.objects.create(agency=men, email="men@example.kz", language="ru"),
        "office": Contact.objects.create(email="office@example.kz", language="ru"),
        "energy": Contact.objects.create(user=users["energy"], email="energy@example.kz", language="en"),
    }
    return {
        name: notification(c, f"For {name}", plan_id=demo.pk, state="sent", sent_at=dt.datetime.now(dt.UTC))
        for name, c in contacts.items()
    } | {
        "failed": notification(
            contacts["akimat"],
            "Failed one",
            plan_id=demo.pk,
            item_key="measure:W-04",
            state="failed",
            attempts=8,
            last_error="SMTPServerDisconnected: down",
        )
    }


def test_each_user_sees_what_was_sent_to_them_and_their_agency_only(client, users, sent):
    client.force_login(users["energy"])
    page = client.get("/notifications/").content.decode()
    assert "For energy" in page and "For men" in page  # their own address and their agency's mailbox
    assert "For akimat" not in page and "For office" not in page
    client.force_login(users["akimat"])
    page = client.get("/notifications/").content.decode()
    assert "For akimat" in page and "For men" not in page and "For energy" not in page
    client.force_login(users["office"])
    page = client.get("/notifications/").content.decode()
    assert "For office" in page and "For akimat" not in page


def test_the_outbox_is_the_offices_with_states_and_errors(client, users, sent):
    client.force_login(users["office"])
    page = client.get("/notifications/outbox/").content.decode()
    for name in ("akimat", "men", "office", "energy"):
        assert f"For {name}" in page
    assert "SMTPServerDisconnected" in page
    assert "Failed one" in client.get("/notifications/outbox/", {"state": "failed"}).content.decode()
    assert "For men" not in client.get("/notifications/outbox/", {"state": "failed"}).content.decode()
    for name in ("reviewer", "energy", "akimat", "viewer"):
        client.force_login(users[name])
        assert client.get("/notifications/outbox/").status_code == 403


def test_the_office_sends_failed_ones_again(client, users, sent):
    client.force_login(users["office"])
    assert client.post("/notifications/outbox/retry/").status_code == 302
    sent["failed"].refresh_from_db()
    assert sent["failed"].state == "sent"


def test_the_pages_read_a_fixed_number_of_queries(client, users, sent, demo):
    client.force_login(users["office"])
    client.get("/notifications/outbox/")
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/outbox/")
    office = Contact.objects.get(email="office@example.kz")
    for k in range(30):
        notification(office, f"More {k}", plan_id=demo.pk, day=dt.date(2025, 1, 1) + dt.timedelta(days=k))
    with CaptureQueriesContext(connection) as many:
        client.get("/notifications/outbox/")
    assert len(many) == len(few)
