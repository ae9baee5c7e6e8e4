"""The facility map's data: outlines shipped with the product, facilities coloured by their measure's status.

The map must be readable on an intranet: the region's and districts' outlines are a static GeoJSON file
(``static/web/geo/``), background tiles come only when ``MAP_TILE_ORIGIN`` names a server. Past
MAP_POINTS facilities the map shows one point per territory with the count of each status (a page must
not carry every point of a national plan).
"""

from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from baqylau.assessment.reading import PlanReader
from baqylau.core.translation import translated
from baqylau.plans.models import Facility
from baqylau.reference.models import Territory

MAP_POINTS = 400


@lru_cache
def _outline_file(region_code: str) -> str | None:
    name = f"web/geo/{region_code.lower()}.geojson"
    return name if finders.find(name) else None


def outlines_url(region) -> str | None:
    """The static address of the region's outline file, if the product ships one for it."""
    name = _outline_file(region.code)  # named by the region's territory code: mng.geojson
    return static(name) if name else None


def tiles_url() -> str | None:
    origin = settings.MAP_TILE_ORIGIN
    return origin + "/{z}/{x}/{y}.png" if origin else None  # the same origin the CSP allows


def facility_map(reader: PlanReader, facilities, public: bool = False) -> dict:
    """Map data for ``facilities`` (a Facility queryset of the reader's plan).

    ``public`` links each facility to the public measure page instead of the signed-in one.
    """
    plan = reader.plan
    region = plan.region
    base = {
        "centre": [region.lat or 43.65, region.lon or 51.15],
        "tiles": tiles_url(),
        "outlines": outlines_url(region),
        "labels": map_labels(),
        "legend": map_legend(),
    }
    if facilities.count() > MAP_POINTS:
        return {**base, "facilities": [], "territories": _territory_points(reader, facilities)}
    rows = list(
        facilities.select_related("territory", "measure").only(
            "code",
            "name",
            "name_ru",
            "name_kk",
            "lat",
            "lon",
            "capacity_unit",
            "capacity_unit_ru",
            "capacity_unit_kk",
            "capacity_target",
            "commission_planned",
            "commission_actual",
            "territory__lat",
            "territory__lon",
            "measure__code",
        )
    )
    verdicts = reader.measures_by_id({f.measure_id for f in rows})
    route = "web:public_measure" if public else "web:measure"
    points = []
    for f in rows:
        lat, lon = (f.lat, f.lon) if f.lat is not None and f.lon is not None else (None, None)
        if lat is None and f.territory is not None:
            lat, lon = f.territory.lat, f.territory.lon
        if lat is None or lon is None:
            continue
        verdict = verdicts.get(f.measure_id)
        points.append(
            {
                "code": f.code,
                "name": f.label,
                "lat": lat,
                "lon": lon,
                "measure": f.measure.code,
                "status": verdict.status.value if verdict else "unknown",
                "url": reverse(route, args=[plan.code, f.measure.code]),
                "capacity": _capacity(f),
                "commissioned": _date(f.commission_actual),
                "commission_planned": _date(f.commission_planned),
            }
        )
    return {**base, "facilities": points}


def map_labels() -> dict[str, str]:
    """The words the map shows (popups, Leaflet's zoom buttons), in the active language."""
    return {
        "status": _("status"),
        "capacity": _("capacity"),
        "commissioned": _("commissioned"),
        "commissioning planned": _("commissioning planned"),
        "Zoom in": _("Zoom in"),
        "Zoom out": _("Zoom out"),
    }


def map_legend() -> list[list[str]]:
    """Status colours the map uses, for the legend under it (same words as the status badges)."""
    from baqylau.web.templatetags.baqylau import STATUS_LABELS

    return [[s, str(STATUS_LABELS[s])] for s in ("late", "at_risk", "on_track", "not_started", "done")]


def _capacity(facility: Facility) -> str:
    if facility.capacity_target is None:
        return ""
    amount = formats.number_format(facility.capacity_target.normalize(), use_l10n=True, force_grouping=True)
    unit = translated(facility, "capacity_unit")
    return f"{amount} {unit}".strip()


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _territory_points(reader: PlanReader, facilities) -> list[dict]:
    counts: dict[int, dict[str, int]] = {}
    if reader.stored:
        rows = facilities.values_list("territory_id", "measure__verdict__status")
    else:
        judged = reader.computed.measure_by_id()
        rows = [
            (t, judged[m].status.value if m in judged else "unknown")
            for t, m in facilities.values_list("territory_id", "measure_id")
        ]
    for territory_id, status in rows:
        if territory_id is not None:
            by_status = counts.setdefault(territory_id, {})
            by_status[status or "unknown"] = by_status.get(status or "unknown", 0) + 1
    points = []
    for territory in Territory.objects.filter(pk__in=counts, lat__isnull=False, lon__isnull=False):
        by_status = counts[territory.pk]
        points.append(
            {
                "code": territory.code,
                "name": territory.label,
                "lat": territory.lat,
                "lon": territory.lon,
                "counts": by_status,
                "total": sum(by_status.values()),
            }
        )
    return points
