"""An agency's account of a measure or an instruction for a period, and its review."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.core.dates import validate_plan_date
from baqylau.core.fields import NARRATIVE_MAX, NOTE_MAX, Sourced, Versioned, text_limit
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure
from baqylau.reference.models import Agency


class Report(Sourced, Versioned):
    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    instruction = models.ForeignKey(
        Instruction,
        verbose_name=_("instruction"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("period start"), null=True, blank=True, validators=[validate_plan_date])
    period_end = models.DateField(_("period end"), validators=[validate_plan_date])
    narrative = models.TextField(_("narrative"), **text_limit(NARRATIVE_MAX))
    progress = models.DecimalField(
        _("progress, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Share of the measure done at the end of the period, 0 to 100; empty when unknown."),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    executed = models.BooleanField(
        _("executed"), default=False, help_text=_("For an instruction: the report says it is executed.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_reports",
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_reports",
    )
    review_comment = models.TextField(_("review comment"), blank=True, **text_limit(NOTE_MAX))
    history = audited()

    class Meta:
        ordering = ["period_end", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=(Q(measure__isnull=False) & Q(instruction__isnull=True))
                | (Q(measure__isnull=True) & Q(instruction__isnull=False)),
                name="report_on_exactly_one_item",
                violation_error_message=_("A report is on exactly one measure or one instruction."),
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="report_progress_within_0_100",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True) | Q(period_end__gte=F("period_start")),
                name="report_period_end_not_before_start",
                violation_error_message=_("The period end must not be before its start."),
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(review_comment=""),
                name="report_returned_with_comment",
                violation_error_message=_("A returned report needs a comment saying why."),
            ),
        ]

    def __str__(self) -> str:
        item = self.measure or self.instruction
        return f"{item.code if item else '?'} {self.period_end} ({self.get_state_display()})"


class ReportActual(models.Model):
    """An indicator value reported for the period; it becomes an Actual when the report is accepted."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    history = audited()

    class Meta:
        verbose_name = _("reported indicator value")
        verbose_name_plural = _("reported indicator values")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="report_actual_once")]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value}"


def attachment_path(instance, filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no executable extensions.
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}{instance.extension}"


class ReportAttachment(models.Model):
    """A file attached to a report. Checked for type and size on upload; always served as a download."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    extension = models.CharField(max_length=10)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
