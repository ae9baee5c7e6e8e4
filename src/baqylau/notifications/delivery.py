"""Sending: a Notification row is written once (its unique key makes every rule idempotent), then
queued on the task queue (django-tasks, the database backend the product runs); the task sends it by
Django's email backend. A failure is logged and retried with back-off; the row keeps every attempt, so
nothing is lost: ``send-reminders`` re-queues what is due again, and what failed for good stays in the
office's outbox with its error.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Contact, Notification

logger = logging.getLogger("baqylau.notifications")

MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)
STUCK_AFTER = dt.timedelta(hours=1)  # a queued row with no attempt this long: its task was lost


def backoff(attempts: int) -> dt.timedelta:
    """The wait after ``attempts`` failed attempts: 1, 4, 16, 64 minutes ..., at most six hours."""
    return min(FIRST_RETRY * 4 ** (attempts - 1), LONGEST_WAIT)


def plan_notification(
    *,
    rule: str,
    plan,
    item_key: str,
    day: dt.date,
    contact: Contact,
    subject: str,
    body: str,
    link: str,
) -> Notification | None:
    """Write and queue one message, or nothing when this rule already told this recipient about this
    item on this day (None)."""
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            rule=rule,
            plan=plan,
            item_key=item_key,
            day=day,
            recipient=contact.email,
            defaults={
                "contact": contact,
                "user": contact.user,
                "agency": contact.agency if contact.agency_id else _agency_of(contact),
                "language": contact.language,
                "subject": subject[:300],
                "body": body,
                "link": link,
            },
        )
        if created:
            enqueue(notification)
    return notification if created else None


def _agency_of(contact: Contact):
    profile = getattr(contact.user, "profile", None) if contact.user_id else None
    return profile.agency if profile is not None else None


def enqueue(notification: Notification, run_after: dt.datetime | None = None) -> None:
    job = deliver_notification
    if run_after is not None:
        if not job.get_backend().supports_defer:
            return  # this backend cannot wait: the scheduler re-queues the row when it is due
        job = job.using(run_after=run_after)
    job.enqueue(notification.pk)


@task()
def deliver_notification(notification_id: int) -> str:
    return deliver(notification_id)


def deliver(notification_id: int) -> str:
    """Send one notification unless it is sent already (a task may run twice); returns its state."""
    now = timezone.now()
    with transaction.atomic():
        n = Notification.objects.select_for_update().get(pk=notification_id)
        if n.state in (Notification.State.SENT, Notification.State.FAILED):
            return n.state
        if n.next_attempt_at is not None and n.next_attempt_at > now:
            return n.state  # queued again early (the scheduler and a deferred task): wait for its time
        n.attempts += 1
        try:
            message = f"{n.body}\n\n{n.link}\n" if n.link else n.body
            EmailMessage(n.subject, message, settings.DEFAULT_FROM_EMAIL, [n.recipient]).send()
        except Exception as error:  # any failure of the mail backend: kept, logged, retried
            n.last_error = f"{type(error).__name__}: {error}"[:2000]
            if n.attempts >= MAX_ATTEMPTS:
                n.state, n.next_attempt_at = Notification.State.FAILED, None
                logger.error(
                    "notification %s to %s failed for good after %s attempts: %s",
                    n.pk,
                    n.recipient,
                    n.attempts,
                    n.last_error,
                )
            else:
                n.state, n.next_attempt_at = Notification.State.RETRYING, now + backoff(n.attempts)
                logger.warning(
                    "notification %s to %s failed (attempt %s), retrying at %s: %s",
                    n.pk,
                    n.recipient,
                    n.attempts,
                    n.next_attempt_at.isoformat(),
                    n.last_error,
                )
        else:
            n.state, n.sent_at, n.next_attempt_at, n.last_error = Notification.State.SENT, now, None, ""
            logger.info("notification %s (%s %s) sent to %s", n.pk, n.rule, n.item_key, n.recipient)
        n.save(update_fields=["state", "attempts", "next_attempt_at", "last_error", "sent_at"])
    if n.state == Notification.State.RETRYING:
        enqueue(n, run_after=n.next_attempt_at)
    return n.state


def requeue_due(now: dt.datetime | None = None) -> int:
    """Queue again every notification whose retry time has come, and any queued one whose task never
    ran (lost with a worker): nothing waits for ever. Returns how many were queued."""
    now = now or timezone.now()
    due = Notification.objects.filter(state=Notification.State.RETRYING, next_attempt_at__lte=now)
    stuck = Notification.objects.filter(
        state=Notification.State.QUEUED, attempts=0, created_at__lte=now - STUCK_AFTER
    )
    count = 0
    for notification in [*due, *stuck]:
        enqueue(notification)
        count += 1
    return count


def retry_failed(ids=None) -> int:
    """The office sends failed notifications again (after fixing the address or the mail server)."""
    failed = Notification.objects.filter(state=Notification.State.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    count = 0
    for notification in failed:
        # A fresh round of attempts; the last error stays on the row until a send succeeds.
        Notification.objects.filter(pk=notification.pk).update(
            state=Notification.State.RETRYING, next_attempt_at=None, attempts=0
        )
        enqueue(notification)
        count += 1
    return count
