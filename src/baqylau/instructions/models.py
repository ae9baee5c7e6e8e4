"""Visits and meetings, the instructions officials issue at them, and every change of a deadline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.core.codes import validate_code
from baqylau.core.dates import validate_plan_date
from baqylau.core.fields import (
    INSTRUCTION_TEXT_MAX,
    NOTE_MAX,
    Sourced,
    TranslatedTitle,
    Versioned,
    text_limit,
)
from baqylau.core.translation import TranslatedStrMixin
from baqylau.plans.models import Measure, Plan
from baqylau.reference.models import Agency


class Event(TranslatedTitle, Sourced):
    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        MEETING = "meeting", _("meeting")
        SESSION = "session", _("session")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="events")
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    date = models.DateField(_("date"), validators=[validate_plan_date])
    held_by = models.CharField(_("held by"), max_length=300, blank=True)
    held_by_ru = models.CharField(_("held by (ru)"), max_length=300, blank=True)
    held_by_kk = models.CharField(_("held by (kk)"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    place_ru = models.CharField(_("place (ru)"), max_length=300, blank=True)
    place_kk = models.CharField(_("place (kk)"), max_length=300, blank=True)
    history = audited()

    class Meta:
        ordering = ["plan", "date", "code"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="event_code_unique_in_plan")]


class Instruction(TranslatedStrMixin, Sourced, Versioned):
    class Status(models.TextChoices):
        """The administrative state; whether it is overdue or at risk is judged, not stored."""

        OPEN = "open", _("open")
        EXECUTED = "executed", _("executed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="instructions"
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    event = models.ForeignKey(
        Event,
        verbose_name=_("issued at"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="instructions",
    )
    issued_on = models.DateField(_("issued on"), validators=[validate_plan_date])
    issued_by = models.CharField(_("issued by"), max_length=300, blank=True)
    text = models.TextField(_("text"), **text_limit(INSTRUCTION_TEXT_MAX))
    text_ru = models.TextField(_("text (ru)"), blank=True, **text_limit(INSTRUCTION_TEXT_MAX))
    text_kk = models.TextField(_("text (kk)"), blank=True, **text_limit(INSTRUCTION_TEXT_MAX))
    executors = models.ManyToManyField(Agency, verbose_name=_("executors"), related_name="instructions")
    term_days = models.PositiveIntegerField(_("term, days"), null=True, blank=True)
    due = models.DateField(_("due"), validators=[validate_plan_date])
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="instructions"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("When it was accepted as executed, or withdrawn.")
    )
    history = audited(m2m_fields=[executors, measures])

    text_field = "text"

    class Meta:
        ordering = ["plan", "due", "code"]
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="instruction_code_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(due__gte=F("issued_on")),
                name="instruction_due_not_before_issue",
                violation_error_message=_("The due date must not be before the date of issue."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="instruction_closed_on_matches_status",
                violation_error_message=_(
                    "An open instruction has no closing date; an executed or withdrawn one needs it."
                ),
            ),
        ]

    def __str__(self) -> str:
        text = self.label
        return f"{self.code} — {text[:80]}{'…' if len(text) > 80 else ''}"

    @property
    def initial_due(self) -> datetime.date:
        """The deadline as first set: the first change's old date, or the current one."""
        first = self.deadline_changes.order_by("changed_on", "pk").first()
        return first.old_due if first else self.due

    def clean(self):
        # A term ("one week") fixes the first deadline; later extensions are DeadlineChange rows.
        if self.term_days is not None and self.issued_on and self.due and not self.pk:
            expected = self.issued_on + datetime.timedelta(days=self.term_days)
            if self.due != expected:
                raise ValidationError(
                    {
                        "due": _("Due must be %(date)s: issued on plus the term of %(days)s days.")
                        % {"date": expected.isoformat(), "days": self.term_days}
                    }
                )


class DeadlineChange(models.Model):
    """An extension (or shortening) of an instruction's deadline, with its reason. Never edited."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="deadline_changes")
    changed_on = models.DateField(_("changed on"), validators=[validate_plan_date])
    old_due = models.DateField(_("old due"), validators=[validate_plan_date])
    new_due = models.DateField(_("new due"), validators=[validate_plan_date])
    reason = models.TextField(_("reason"), **text_limit(NOTE_MAX))
    decided_by = models.CharField(_("decided by"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["instruction", "changed_on", "pk"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="deadline_change_has_reason",
                violation_error_message=_("A deadline change needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(new_due=F("old_due")),
                name="deadline_change_changes_date",
                violation_error_message=_("A deadline change must move the date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instruction.code}: {self.old_due} → {self.new_due}"
