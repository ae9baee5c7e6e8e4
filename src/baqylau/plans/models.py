"""A plan of measures, its measures and the facilities they build."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.core.codes import validate_code
from baqylau.core.dates import validate_plan_date
from baqylau.core.fields import Sourced, TranslatedName, TranslatedTitle, Versioned
from baqylau.reference.models import Agency, FacilityKind, Sphere, Territory


class Plan(TranslatedTitle, Sourced):
    """A programme of measures for a region. Its judging thresholds live here (see docs/judging.md)."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_code])
    region = models.ForeignKey(Territory, verbose_name=_("region"), on_delete=models.PROTECT)
    start = models.DateField(_("start"), validators=[validate_plan_date])
    end = models.DateField(_("end"), validators=[validate_plan_date])
    declared_measures = models.PositiveIntegerField(
        _("measures declared"),
        null=True,
        blank=True,
        help_text=_("How many measures the plan itself declares, so views can say how many are recorded."),
    )
    # Judging thresholds (defaults documented in docs/judging.md).
    tolerance_pp = models.DecimalField(
        _("tolerance behind trajectory, percentage points"), max_digits=5, decimal_places=2, default=10
    )
    reporting_interval_days = models.PositiveIntegerField(_("reporting interval, days"), default=90)
    deadline_near_days = models.PositiveIntegerField(_("deadline near, days"), default=7)
    is_public = models.BooleanField(_("published"), default=False)
    history = audited()

    class Meta:
        ordering = ["code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="plan_end_not_before_start",
                violation_error_message=_("A plan's end must not be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(tolerance_pp__gte=0),
                name="plan_tolerance_non_negative",
                violation_error_message=_("The tolerance must not be negative."),
            ),
        ]


class Measure(TranslatedTitle, Sourced, Versioned):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent measure"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="children",
    )
    sphere = models.ForeignKey(
        Sphere, verbose_name=_("sphere"), on_delete=models.PROTECT, related_name="measures"
    )
    territories = models.ManyToManyField(
        Territory, verbose_name=_("territories"), blank=True, related_name="measures"
    )
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_measures"
    )
    co_agencies = models.ManyToManyField(
        Agency, verbose_name=_("co-executors"), blank=True, related_name="co_measures"
    )
    start = models.DateField(_("start"), null=True, blank=True, validators=[validate_plan_date])
    due = models.DateField(_("due"), validators=[validate_plan_date])
    completion_form = models.CharField(_("form of completion"), max_length=300, blank=True)
    completion_form_ru = models.CharField(_("form of completion (ru)"), max_length=300, blank=True)
    completion_form_kk = models.CharField(_("form of completion (kk)"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=3, default=1)
    budget_planned_kzt = models.DecimalField(
        _("budget planned, KZT"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    budget_spent_kzt = models.DecimalField(
        _("budget spent, KZT"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    budget_source = models.CharField(_("budget source"), max_length=300, blank=True)
    # The outcome the measure exists for, when it declares one: then it is done when the outcome is met
    # (by the water model or an indicator), not when its children are (assessment/outcomes.py).
    outcome_kind = models.CharField(
        _("outcome"),
        max_length=20,
        blank=True,
        choices=[
            # xgettext:no-python-format ("100% or" is not a placeholder)
            ("water_provision", _("drinking water at 100% or more in every zone (water model)")),
            ("indicator", _("an indicator reaching its target")),
        ],
    )
    outcome_indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("outcome indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome_of",
    )
    outcome_through = models.DateField(
        _("outcome through"),
        null=True,
        blank=True,
        help_text=_("Water: provided through this date (default: due)."),
    )
    outcome_target = models.DecimalField(
        _("outcome target"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Indicator: the value to reach (default: its last target)."),
    )
    history = audited(m2m_fields=[territories, co_agencies])

    def clean(self):
        super().clean()
        errors = {}
        if self.outcome_kind == "indicator":
            if self.outcome_indicator_id is None:
                errors["outcome_indicator"] = _("An indicator outcome needs its indicator.")
            elif self.plan_id and self.outcome_indicator.plan_id != self.plan_id:
                errors["outcome_indicator"] = _("The outcome indicator must belong to the measure's plan.")
        else:
            if self.outcome_indicator_id is not None:
                errors["outcome_indicator"] = _("Only an indicator outcome names an indicator.")
            if self.outcome_target is not None:
                errors["outcome_target"] = _("Only an indicator outcome has a target.")
        if self.outcome_through is not None and self.outcome_kind != "water_provision":
            errors["outcome_through"] = _("Only a water outcome is provided through a date.")
        if errors:
            raise ValidationError(errors)

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="measure_code_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(due__gte=F("start")),
                name="measure_due_not_before_start",
                violation_error_message=_("The due date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="measure_weight_non_negative",
                violation_error_message=_("The weight must not be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget_planned_kzt__isnull=True) | Q(budget_planned_kzt__gte=0),
                name="measure_budget_planned_non_negative",
                violation_error_message=_("The planned budget must not be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget_spent_kzt__isnull=True) | Q(budget_spent_kzt__gte=0),
                name="measure_budget_spent_non_negative",
                violation_error_message=_("The spent budget must not be negative."),
            ),
        ]


class Facility(TranslatedName, Sourced):
    """A physical object a measure builds or rebuilds, with the capacity it is to reach."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="facilities"
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    # By code, in the column "kind" it always had: the kinds are a reference list (reference.FacilityKind).
    kind = models.ForeignKey(
        FacilityKind,
        verbose_name=_("kind"),
        to_field="code",
        db_column="kind",
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="facilities"
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    capacity_unit = models.CharField(_("capacity unit"), max_length=40, blank=True)
    capacity_unit_ru = models.CharField(_("capacity unit (ru)"), max_length=40, blank=True)
    capacity_unit_kk = models.CharField(_("capacity unit (kk)"), max_length=40, blank=True)
    capacity_baseline = models.DecimalField(
        _("capacity before"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    capacity_target = models.DecimalField(
        _("capacity target"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    commission_planned = models.DateField(
        _("commissioning planned"), null=True, blank=True, validators=[validate_plan_date]
    )
    commission_actual = models.DateField(
        _("commissioned"), null=True, blank=True, validators=[validate_plan_date]
    )
    history = audited()

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="facility_code_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(capacity_baseline__isnull=True) | Q(capacity_baseline__gte=0),
                name="facility_capacity_baseline_non_negative",
                violation_error_message=_("The capacity before must not be negative."),
            ),
            models.CheckConstraint(
                condition=Q(capacity_target__isnull=True) | Q(capacity_target__gte=0),
                name="facility_capacity_target_non_negative",
                violation_error_message=_("The capacity target must not be negative."),
            ),
        ]

    @property
    def commissioning(self):
        """The date the facility enters service: actual when known, else planned."""
        return self.commission_actual or self.commission_planned
