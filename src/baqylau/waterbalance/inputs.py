"""Builds the water model's inputs from the database rows, in a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from baqylau.balance import (
    Assumption,
    Assumptions,
    PopulationPoint,
    Source,
    Stage,
    WaterInputs,
    Zone,
    population_on,
)
from baqylau.reference.models import Population, Territory

from .models import WaterAssumption, WaterSource, WaterZone


class MissingInputs(LookupError):
    """The region has no water model (no zones or sources)."""


def figure(row) -> Assumption:
    """A row's value with its provenance; rows without a source must carry an estimate note."""
    if row.estimate_note:
        return Assumption.estimated(float(_value(row)), row.estimate_note, source=row.source)
    return Assumption(float(_value(row)), source=row.source or f"Baqylau record {row._meta.label} {row.pk}")


def _value(row):
    for name in ("value", "people", "capacity_m3_day", "baseline_m3_day"):
        if hasattr(row, name):
            return getattr(row, name)
    raise AttributeError(row)


def _zone_population(zone: WaterZone, points_by_territory: dict[int, list[Population]]) -> tuple:
    """The zone's population at every date any of its territories was counted (their sum)."""
    territories = list(zone.territories.all())
    per_territory = {
        t.pk: Zone(t.code, t.name, tuple(PopulationPoint(p.on, figure(p)) for p in points_by_territory[t.pk]))
        for t in territories
    }
    if len(territories) == 1:
        return per_territory[territories[0].pk].population
    dates = sorted({p.on for t in territories for p in points_by_territory[t.pk]})
    return tuple(
        PopulationPoint(
            on,
            Assumption.estimated(
                sum(population_on(z, on) for z in per_territory.values()),
                "sum of the zone's territories, each interpolated to this date",
            ),
        )
        for on in dates
    )


def _assumption_key(a: WaterAssumption):
    """How the model looks the number up: by month, by (source, zone), by zone or by source."""
    if a.kind == WaterAssumption.Kind.SEASONAL_FACTOR:
        return a.month
    if a.kind == WaterAssumption.Kind.SERVED_SHARE:
        return (a.water_source.code, a.zone.code)
    return a.zone.code if a.zone else a.water_source.code


def _stage(row, as_of: dt.date, forecasts) -> Stage:
    service = row.service(as_of, forecasts.get(row.facility_id) if row.facility_id else None)
    return Stage(figure(row), service.on, service.basis)


def water_inputs(region: Territory, as_of: dt.date, forecasts: Mapping[int, dt.date | None]) -> WaterInputs:
    """The region's water model as of ``as_of``: each stage counted from when its facility can really
    deliver, ``forecasts`` giving each facility's measure's forecast finish (facility id -> date)."""
    zones = list(WaterZone.objects.filter(region=region).prefetch_related("territories").order_by("code"))
    sources = list(
        WaterSource.objects.filter(region=region).prefetch_related("stages__facility").order_by("code")
    )
    if not zones or not sources:
        raise MissingInputs(f"no water model for {region.code}: it needs zones and sources")
    points: dict[int, list[Population]] = defaultdict(list)
    for p in Population.objects.filter(territory__in_water_zones__region=region).distinct().order_by("on"):
        points[p.territory_id].append(p)
    for zone in zones:
        for territory in zone.territories.all():
            if not points[territory.pk]:
                raise MissingInputs(
                    f"territory {territory.code} of zone {zone.code} has no population figure"
                )

    by_kind: dict[str, dict] = defaultdict(dict)
    for a in WaterAssumption.objects.filter(region=region).select_related("zone", "water_source"):
        key = _assumption_key(a)
        by_kind[a.kind][key] = figure(a)

    K = WaterAssumption.Kind
    return WaterInputs(
        zones=tuple(Zone(z.code, z.label, _zone_population(z, points)) for z in zones),
        sources=tuple(
            Source(
                s.code,
                s.label,
                figure(s),
                tuple(_stage(st, as_of, forecasts) for st in s.stages.all()),
            )
            for s in sources
        ),
        assumptions=Assumptions(
            norm_l_person_day=by_kind[K.NORM],
            other_consumers_m3_day=by_kind[K.OTHER_CONSUMERS],
            seasonal_factor=by_kind[K.SEASONAL_FACTOR],
            availability=by_kind[K.AVAILABILITY],
            baseline_availability=by_kind[K.BASELINE_AVAILABILITY],
            served_share=by_kind[K.SERVED_SHARE],
            pooled_share=by_kind[K.POOLED_SHARE],
        ),
    )
