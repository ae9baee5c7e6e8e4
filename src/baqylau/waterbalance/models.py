"""The water-balance model's inputs as editable rows, each with its source or estimate note.

The model itself is plain Python (``baqylau.balance``); ``inputs.py`` turns these rows into its
dataclasses. Populations come from ``reference.Population``; a stage linked to a Facility enters
service when its facility can really deliver (``balance.service``), so the plan drives the model.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baqylau.balance import ServiceDate, in_service
from baqylau.core.audit import audited
from baqylau.core.codes import validate_code
from baqylau.core.fields import Sourced, TranslatedName
from baqylau.plans.models import Facility
from baqylau.reference.models import Territory


class WaterSource(TranslatedName, Sourced):
    class Kind(models.TextChoices):
        PIPELINE = "pipeline", _("pipeline")
        DESALINATION = "desalination", _("desalination plant")
        OTHER = "other", _("other")

    region = models.ForeignKey(Territory, verbose_name=_("region"), on_delete=models.PROTECT)
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    baseline_m3_day = models.DecimalField(
        _("capacity in service before any stage, m³/day"), max_digits=12, decimal_places=1
    )
    history = audited()

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("water source")
        verbose_name_plural = _("water sources")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="water_source_code_unique_in_region"),
            models.CheckConstraint(
                condition=Q(baseline_m3_day__gte=0),
                name="water_source_baseline_non_negative",
                violation_error_message=_("The capacity must not be negative."),
            ),
        ]


class WaterSourceStage(Sourced):
    """An expansion or a new plant: the source's total capacity once this stage is in service."""

    water_source = models.ForeignKey(WaterSource, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    capacity_m3_day = models.DecimalField(
        _("total capacity once in service, m³/day"), max_digits=12, decimal_places=1
    )
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="water_stages",
        help_text=_("When set, the stage enters service at the facility's commissioning date."),
    )
    planned_date = models.DateField(_("planned in service"), null=True, blank=True)
    actual_date = models.DateField(_("in service since"), null=True, blank=True)
    history = audited()

    class Meta:
        ordering = ["water_source", "position"]
        verbose_name = _("water source stage")
        verbose_name_plural = _("water source stages")
        constraints = [
            models.UniqueConstraint(fields=["water_source", "position"], name="water_stage_position_unique"),
            models.CheckConstraint(
                condition=Q(capacity_m3_day__gte=0),
                name="water_stage_capacity_non_negative",
                violation_error_message=_("The capacity must not be negative."),
            ),
            models.CheckConstraint(
                condition=Q(facility__isnull=False)
                | Q(planned_date__isnull=False)
                | Q(actual_date__isnull=False),
                name="water_stage_has_a_date",
                violation_error_message=_("A stage needs a facility or a planned or actual date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.water_source.code} #{self.position}: {self.capacity_m3_day} m³/day"

    def service(self, as_of, forecast=None) -> ServiceDate:
        """When the stage counts in the model as of ``as_of`` (``balance.service``): its facility's dates
        when it has one (``forecast``: its measure's forecast finish), else the stage's own."""
        if self.facility_id:
            actual = self.facility.commission_actual or self.actual_date
            planned = self.facility.commission_planned or self.planned_date
        else:
            actual, planned = self.actual_date, self.planned_date
        return in_service(actual, planned, forecast, as_of)


class WaterZone(TranslatedName, Sourced):
    """A territory, or territories served together; its population is the sum of theirs."""

    region = models.ForeignKey(
        Territory, verbose_name=_("region"), on_delete=models.PROTECT, related_name="water_zones"
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    territories = models.ManyToManyField(
        Territory, verbose_name=_("territories"), related_name="in_water_zones"
    )
    history = audited(m2m_fields=[territories])

    class Meta:
        ordering = ["region", "code"]
        verbose_name = _("water zone")
        verbose_name_plural = _("water zones")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="water_zone_code_unique_in_region")
        ]


class WaterAssumption(Sourced):
    """One number of the model: a norm, a consumer, a seasonal factor, an availability or a share."""

    class Kind(models.TextChoices):
        NORM = "norm", _("per-capita norm, L/person/day (zone)")
        OTHER_CONSUMERS = "other_consumers", _("other consumers, m³/day (zone)")
        SEASONAL_FACTOR = "seasonal_factor", _("seasonal factor (month)")
        AVAILABILITY = "availability", _("availability, share of capacity delivered (source)")
        BASELINE_AVAILABILITY = "baseline_availability", _("availability before the stages (source)")
        SERVED_SHARE = "served_share", _("share of a source's water serving a zone")
        POOLED_SHARE = "pooled_share", _("share of a source's water sent where it is needed (source)")

    ZONE_KINDS = (Kind.NORM, Kind.OTHER_CONSUMERS)
    SOURCE_KINDS = (Kind.AVAILABILITY, Kind.BASELINE_AVAILABILITY, Kind.POOLED_SHARE)
    FRACTION_KINDS = (Kind.AVAILABILITY, Kind.BASELINE_AVAILABILITY, Kind.SERVED_SHARE, Kind.POOLED_SHARE)

    region = models.ForeignKey(Territory, verbose_name=_("region"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    zone = models.ForeignKey(
        WaterZone, verbose_name=_("zone"), null=True, blank=True, on_delete=models.CASCADE
    )
    water_source = models.ForeignKey(
        WaterSource, verbose_name=_("source"), null=True, blank=True, on_delete=models.CASCADE
    )
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    history = audited()

    class Meta:
        ordering = ["region", "kind", "zone", "water_source", "month"]
        verbose_name = _("water assumption")
        verbose_name_plural = _("water assumptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="water_assumption_non_negative",
                violation_error_message=_("The value must not be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(
                    kind__in=["availability", "baseline_availability", "served_share", "pooled_share"]
                )
                | Q(value__lte=1),
                name="water_fraction_at_most_one",
                violation_error_message=_("An availability or a share is a fraction between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["norm", "other_consumers"])
                    & Q(zone__isnull=False, water_source__isnull=True, month__isnull=True)
                )
                | (
                    Q(kind="seasonal_factor")
                    & Q(month__gte=1, month__lte=12, zone__isnull=True, water_source__isnull=True)
                )
                | (
                    Q(kind__in=["availability", "baseline_availability", "pooled_share"])
                    & Q(water_source__isnull=False, zone__isnull=True, month__isnull=True)
                )
                | (
                    Q(kind="served_share")
                    & Q(water_source__isnull=False, zone__isnull=False, month__isnull=True)
                ),
                name="water_assumption_keyed_by_its_kind",
                violation_error_message=_(
                    "A norm or other consumers names a zone; a seasonal factor a month (1-12); "
                    "an availability a source; a share a source and a zone."
                ),
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "zone"],
                condition=Q(kind__in=["norm", "other_consumers"]),
                name="water_zone_assumption_once",
            ),
            models.UniqueConstraint(
                fields=["region", "month"],
                condition=Q(kind="seasonal_factor"),
                name="water_seasonal_factor_once",
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "water_source"],
                condition=Q(kind__in=["availability", "baseline_availability", "pooled_share"]),
                name="water_source_assumption_once",
            ),
            models.UniqueConstraint(
                fields=["water_source", "zone"], condition=Q(kind="served_share"), name="water_share_once"
            ),
        ]

    def __str__(self) -> str:
        key = self.zone or self.water_source or self.month
        return f"{self.get_kind_display()} · {key}: {self.value}"

    def clean(self):
        super().clean()
        if self.kind == self.Kind.SERVED_SHARE and self.water_source_id:
            others = WaterAssumption.objects.filter(
                kind=self.kind, water_source_id=self.water_source_id
            ).exclude(pk=self.pk)
            total = sum(a.value for a in others) + (self.value or 0)
            if total > 1:
                raise ValidationError(
                    {
                        "value": _("The shares of one source add up to more than 1 (%(total)s).")
                        % {"total": total}
                    }
                )
