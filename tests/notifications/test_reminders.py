"""Reminders from the user's side: who gets what, on which days, once, through the queue, retried."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from baqylau.instructions.models import Instruction
from baqylau.notifications import delivery
from baqylau.notifications.models import Contact, Notification, ReminderSchedule
from baqylau.notifications.reminders import extension_decided, extension_requested, send_digest
from baqylau.plans.models import Measure
from baqylau.reference.models import Agency
from baqylau.reports.models import Report

from .failing_mail import FlakyBackend

AQTAU = dt.timezone(dt.timedelta(hours=5))


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=AQTAU)


def run_scheduler(day: dt.date, *args):
    with time_machine.travel(at(day), tick=False):
        call_command("send_reminders", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def contacts(demo, users):
    akimat = Agency.objects.get(code="AKIMAT")
    men = Agency.objects.get(code="MEN")
    return {
        "akimat": Contact.objects.create(agency=akimat, email="akimat@example.kz", language="kk"),
        "men": Contact.objects.create(agency=men, email="men@example.kz", language="ru"),
        "office": Contact.objects.create(email="office@example.kz", language="ru"),
        # The energy ministry's editor, with their own address and language.
        "energy": Contact.objects.create(user=users["energy"], email="energy@example.kz", language="en"),
    }


def days_told(recipient: str, item_key: str) -> list[tuple[str, dt.date]]:
    return sorted(
        Notification.objects.filter(recipient=recipient, item_key=item_key).values_list("rule", "day"),
        key=lambda r: r[1],
    )


def test_instruction_reminders_7_and_1_days_before_and_the_first_day_overdue_once(demo, contacts):
    # I-05 (executor: the akimat) is due 2024-12-31.
    day = dt.date(2024, 12, 20)
    while day <= dt.date(2025, 1, 5):
        run_scheduler(day)
        run_scheduler(day)  # twice a day: nothing goes out twice
        day += dt.timedelta(days=1)
    assert days_told("akimat@example.kz", "instruction:I-05") == [
        ("due_soon", dt.date(2024, 12, 24)),
        ("due_soon", dt.date(2024, 12, 30)),
        ("overdue", dt.date(2025, 1, 1)),
    ]
    sent = [m for m in mail.outbox if "I-05" in m.subject]
    assert len(sent) == 3 and {tuple(m.to) for m in sent} == {("akimat@example.kz",)}
    # The right agency only: the ministry of energy executes none of the instructions.
    assert not Notification.objects.filter(
        recipient__in=["men@example.kz", "energy@example.kz"], item_key__startswith="instruction:"
    ).exists()
    assert all(n.state == "sent" and n.sent_at for n in Notification.objects.all())


def test_text_is_in_the_recipients_language_with_a_link_to_the_item(demo, contacts):
    run_scheduler(dt.date(2024, 12, 24))
    message = next(m for m in mail.outbox if "I-05" in m.subject and m.to == ["akimat@example.kz"])
    instruction = Instruction.objects.get(plan=demo, code="I-05")
    assert instruction.text_kk[:40] in message.body  # the akimat's contact reads Kazakh
    assert f"/instructions/?plan={demo.code}#I-05" in message.body
    assert message.body.splitlines()[-1].startswith("http")


def test_measure_reminders_go_to_lead_and_co_executors_and_their_staff(demo, contacts):
    # W-03 is led by MAEK (no contact) with the ministry of energy as co-executor, due 2025-12-31.
    run_scheduler(dt.date(2025, 12, 24))
    told = set(
        Notification.objects.filter(item_key="measure:W-03", rule="due_soon").values_list(
            "recipient", flat=True
        )
    )
    assert told == {"men@example.kz", "energy@example.kz"}
    # W-04 is led by KMG with the akimat: the akimat's mailbox, nobody of the ministry of energy.
    run_scheduler(dt.date(2024, 12, 24))
    told = set(Notification.objects.filter(item_key="measure:W-04").values_list("recipient", flat=True))
    assert told == {"akimat@example.kz"}


def test_a_user_of_another_agency_is_never_told(demo, contacts, users):
    """The energy editor's own contact hears only of the items the ministry of energy executes."""
    for day in (dt.date(2024, 12, 24), dt.date(2024, 12, 30), dt.date(2025, 1, 1), dt.date(2025, 12, 24)):
        run_scheduler(day)
    energy_items = set(
        Notification.objects.filter(recipient="energy@example.kz").values_list("item_key", flat=True)
    )
    assert energy_items == {"measure:W-03"}
    assert Notification.objects.filter(recipient="akimat@example.kz", item_key="instruction:I-05").exists()


def test_days_before_follow_the_plans_schedule(demo, contacts):
    ReminderSchedule.objects.create(plan=demo, days_before=[3])
    for day in (dt.date(2024, 12, 24), dt.date(2024, 12, 28), dt.date(2024, 12, 30)):
        run_scheduler(day)
    assert days_told("akimat@example.kz", "instruction:I-05") == [("due_soon", dt.date(2024, 12, 28))]


def test_a_failed_send_is_kept_retried_with_back_off_and_sent_once(demo, contacts, settings, caplog):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.FlakyBackend"
    FlakyBackend.failures_left = 1
    run_scheduler(dt.date(2024, 12, 24), "--plan", demo.code)
    retrying = Notification.objects.filter(state="retrying")
    assert retrying.count() == 1
    n = retrying.get()
    assert n.attempts == 1 and "SMTPServerDisconnected" in n.last_error
    assert n.next_attempt_at == at(dt.date(2024, 12, 24)) + delivery.FIRST_RETRY
    assert "retrying" in caplog.text
    before = len(mail.outbox)
    run_scheduler(dt.date(2024, 12, 24))  # the same minute: not yet due again, nothing new planned
    n.refresh_from_db()
    assert n.state == "retrying" and len(mail.outbox) == before
    with time_machine.travel(at(dt.date(2024, 12, 24)) + dt.timedelta(minutes=2), tick=False):
        assert delivery.requeue_due() == 1
    n.refresh_from_db()
    assert n.state == "sent" and n.attempts == 2 and n.last_error == ""
    assert sum(1 for m in mail.outbox if m.to == [n.recipient] and m.subject == n.subject) == 1


def test_back_off_grows_and_gives_up_into_the_outbox_never_lost(demo, contacts, settings):
    assert [delivery.backoff(k).total_seconds() / 60 for k in (1, 2, 3)] == [1, 4, 16]
    assert delivery.backoff(20) == delivery.LONGEST_WAIT
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.FlakyBackend"
    FlakyBackend.failures_left = 1000
    sent = extension_decided(
        Instruction.objects.get(plan=demo, code="I-05"), True, dt.date(2025, 3, 1), "", dt.date(2025, 1, 2)
    )
    n = sent[0]
    now = timezone.now()
    for _attempt in range(delivery.MAX_ATTEMPTS):
        now += delivery.LONGEST_WAIT
        with time_machine.travel(now, tick=False):
            delivery.requeue_due()
    n.refresh_from_db()
    assert n.state == "failed" and n.attempts == delivery.MAX_ATTEMPTS
    FlakyBackend.failures_left = 0
    assert delivery.retry_failed() == 1
    n.refresh_from_db()
    assert n.state == "sent"


def test_extension_requested_tells_the_office_and_decided_tells_the_executors(demo, contacts):
    instruction = Instruction.objects.get(plan=demo, code="I-05")
    akimat = Agency.objects.get(code="AKIMAT")
    day = dt.date(2024, 12, 20)
    asked = extension_requested(instruction, dt.date(2025, 3, 31), "Contractor late", akimat, day)
    assert [n.recipient for n in asked] == ["office@example.kz"]
    assert "2025-03-31" in asked[0].subject and "Contractor late" in asked[0].body
    decided = extension_decided(instruction, True, dt.date(2025, 3, 31), "Granted once.", day)
    assert [n.recipient for n in decided] == ["akimat@example.kz"]
    assert extension_decided(instruction, True, dt.date(2025, 3, 31), "Granted once.", day) == []  # once


def test_weekly_digest_to_the_office_on_its_weekday(demo, contacts):
    monday = dt.date(2025, 1, 6)
    assert send_digest(demo, monday - dt.timedelta(days=1)) == []  # a Sunday: no digest
    measure = Measure.objects.get(plan=demo, code="W-04")
    Report.objects.create(
        measure=measure,
        agency=measure.lead_agency,
        period_end=dt.date(2024, 12, 31),
        narrative="For review",
        state=Report.State.SUBMITTED,
    )
    digests = send_digest(demo, monday)
    assert [n.recipient for n in digests] == ["office@example.kz"]
    body = digests[0].body
    assert "Просрочено за неделю" in body  # the office contact reads Russian
    waiting = Report.objects.filter(measure__plan=demo, state="submitted").count()
    assert f": {waiting}" in body.splitlines()[-1]
    assert send_digest(demo, monday) == []  # once a day


def test_through_the_database_queue_and_its_worker(demo, contacts, settings, monkeypatch):
    """As deployed: the scheduler only queues; the worker sends."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker drops connections it thinks stale; the test's own connection sits in its transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    run_scheduler(dt.date(2024, 12, 24))
    queued = Notification.objects.filter(state="queued").count()
    assert queued and not mail.outbox
    assert DBTaskResult.objects.ready().count() == queued
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run()
    assert Notification.objects.filter(state="sent").count() == queued == len(mail.outbox)
