"""Load the balance models' inputs from JSON (the demo files in data/, or the same shape built from rows).

Every number in the JSON is a *figure*: {"value": ..., "source": "citation"} or
{"value": ..., "estimate": true, "note": "why this number"} (an estimate may also cite the range it
comes from). Lists of keyed rows (zone, source, month, year) map one-to-one onto editable database rows.
The shapes are described in docs/models.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .heat import HeatInputs, Network
from .provenance import Assumption
from .water import Assumptions, PopulationPoint, Source, Stage, WaterInputs, Zone

DATA_DIR = Path(__file__).resolve().parent / "data"
WATER_FORMAT = "baqylau.balance.water/1"
HEAT_FORMAT = "baqylau.balance.heat/1"


def read_demo(name: str) -> dict[str, Any]:
    """The raw demo JSON: name is "mangystau_water" or "mangystau_heat"."""
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


def load_water_demo() -> WaterInputs:
    return water_inputs_from_dict(read_demo("mangystau_water"))


def load_heat_demo(reading: str | None = None) -> HeatInputs:
    return heat_inputs_from_dict(read_demo("mangystau_heat"), reading)


def figure(obj: Mapping[str, Any]) -> Assumption:
    """{"value", "source"?, "estimate"?, "note"?} -> Assumption (raises if it has no provenance)."""
    return Assumption(
        value=float(obj["value"]),
        source=obj.get("source", ""),
        estimate=bool(obj.get("estimate", False)),
        note=obj.get("note", ""),
    )


def date_figure(obj: Mapping[str, Any]) -> tuple[date, str]:
    """A dated figure -> (date, a short text saying where the date comes from)."""
    when = date.fromisoformat(obj["value"])
    cited = figure({**obj, "value": when.toordinal()})  # same provenance rule as numbers
    return when, ("estimate: " + cited.note) if cited.estimate else cited.source


def effective_date(stage: Mapping[str, Any]) -> tuple[date, str]:
    """Actual commissioning date if known, else the planned one."""
    for key, label in (("actual_date", "actual"), ("planned_date", "planned")):
        if stage.get(key):
            when, basis = date_figure(stage[key])
            return when, f"{label}; {basis}"
    raise ValueError("a stage needs an actual_date or a planned_date")


def reported(data: Mapping[str, Any]) -> dict[str, Assumption]:
    """The published figures kept for backtests and display, by key."""
    return {row["key"]: figure(row) for row in data.get("reported", [])}


def water_inputs_from_dict(data: Mapping[str, Any]) -> WaterInputs:
    _check_format(data, WATER_FORMAT)
    zones = tuple(
        Zone(
            code=z["code"],
            name=z["name"],
            population=tuple(
                PopulationPoint(on=date.fromisoformat(p["date"]), people=figure(p)) for p in z["population"]
            ),
        )
        for z in data["zones"]
    )
    sources = tuple(
        Source(
            code=s["code"],
            name=s["name"],
            baseline_m3_day=figure(s["baseline_m3_day"]),
            stages=tuple(_stage(st) for st in s.get("stages", [])),
        )
        for s in data["sources"]
    )
    assumptions = Assumptions(
        norm_l_person_day=_by(data["norms_l_person_day"], "zone"),
        other_consumers_m3_day=_by(data.get("other_consumers_m3_day", []), "zone"),
        seasonal_factor=_by(data["seasonal_factors"], "month"),
        availability=_by(data["availability"], "source_code"),
        baseline_availability=_by(data.get("baseline_availability", []), "source_code"),
        served_share=_by(data["served_shares"], "source_code", "zone"),
        pooled_share=_by(data.get("pooled_shares", []), "source_code"),
    )
    return WaterInputs(zones=zones, sources=sources, assumptions=assumptions)


def heat_inputs_from_dict(data: Mapping[str, Any], reading: str | None = None) -> HeatInputs:
    """`reading` picks one series of actual km from data["actual_km"] (default: data["default_reading"]).
    Several readings exist when published figures disagree; each is kept as stated."""
    _check_format(data, HEAT_FORMAT)
    reading = reading or data["default_reading"]
    if reading not in data["actual_km"]:
        raise KeyError(f"no reading {reading!r}; one of {sorted(data['actual_km'])}")
    return HeatInputs(
        main=_network(data["main_network"]),
        city=_network(data["city_network"]),
        base_year=int(figure(data["base_year"]).value),
        planned_km=_by(data["planned_km"], "year"),
        actual_km=_by(data["actual_km"][reading]["km"], "year"),
        old_pipe_ageing_pct_per_year=figure(data["ageing_pct_per_year"]["old_pipe"]),
        new_pipe_ageing_pct_per_year=figure(data["ageing_pct_per_year"]["new_pipe"]),
    )


def _stage(obj: Mapping[str, Any]) -> Stage:
    when, basis = effective_date(obj)
    return Stage(capacity_m3_day=figure(obj["capacity_m3_day"]), in_service_from=when, date_basis=basis)


def _network(obj: Mapping[str, Any]) -> Network:
    return Network(
        name=obj["name"], length_km=figure(obj["length_km"]), wear_pct_before=figure(obj["wear_pct_before"])
    )


def _by(rows: list[Mapping[str, Any]], *keys: str) -> dict[Any, Assumption]:
    """Rows -> {key: Assumption}; with several key columns the key is a tuple."""
    out: dict[Any, Assumption] = {}
    for row in rows:
        key = tuple(row[k] for k in keys) if len(keys) > 1 else row[keys[0]]
        if key in out:
            raise ValueError(f"duplicate row for {key!r}")
        out[key] = figure(row)
    return out


def _check_format(data: Mapping[str, Any], expected: str) -> None:
    if data.get("format") != expected:
        raise ValueError(f"expected format {expected!r}, got {data.get('format')!r}")
