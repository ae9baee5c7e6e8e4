"""Water balance per zone and month.

demand[z, m]  = population[z, m] * norm[z] / 1000 * seasonal[m] + other_consumers[z]      (m³/day)
supply[z, m]  = sum over sources s of delivered[s, m] * share[s, z]                       (m³/day)
delivered[s, m] = mean over the days of month m of the capacity in service * availability
deficit       = max(0, demand - supply);   provision % = min(100, supply / demand * 100)

Pure functions over frozen dataclasses; the month loop is vectorised with numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from .provenance import Assumption

SUMMER_MONTHS = (6, 7, 8)
QUANTITIES = ("demand", "supply", "deficit", "provision_pct")
_FAR_PAST = -1.0e9  # day number used for "in service since forever" (a baseline)


@dataclass(frozen=True)
class PopulationPoint:
    on: date
    people: Assumption


@dataclass(frozen=True)
class Zone:
    """A territory, or a group of territories served together."""

    code: str
    name: str
    population: tuple[PopulationPoint, ...]


@dataclass(frozen=True)
class Stage:
    capacity_m3_day: Assumption  # total capacity of the source once this stage is in service
    in_service_from: date  # effective date: actual commissioning, else planned (the caller decides)
    date_basis: str = ""  # where the date comes from, shown next to it


@dataclass(frozen=True)
class Source:
    """A supply: pipeline or plant. An expansion is a stage of the same source; a new plant has baseline 0."""

    code: str
    name: str
    baseline_m3_day: Assumption  # in service before (and regardless of) any stage
    stages: tuple[Stage, ...] = ()


@dataclass(frozen=True)
class Assumptions:
    norm_l_person_day: Mapping[str, Assumption]  # zone code -> per-capita norm
    other_consumers_m3_day: Mapping[str, Assumption]  # zone code -> industry, municipal (missing = 0)
    seasonal_factor: Mapping[int, Assumption]  # month 1..12 -> factor on household demand
    availability: Mapping[str, Assumption]  # source code -> share of capacity actually delivered (0..1)
    baseline_availability: Mapping[str, Assumption]  # source code -> override for the baseline (old plant)
    served_share: Mapping[tuple[str, str], Assumption]  # (source code, zone code) -> share of its water


@dataclass(frozen=True)
class WaterInputs:
    zones: tuple[Zone, ...]
    sources: tuple[Source, ...]
    assumptions: Assumptions


@dataclass(frozen=True, eq=False)
class WaterBalance:
    """Result: arrays [zone, month] in m³/day (provision in %), one column per month in `months`."""

    zone_codes: tuple[str, ...]
    months: np.ndarray  # datetime64[M]
    demand: np.ndarray
    supply: np.ndarray
    deficit: np.ndarray
    provision_pct: np.ndarray

    def row(self, zone_code: str) -> int:
        return self.zone_codes.index(zone_code)

    def total(self, quantity: str) -> np.ndarray:
        """Sum over zones per month. The total deficit is the sum of zone deficits (a surplus in one zone
        does not reach another); the total provision is the share of all demand that is met."""
        if quantity == "provision_pct":
            demand = self.demand.sum(axis=0)
            met = demand - self.deficit.sum(axis=0)
            return np.clip(_percent(met, demand), 0.0, 100.0)  # clip: float rounding only
        return self._quantity(quantity).sum(axis=0)

    def summer_mean(self, quantity: str, year: int) -> np.ndarray:
        """June-August mean per zone (shape [zone])."""
        return self._quantity(quantity)[:, self._summer_columns(year)].mean(axis=1)

    def summer_total(self, quantity: str, year: int) -> float:
        """June-August mean of the total over zones."""
        return float(self.total(quantity)[self._summer_columns(year)].mean())

    def to_rows(self) -> list[dict]:
        """One dict per zone and month, for tables and APIs."""
        labels = [str(m) for m in self.months]
        return [
            {"zone": code, "month": labels[j]} | {q: float(self._quantity(q)[i, j]) for q in QUANTITIES}
            for i, code in enumerate(self.zone_codes)
            for j in range(len(labels))
        ]

    def _quantity(self, quantity: str) -> np.ndarray:
        if quantity not in QUANTITIES:
            raise ValueError(f"unknown quantity {quantity!r}; one of {QUANTITIES}")
        return getattr(self, quantity)

    def _summer_columns(self, year: int) -> np.ndarray:
        summer = np.array([np.datetime64(f"{year}-{m:02d}", "M") for m in SUMMER_MONTHS])
        columns = np.isin(self.months, summer)
        if columns.sum() != len(SUMMER_MONTHS):
            raise ValueError(f"the balance does not cover June-August {year}")
        return columns


def water_balance(inputs: WaterInputs, start: date, end: date) -> WaterBalance:
    """Monthly balance for every zone, from the month of `start` to the month of `end` inclusive."""
    _check_codes(inputs)
    months = np.arange(np.datetime64(start, "M"), np.datetime64(end, "M") + 1)
    if len(months) == 0:
        raise ValueError("end is before start")
    month_start = months.astype("datetime64[D]").astype(float)
    month_end = (months + 1).astype("datetime64[D]").astype(float)  # exclusive

    demand = _demand(inputs, months, (month_start + month_end) / 2)
    delivered = _delivered(inputs, month_start, month_end)
    supply = _share_matrix(inputs) @ delivered
    deficit = np.maximum(0.0, demand - supply)
    # Cap before dividing (no overflow for tiny demands) and after (rounding can give 100.00000000000001).
    provision = np.minimum(100.0, _percent(np.minimum(supply, demand), demand))
    return WaterBalance(
        zone_codes=tuple(z.code for z in inputs.zones),
        months=months,
        demand=demand,
        supply=supply,
        deficit=deficit,
        provision_pct=provision,
    )


def population_on(zone: Zone, when: date) -> float:
    """Population interpolated linearly between the zone's data points (see _linear)."""
    day = np.array([float(np.datetime64(when, "D").astype(int))])
    return float(_population(zone, day)[0])


def what_if(
    inputs: WaterInputs,
    source_code: str,
    *,
    in_service_from: date | None = None,
    capacity_m3_day: float | None = None,
    stage: int | None = -1,
) -> WaterInputs:
    """Inputs with one stage of one source moved and/or resized; nothing is saved anywhere.

    `stage` indexes the source's stages (-1: the last); None means the baseline (capacity only).
    Compare `water_balance` of the original and of the result to show the change in deficit.
    """
    sources = list(inputs.sources)
    i = next((k for k, s in enumerate(sources) if s.code == source_code), None)
    if i is None:
        raise KeyError(f"no source {source_code!r}")
    source = sources[i]
    if stage is None:
        if in_service_from is not None:
            raise ValueError("the baseline has no commissioning date; pick a stage")
        if capacity_m3_day is not None:
            source = replace(source, baseline_m3_day=_what_if_figure(capacity_m3_day))
    else:
        stages = list(source.stages)
        if not stages:
            raise ValueError(f"source {source_code!r} has no stage to move or resize")
        changed = stages[stage]
        if in_service_from is not None:
            changed = replace(changed, in_service_from=in_service_from, date_basis="what-if")
        if capacity_m3_day is not None:
            changed = replace(changed, capacity_m3_day=_what_if_figure(capacity_m3_day))
        stages[stage] = changed
        source = replace(source, stages=tuple(stages))
    sources[i] = source
    return replace(inputs, sources=tuple(sources))


# --- internals -------------------------------------------------------------------------------------


def _demand(inputs: WaterInputs, months: np.ndarray, month_mid: np.ndarray) -> np.ndarray:
    a = inputs.assumptions
    month_numbers = months.astype(int) % 12 + 1
    try:
        seasonal = np.array([a.seasonal_factor[m].value for m in month_numbers])
        norms = np.array([a.norm_l_person_day[z.code].value for z in inputs.zones])
    except KeyError as missing:
        raise KeyError(f"missing assumption: norm for zone or seasonal factor for month {missing}") from None
    other = np.array([_value(a.other_consumers_m3_day.get(z.code)) for z in inputs.zones])
    # Population at mid-month equals the month's mean for a linear trend.
    population = np.array([_population(z, month_mid) for z in inputs.zones]).reshape(
        len(inputs.zones), len(month_mid)
    )
    return population * (norms / 1000.0)[:, None] * seasonal[None, :] + other[:, None]


def _population(zone: Zone, days: np.ndarray) -> np.ndarray:
    points = sorted(zone.population, key=lambda p: p.on)
    if not points:
        raise ValueError(f"zone {zone.code!r} has no population data")
    known_days = np.array([float(np.datetime64(p.on, "D").astype(int)) for p in points])
    if len(set(known_days)) != len(known_days):
        raise ValueError(f"zone {zone.code!r} has two population figures for the same date")
    people = np.array([p.people.value for p in points])
    return np.maximum(0.0, _linear(days, known_days, people))


def _linear(x: np.ndarray, xp: np.ndarray, fp: np.ndarray) -> np.ndarray:
    """Piecewise-linear through the points; beyond them, the slope of the two nearest points.
    One point only: constant (no trend can be drawn)."""
    if len(xp) == 1:
        return np.full(x.shape, fp[0])
    y = np.interp(x, xp, fp)
    before, after = x < xp[0], x > xp[-1]
    y[before] = fp[0] + (x[before] - xp[0]) * (fp[1] - fp[0]) / (xp[1] - xp[0])
    y[after] = fp[-1] + (x[after] - xp[-1]) * (fp[-1] - fp[-2]) / (xp[-1] - xp[-2])
    return y


def _delivered(inputs: WaterInputs, month_start: np.ndarray, month_end: np.ndarray) -> np.ndarray:
    """Mean delivered capacity [source, month].

    Each source is a step function of time: at any day its output is the largest (capacity x
    availability) among the baseline and the stages already in service. Sorting the steps by date and
    taking the running maximum turns it into non-negative increments, so the monthly mean is
    sum(increment x fraction of the month on or after the step date) - exact, and monotone: an earlier
    date or a larger capacity can never lower the output.
    """
    a = inputs.assumptions
    n_steps = 1 + max((len(s.stages) for s in inputs.sources), default=0)
    levels = np.zeros((len(inputs.sources), n_steps))
    dates = np.full((len(inputs.sources), n_steps), np.inf)  # padding: never in service, level 0
    for i, source in enumerate(inputs.sources):
        if source.code not in a.availability:
            raise KeyError(f"missing assumption: availability of source {source.code!r}")
        availability = a.availability[source.code].value
        baseline_availability = a.baseline_availability.get(source.code, a.availability[source.code]).value
        for value in (availability, baseline_availability):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"availability of {source.code!r} must be within 0..1, got {value}")
        levels[i, 0] = _non_negative(source.baseline_m3_day.value, source.code) * baseline_availability
        dates[i, 0] = _FAR_PAST
        for k, stage in enumerate(source.stages, start=1):
            levels[i, k] = _non_negative(stage.capacity_m3_day.value, source.code) * availability
            dates[i, k] = float(np.datetime64(stage.in_service_from, "D").astype(int))

    order = np.argsort(dates, axis=1, kind="stable")
    dates = np.take_along_axis(dates, order, axis=1)
    steps = np.maximum.accumulate(np.take_along_axis(levels, order, axis=1), axis=1)
    increments = np.diff(steps, axis=1, prepend=0.0)

    days_in_month = month_end - month_start
    # Padding steps (date +inf) get fraction 0; the baseline (far past) gets 1.
    fraction = np.clip((month_end[None, None, :] - dates[:, :, None]) / days_in_month, 0.0, 1.0)
    return np.einsum("sk,skm->sm", increments, fraction)


def _share_matrix(inputs: WaterInputs) -> np.ndarray:
    """[zone, source] shares. Shares to zones outside this computation are allowed (and ignored)."""
    zone_index = {z.code: i for i, z in enumerate(inputs.zones)}
    source_index = {s.code: j for j, s in enumerate(inputs.sources)}
    shares = np.zeros((len(inputs.zones), len(inputs.sources)))
    totals = dict.fromkeys(source_index, 0.0)
    for (source_code, zone_code), share in inputs.assumptions.served_share.items():
        if share.value < 0:
            raise ValueError(f"negative share of {source_code!r} for {zone_code!r}")
        if source_code in totals:
            totals[source_code] += share.value
        if source_code in source_index and zone_code in zone_index:
            shares[zone_index[zone_code], source_index[source_code]] = share.value
    over = {code: total for code, total in totals.items() if total > 1.0 + 1e-9}
    if over:
        raise ValueError(f"a source cannot serve more than all its water: shares sum above 1 for {over}")
    return shares


def _check_codes(inputs: WaterInputs) -> None:
    for kind, codes in (
        ("zone", [z.code for z in inputs.zones]),
        ("source", [s.code for s in inputs.sources]),
    ):
        if len(set(codes)) != len(codes):
            raise ValueError(f"duplicate {kind} codes in {codes}")


def _percent(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole * 100, and 100 where nothing is demanded."""
    out = np.full(np.broadcast(part, whole).shape, 100.0)
    np.divide(part * 100.0, whole, out=out, where=whole > 0)
    return out


def _value(figure: Assumption | None) -> float:
    return 0.0 if figure is None else figure.value


def _non_negative(value: float, code: str) -> float:
    if value < 0:
        raise ValueError(f"negative capacity for source {code!r}")
    return value


def _what_if_figure(value: float) -> Assumption:
    return Assumption.estimated(value, "what-if: capacity changed by the user, not saved")
