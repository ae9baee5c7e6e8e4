"""Measurable quantities: a baseline, a trajectory of targets, and the actuals reported against it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.core.codes import validate_code
from baqylau.core.dates import validate_plan_date
from baqylau.core.fields import NOTE_MAX, Sourced, TranslatedName, text_limit
from baqylau.plans.models import Measure, Plan
from baqylau.reference.models import Agency


class Indicator(TranslatedName, Sourced):
    class Direction(models.TextChoices):
        UP = "up", _("higher is better")
        DOWN = "down", _("lower is better")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    unit = models.CharField(_("unit"), max_length=40)
    unit_ru = models.CharField(_("unit (ru)"), max_length=40, blank=True)
    unit_kk = models.CharField(_("unit (kk)"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(
        _("baseline date"), null=True, blank=True, validators=[validate_plan_date]
    )
    history = audited()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan")]


class Target(Sourced):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period_end = models.DateField(_("period end"), validators=[validate_plan_date])
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    history = audited()

    class Meta:
        ordering = ["indicator", "period_end"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="target_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_end}: {self.value}"


class Actual(Sourced):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    period_end = models.DateField(_("period end"), validators=[validate_plan_date])
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    reported_by = models.ForeignKey(
        Agency, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.PROTECT
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True, validators=[validate_plan_date])
    note = models.TextField(_("note"), blank=True, **text_limit(NOTE_MAX))
    history = audited()

    class Meta:
        ordering = ["indicator", "period_end"]
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="actual_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_end}: {self.value}"
