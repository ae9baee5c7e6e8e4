"""Heat network: km of main pipe replaced against the plan, and the wear % that follows.

The network is a length-weighted mix of old pipe and new pipe, at the end of each year t:

  wear[t] = (old_km[t] * old_wear[t] + sum over years y <= t of km_replaced[y] * new_wear[t, y]) / length
  old_wear[t]    = min(100, wear_before + old_ageing * (t - base_year))
  new_wear[t, y] = min(100, new_ageing * (t - y + 0.5))     # laid, on average, mid-year
  old_km[t]      = length - cumulative_replaced[t]; cumulative is capped at the length

The main network is part of the whole city network, so km replaced on the main also renew the city
network; other city works are not in the data and not modelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .provenance import Assumption


@dataclass(frozen=True)
class Network:
    name: str
    length_km: Assumption
    wear_pct_before: Assumption  # at the end of the base year, before any replacement


@dataclass(frozen=True)
class HeatInputs:
    main: Network  # the network the programme replaces
    city: Network  # the whole city network, the main network included
    base_year: int  # the "before" state is the end of this year
    planned_km: Mapping[int, Assumption]  # year -> km of main pipe the plan replaces
    actual_km: Mapping[int, Assumption]  # year -> km of main pipe actually replaced
    old_pipe_ageing_pct_per_year: Assumption
    new_pipe_ageing_pct_per_year: Assumption


@dataclass(frozen=True, eq=False)
class HeatResult:
    """Arrays over `years` (end-of-year state); the first year is the base year."""

    years: np.ndarray
    planned_km: np.ndarray
    actual_km: np.ndarray  # as counted: capped so the cumulative never exceeds the main length
    cumulative_planned_km: np.ndarray
    cumulative_actual_km: np.ndarray
    main_wear_pct: np.ndarray  # following the actual replacement
    city_wear_pct: np.ndarray
    main_wear_pct_planned: np.ndarray  # had the plan been followed
    city_wear_pct_planned: np.ndarray

    def at(self, year: int) -> dict[str, float]:
        i = int(np.flatnonzero(self.years == year)[0])
        return {name: float(getattr(self, name)[i]) for name in _RESULT_ARRAYS}

    def to_rows(self) -> list[dict]:
        return [{"year": int(y)} | self.at(int(y)) for y in self.years]


_RESULT_ARRAYS = (
    "planned_km",
    "actual_km",
    "cumulative_planned_km",
    "cumulative_actual_km",
    "main_wear_pct",
    "city_wear_pct",
    "main_wear_pct_planned",
    "city_wear_pct_planned",
)


def heat_network(inputs: HeatInputs, last_year: int | None = None) -> HeatResult:
    """Yearly km and wear from the base year to `last_year` (default: the last year with km, plus one)."""
    km_years = [*inputs.planned_km, *inputs.actual_km]
    if any(y <= inputs.base_year for y in km_years):
        raise ValueError(f"km replaced must come after the base year {inputs.base_year}")
    if last_year is None:
        last_year = max(km_years, default=inputs.base_year) + 1
    years = np.arange(inputs.base_year, last_year + 1)
    planned = np.array([_value(inputs.planned_km.get(int(y))) for y in years])
    actual = np.array([_value(inputs.actual_km.get(int(y))) for y in years])

    def wear(network: Network, km: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return network_wear(
            network.length_km.value,
            network.wear_pct_before.value,
            km,
            years,
            inputs.base_year,
            inputs.old_pipe_ageing_pct_per_year.value,
            inputs.new_pipe_ageing_pct_per_year.value,
        )

    actual_counted, cumulative_actual, main_wear = wear(inputs.main, actual)
    planned_counted, cumulative_planned, main_wear_planned = wear(inputs.main, planned)
    return HeatResult(
        years=years,
        planned_km=planned_counted,
        actual_km=actual_counted,
        cumulative_planned_km=cumulative_planned,
        cumulative_actual_km=cumulative_actual,
        main_wear_pct=main_wear,
        city_wear_pct=wear(inputs.city, actual_counted)[2],
        main_wear_pct_planned=main_wear_planned,
        city_wear_pct_planned=wear(inputs.city, planned_counted)[2],
    )


def network_wear(
    length_km: float,
    wear_pct_before: float,
    replaced_km: np.ndarray,
    years: np.ndarray,
    base_year: int,
    old_ageing_pct_per_year: float,
    new_ageing_pct_per_year: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(km counted per year, cumulative km, wear %) for one network; see the module docstring."""
    if length_km <= 0:
        raise ValueError("network length must be positive")
    if np.any(np.asarray(replaced_km) < 0):
        raise ValueError("km replaced cannot be negative")
    # Pipe cannot be replaced twice within the programme: cap the cumulative at the length.
    cumulative = np.minimum(np.cumsum(replaced_km), length_km)
    counted = np.diff(cumulative, prepend=0.0)

    old_wear = np.minimum(100.0, wear_pct_before + old_ageing_pct_per_year * (years - base_year))
    age = years[:, None] - years[None, :] + 0.5  # [at year t, laid in year y]
    new_wear = np.where(age > 0, np.minimum(100.0, new_ageing_pct_per_year * age), 0.0)
    new_part = new_wear @ counted
    wear = ((length_km - cumulative) * old_wear + new_part) / length_km
    return counted, cumulative, wear


def _value(figure: Assumption | None) -> float:
    return 0.0 if figure is None else figure.value
