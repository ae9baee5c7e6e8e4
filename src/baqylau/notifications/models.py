"""Who is told (contacts, each with a language), when reminders go out (per plan), and what was sent.

A Notification row is written before anything is sent, with a key that is unique per rule, item, day
and recipient: the scheduler can run any number of times a day and a reminder still goes out once.
The row keeps its text, its attempts and its last error, so a failed send is retried and never lost.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.plans.models import Plan
from baqylau.reference.models import Agency

LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


class Contact(models.Model):
    """An address that receives notifications: an agency's (its office mailbox), a user's, or the
    project office's (neither agency nor user)."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="ru")
    active = models.BooleanField(_("active"), default=True)
    history = audited()

    class Meta:
        ordering = ["agency__code", "email"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(user__isnull=True),
                name="contact_of_agency_or_user",
                violation_error_message=_("A contact belongs to an agency or to a user, not to both."),
            ),
            models.UniqueConstraint(
                fields=["agency", "email"], condition=Q(agency__isnull=False), name="contact_once_per_agency"
            ),
            models.UniqueConstraint(
                fields=["user", "email"], condition=Q(user__isnull=False), name="contact_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(agency__isnull=True, user__isnull=True),
                name="office_contact_once",
            ),
        ]

    def __str__(self) -> str:
        owner = (
            self.agency.code if self.agency_id else (self.user.get_username() if self.user_id else "office")
        )
        return f"{self.email} ({owner}, {self.language})"

    @property
    def is_office(self) -> bool:
        return self.agency_id is None and self.user_id is None


class ReminderSchedule(models.Model):
    """A plan's reminder days; a plan without one reminds 7 and 1 days before a due date."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reminder_schedule"
    )
    days_before = models.JSONField(
        _("days before the due date"),
        default=list,
        help_text=_("Whole days before a due date on which a reminder goes out, e.g. [7, 1]."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekday of the office digest"), default=0, help_text=_("0 is Monday, 6 is Sunday.")
    )
    history = audited()

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")

    def __str__(self) -> str:
        return f"{self.plan.code}: {self.days_before}"

    def clean(self):
        days = self.days_before
        if not isinstance(days, list) or not all(isinstance(d, int) and 0 < d <= 365 for d in days):
            raise ValidationError(
                {"days_before": _("Days before must be a list of whole numbers from 1 to 365, e.g. [7, 1].")}
            )
        if self.digest_weekday > 6:
            raise ValidationError({"digest_weekday": _("The weekday is 0 (Monday) to 6 (Sunday).")})


class Notification(models.Model):
    """One message to one recipient, written before it is sent (the outbox and the sent table)."""

    class Rule(models.TextChoices):
        DUE_SOON = "due_soon", _("due soon")
        OVERDUE = "overdue", _("first day overdue")
        REPORT_DUE_SOON = "report_due_soon", _("report due soon")
        REPORT_OVERDUE = "report_overdue", _("report overdue")
        EXTENSION_REQUESTED = "extension_requested", _("extension requested")
        EXTENSION_DECIDED = "extension_decided", _("extension decided")
        DIGEST = "digest", _("weekly digest")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        RETRYING = "retrying", _("retrying")
        FAILED = "failed", _("failed")

    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="notifications"
    )
    item_key = models.CharField(
        _("item"), max_length=120, help_text=_("What it is about: measure:CODE, instruction:CODE or digest.")
    )
    day = models.DateField(_("day"))
    recipient = models.EmailField(_("recipient"))
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), null=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    history = audited()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Idempotence: one rule, one item, one day, one recipient — whatever runs the scheduler twice.
            models.UniqueConstraint(
                fields=["rule", "plan", "item_key", "day", "recipient"], name="notification_once"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_pending")]

    def __str__(self) -> str:
        return f"{self.rule} {self.item_key} {self.day} → {self.recipient} ({self.state})"
