"""Reference data every plan points to: territories, spheres of life, executing agencies."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.core.codes import validate_code
from baqylau.core.fields import Sourced, TranslatedName


class Territory(TranslatedName, Sourced):
    class Kind(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of regional significance")
        DISTRICT = "district", _("district")
        SETTLEMENT = "settlement", _("settlement")

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="children",
    )
    centre_name = models.CharField(_("centre"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    history = audited()

    class Meta:
        ordering = ["code"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90),
                name="territory_lat_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180),
                name="territory_lon_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
        ]


class Population(Sourced):
    """Population of a territory as counted on a date (statistics give it per 1 January)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="populations")
    on = models.DateField(_("as of"))
    people = models.PositiveIntegerField(_("people"))
    history = audited()

    class Meta:
        ordering = ["territory", "on"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        constraints = [models.UniqueConstraint(fields=["territory", "on"], name="population_once_per_date")]

    def __str__(self) -> str:
        return f"{self.territory.code} {self.on}: {self.people}"


class Sphere(TranslatedName):
    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_code])
    history = audited()

    class Meta:
        ordering = ["code"]
        verbose_name = _("sphere")
        verbose_name_plural = _("spheres")


class FacilityKind(TranslatedName):
    """What a facility is (a desalination plant, a school, a substation ...): a list the office extends."""

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_code])
    history = audited()

    class Meta:
        ordering = ["code"]
        verbose_name = _("facility kind")
        verbose_name_plural = _("facility kinds")


class Agency(TranslatedName, Sourced):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        AKIMAT = "akimat", _("akimat")
        STATE_COMPANY = "state_company", _("state company")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    history = audited()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
