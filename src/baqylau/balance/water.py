"""Water balance per zone and month.

demand[z, m]    = population[z, m] * norm[z] / 1000 * seasonal[m] + other_consumers[z]        (m³/day)
delivered[s, m] = mean over the days of month m of the capacity in service * availability
dedicated[z, m] = sum over s of delivered[s, m] * (1 - pooled[s]) * share[s, z]   (fixed shares)
then each pooled source s (fewest reachable zones first, then by code), with residual need
r[z] = max(0, demand - supply so far) over the zones it reaches (share[s, z] > 0):
    water[s, m] = delivered[s, m] * pooled[s] * sum_z share[s, z]
    given[z, m] = r[z, m] * min(1, water / sum_reached r)      (in proportion to need, never above it)
    spare[s, m] = water - sum_z given[z, m]                    (pooled water nobody on its reach needs)
supply = dedicated + given;   deficit = what is left of r;   provision % = (demand - deficit) / demand * 100

Pure functions over frozen dataclasses; every step is vectorised over months with numpy (the only loop
runs over the pooled sources, in order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from .provenance import Assumption

SUMMER_MONTHS = (6, 7, 8)
QUANTITIES = ("demand", "supply", "deficit", "provision_pct", "surplus")  # per zone
SOURCE_QUANTITIES = ("delivered", "spare")  # per source
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
    in_service_from: date | None  # the date it counts from (see service.py); None: not in service at all
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
    # source code -> share (0..1) of its water in the balance that goes where it is needed among the zones
    # its served_share rows name (a network such as the regional pipeline); missing = 0: fixed shares only.
    pooled_share: Mapping[str, Assumption] = field(default_factory=dict)


@dataclass(frozen=True)
class WaterInputs:
    zones: tuple[Zone, ...]
    sources: tuple[Source, ...]
    assumptions: Assumptions


@dataclass(frozen=True, eq=False)
class WaterBalance:
    """Result: arrays [zone, month] in m³/day (provision in %), one column per month in `months`;
    `delivered` and `spare` are [source, month] in m³/day, rows in the order of `source_codes`."""

    zone_codes: tuple[str, ...]
    months: np.ndarray  # datetime64[M]
    demand: np.ndarray
    supply: np.ndarray  # dedicated (fixed-share) water plus the pooled water allocated to the zone
    deficit: np.ndarray
    provision_pct: np.ndarray
    surplus: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # fixed-share water beyond demand
    source_codes: tuple[str, ...] = ()
    delivered: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # all of each source's output
    spare: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # pooled water no reached zone needs

    def row(self, zone_code: str) -> int:
        return self.zone_codes.index(zone_code)

    def source_row(self, source_code: str) -> int:
        return self.source_codes.index(source_code)

    def total(self, quantity: str) -> np.ndarray:
        """Sum over zones (or sources, for delivered and spare) per month. The total deficit is the sum of
        zone deficits (a dedicated surplus in one zone does not reach another; pooled water is already
        where it is needed); the total provision is the share of all demand that is met. The region's
        unused water is total("surplus") + total("spare")."""
        if quantity == "provision_pct":
            demand = self.demand.sum(axis=0)
            met = demand - self.deficit.sum(axis=0)
            return np.clip(_percent(met, demand), 0.0, 100.0)  # clip: float rounding only
        return self._quantity(quantity).sum(axis=0)

    def summer_mean(self, quantity: str, year: int) -> np.ndarray:
        """June-August mean per zone (shape [zone]), or per source for delivered and spare."""
        return self._quantity(quantity)[:, self._summer_columns(year)].mean(axis=1)

    def summer_total(self, quantity: str, year: int) -> float:
        """June-August mean of the total over zones (or sources)."""
        return float(self.total(quantity)[self._summer_columns(year)].mean())

    def to_rows(self) -> list[dict]:
        """One dict per zone and month, for tables and APIs."""
        labels = [str(m) for m in self.months]
        return [
            {"zone": code, "month": labels[j]} | {q: float(self._quantity(q)[i, j]) for q in QUANTITIES}
            for i, code in enumerate(self.zone_codes)
            for j in range(len(labels))
        ]

    def source_rows(self) -> list[dict]:
        """One dict per source and month: water delivered, and pooled water left unused (spare)."""
        labels = [str(m) for m in self.months]
        return [
            {"source": code, "month": labels[j]}
            | {q: float(self._quantity(q)[i, j]) for q in SOURCE_QUANTITIES}
            for i, code in enumerate(self.source_codes)
            for j in range(len(labels))
        ]

    def _quantity(self, quantity: str) -> np.ndarray:
        if quantity not in QUANTITIES + SOURCE_QUANTITIES:
            raise ValueError(f"unknown quantity {quantity!r}; one of {QUANTITIES + SOURCE_QUANTITIES}")
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
    supply, deficit, surplus, spare = _allocate(inputs, demand, delivered)
    # Cap before dividing (no overflow for tiny demands) and after (rounding can give 100.00000000000001).
    provision = np.minimum(100.0, _percent(np.maximum(0.0, demand - deficit), demand))
    return WaterBalance(
        zone_codes=tuple(z.code for z in inputs.zones),
        months=months,
        demand=demand,
        supply=supply,
        deficit=deficit,
        provision_pct=provision,
        surplus=surplus,
        source_codes=tuple(s.code for s in inputs.sources),
        delivered=delivered,
        spare=spare,
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
            if stage.in_service_from is not None:  # else: padding, never in service
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


def _pooled_fractions(inputs: WaterInputs) -> np.ndarray:
    """[source] share of each source's water that is pooled (0: fixed shares only)."""
    source_index = {s.code: j for j, s in enumerate(inputs.sources)}
    pooled = np.zeros(len(inputs.sources))
    for source_code, fraction in inputs.assumptions.pooled_share.items():
        if source_code not in source_index:
            raise KeyError(f"pooled share given for {source_code!r}, which is not a source")
        if not 0.0 <= fraction.value <= 1.0:
            raise ValueError(f"pooled share of {source_code!r} must be within 0..1, got {fraction.value}")
        pooled[source_index[source_code]] = fraction.value
    return pooled


def _allocate(
    inputs: WaterInputs, demand: np.ndarray, delivered: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Supply, deficit and surplus [zone, month], spare [source, month].

    Fixed shares first: every source's non-pooled part goes to its zones by served_share. Then each pooled
    source, in a fixed order (fewest reachable zones first, then by code), gives its pooled water to the
    zones it reaches in proportion to their residual need, capped at that need: with fill = min(1, water /
    total need), a zone gets need x fill. Water left over is the source's spare. The order never depends on
    capacities or dates, so more water anywhere can only lower every residual need (see docs/models.md).
    """
    shares = _share_matrix(inputs)
    pooled = _pooled_fractions(inputs)
    dedicated = (shares * (1.0 - pooled)[None, :]) @ delivered
    residual = np.maximum(0.0, demand - dedicated)
    surplus = np.maximum(0.0, dedicated - demand)
    supply = dedicated.copy()
    spare = np.zeros_like(delivered)
    reaches = shares > 0.0
    codes = [s.code for s in inputs.sources]
    order = sorted(np.flatnonzero(pooled > 0.0), key=lambda j: (int(reaches[:, j].sum()), codes[j]))
    for j in order:
        zones = np.flatnonzero(reaches[:, j])
        water = delivered[j] * pooled[j] * shares[zones, j].sum()  # [month]
        need = residual[zones]  # [reached zone, month]
        total_need = need.sum(axis=0)
        short = total_need > water
        fill = np.ones_like(total_need)
        np.divide(water, total_need, out=fill, where=short)  # < 1 only where the water is short
        given = need * fill[None, :]  # never above the need: fill <= 1
        supply[zones] += given
        residual[zones] = need - given  # exactly 0 where fill is 1
        spare[j] = np.where(short, 0.0, water - total_need)  # all given where short; else every need met
    return supply, residual, surplus, spare


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
