"""Loads the demo water-balance inputs (``balance/data/mangystau_water.json``) into editable rows.

Populations the statistics give are already loaded from ``mangystau.py``; only the JSON's estimated
points (2025 extrapolations, Beineu) are added here, flagged as estimates.
"""

import datetime as dt

from baqylau.balance import read_demo
from baqylau.core.upsert import LoadResult, upsert
from baqylau.plans.models import Facility, Plan
from baqylau.reference.models import Population, Territory
from baqylau.waterbalance.models import WaterAssumption, WaterSource, WaterSourceStage, WaterZone


def _sourced(figure: dict) -> dict:
    return {
        "source": figure.get("source", ""),
        "estimate_note": figure.get("note", "") if figure.get("estimate") else "",
    }


def _date(figure: dict | None) -> dt.date | None:
    return dt.date.fromisoformat(figure["value"]) if figure else None


def load_water(result: LoadResult, plan: Plan) -> None:
    data = read_demo("mangystau_water")
    region = Territory.objects.get(code=data["region"]["code"])
    territories = {t.code: t for t in Territory.objects.all()}
    facilities = {f.code: f for f in Facility.objects.filter(plan=plan)}

    zones = {}
    for row in data["zones"]:
        zones[row["code"]] = upsert(
            result,
            WaterZone,
            {"region": region, "code": row["code"]},
            {"name": row["name"], "source": data["title"]},
            m2m={"territories": [territories[c] for c in row["territories"]]},
        )
        (only,) = row["territories"]  # the demo's zones are single territories
        for point in row["population"]:
            if point.get("estimate"):
                upsert(
                    result,
                    Population,
                    {"territory": territories[only], "on": dt.date.fromisoformat(point["date"])},
                    {"people": point["value"], **_sourced(point)},
                )

    sources = {}
    for row in data["sources"]:
        source = upsert(
            result,
            WaterSource,
            {"region": region, "code": row["code"]},
            {
                "name": row["name"],
                "kind": row["kind"],
                "baseline_m3_day": row["baseline_m3_day"]["value"],
                **_sourced(row["baseline_m3_day"]),
            },
        )
        sources[row["code"]] = source
        for position, stage in enumerate(row["stages"], start=1):
            upsert(
                result,
                WaterSourceStage,
                {"water_source": source, "position": position},
                {
                    "capacity_m3_day": stage["capacity_m3_day"]["value"],
                    **_sourced(stage["capacity_m3_day"]),
                    "facility": facilities[stage["facility"]] if stage.get("facility") else None,
                    "planned_date": _date(stage.get("planned_date")),
                    "actual_date": _date(stage.get("actual_date")),
                },
            )

    keyed = [
        ("norms_l_person_day", WaterAssumption.Kind.NORM),
        ("other_consumers_m3_day", WaterAssumption.Kind.OTHER_CONSUMERS),
        ("seasonal_factors", WaterAssumption.Kind.SEASONAL_FACTOR),
        ("availability", WaterAssumption.Kind.AVAILABILITY),
        ("baseline_availability", WaterAssumption.Kind.BASELINE_AVAILABILITY),
        ("served_shares", WaterAssumption.Kind.SERVED_SHARE),
        ("pooled_shares", WaterAssumption.Kind.POOLED_SHARE),
    ]
    for key, kind in keyed:
        for row in data[key]:
            lookup = {
                "region": region,
                "kind": kind,
                "zone": zones.get(row.get("zone")),
                "water_source": sources.get(row.get("source_code")),
                "month": row.get("month"),
            }
            upsert(result, WaterAssumption, lookup, {"value": row["value"], **_sourced(row)})
