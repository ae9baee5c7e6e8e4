"""Declared outcomes, evaluated as of a date, for the judging engine (``judging.OutcomeFact``).

A measure may declare the outcome it exists for (``Measure.outcome_kind``):
- ``water_provision``: every zone of the plan's region provided with at least 100% of its drinking
  water, in the water model, in every month through ``outcome_through`` (default: the measure's due
  date). Met on the first day of the month after the last short month since the measure's start,
  once that day has come and no month short remains ahead; the facilities count as the water model
  counts them on that date (a late plant from its forecast, if any).
- ``indicator``: ``outcome_indicator`` reaching ``outcome_target`` (default: its last target), in its
  direction, by its latest actual. Met on the first day of the final run of actuals at the target.
The engine then judges the measure by its outcome, not by its children (``judging/measures.py``).

Forecasts for the water model come from a first judging of the same batch (``judge``), so the outcome
of a goal and the forecasts of its facilities are judged on the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

import numpy as np
from django.db.models import Exists

from baqylau.core.translation import translated
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.judging import MeasureJudgement
from baqylau.judging.facts import OutcomeFact
from baqylau.judging.measures import OwnFigures, judge_own
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.waterbalance.inputs import MissingInputs
from baqylau.waterbalance.models import WaterZone
from baqylau.waterbalance.services import region_balance

from .water import forecast_of

LANGUAGES = ("en", "ru", "kk")
SHORT = 0.5  # m³/day: a deficit below this is rounding, not a shortfall
WATER, INDICATOR = "water_provision", "indicator"


def declared(plan: Plan, ids=None) -> list[dict]:
    """The plan's measures (or ``ids``) that declare an outcome, with what it needs."""
    measures = Measure.objects.filter(plan=plan).exclude(outcome_kind="")
    wanted = None if ids is None else set(ids)
    if wanted is not None and len(wanted) <= 200:  # a large batch: the plan's few goals, kept below
        measures = measures.filter(pk__in=wanted)
    rows = measures.values(
        "pk", "code", "start", "due", "outcome_kind", "outcome_indicator", "outcome_through", "outcome_target"
    )
    return [row for row in rows if wanted is None or row["pk"] in wanted]


def water_goals_depending_on(plan: Plan, measure_ids: Collection[int]) -> set[int]:
    """The plan's water-outcome measures whose outcome these measures can change: any of them builds
    a facility of the region's water model (its forecast moves the water it delivers). One query."""
    feeds = Facility.objects.filter(
        measure_id__in=list(measure_ids), water_stages__water_source__region_id=plan.region_id
    )
    return set(
        Measure.objects.filter(plan=plan, outcome_kind=WATER)
        .filter(Exists(feeds))
        .values_list("pk", flat=True)
    )


def goals_of_water_region(region_ids: Collection[int] | None = None) -> dict[int, set[int]]:
    """Plan id -> its water-outcome measures, for plans of these regions (every region when None):
    what a change to the water model itself (sources, stages, zones, assumptions, population) touches."""
    goals = Measure.objects.filter(outcome_kind=WATER)
    if region_ids is not None:
        goals = goals.filter(plan__region_id__in=list(region_ids))
    by_plan: dict[int, set[int]] = {}
    for plan_id, pk in goals.values_list("plan_id", "pk"):
        by_plan.setdefault(plan_id, set()).add(pk)
    return by_plan


def goals_of_indicator(*indicator_ids: int) -> dict[int, set[int]]:
    """Plan id -> the measures whose declared outcome is one of these indicators."""
    by_plan: dict[int, set[int]] = {}
    rows = Measure.objects.filter(outcome_kind=INDICATOR, outcome_indicator_id__in=indicator_ids)
    for plan_id, pk in rows.values_list("plan_id", "pk"):
        by_plan.setdefault(plan_id, set()).add(pk)
    return by_plan


def judge(plan: Plan, as_of: dt.date, own: OwnFigures, id_by_code: dict[str, int], settings):
    """The batch judged with its declared outcomes: (own figures with outcomes, judgements). Water
    facilities whose measures are in the batch take their forecasts from a first judging of it; the
    others from the judgement store (for today) or none."""
    wanted = declared(plan, id_by_code.values())
    if not wanted:
        return own, judge_own(own, as_of, settings)
    water = [row for row in wanted if row["outcome_kind"] == WATER]
    indicator = [row for row in wanted if row["outcome_kind"] == INDICATOR]
    outcomes = _indicators(as_of, indicator)
    if water:  # the water model takes the batch's facilities' forecasts from a first judging
        first = judge_own(own, as_of, settings)
        outcomes |= _water(plan, as_of, water, {id_by_code[j.key]: j for j in first})
    own = own.with_outcomes(outcomes)
    return own, judge_own(own, as_of, settings)


def _names(obj, field: str = "name") -> dict[str, str]:
    """A name in every language, for a stored detail that each reader renders in their own."""
    return {lang: translated(obj, field, lang) for lang in LANGUAGES}


def _forecasts(plan: Plan, as_of: dt.date, judged: dict[int, MeasureJudgement]) -> dict[int, dt.date | None]:
    """Facility id -> forecast finish of its measure, for the region's water facilities."""
    from .models import MeasureVerdict
    from .store import measure_judgement

    rows = list(
        Facility.objects.filter(water_stages__water_source__region_id=plan.region_id)
        .values_list("pk", "measure_id")
        .distinct()
    )
    outside = {m for _f, m in rows if m not in judged}
    if outside:  # judged today and kept in the store; judged on another day, unknown here
        stored = MeasureVerdict.objects.filter(measure_id__in=outside, as_of=as_of).select_related(
            "measure__plan"
        )
        for verdict in stored:
            judged[verdict.measure_id] = measure_judgement(verdict, verdict.measure.code, None)
    return {facility_id: forecast_of(judged.get(measure_id)) for facility_id, measure_id in rows}


def _water(plan: Plan, as_of: dt.date, rows: list[dict], judged) -> dict[str, OutcomeFact]:
    """Code -> water outcome, for the plan's water goals: one balance over all their windows."""
    if not rows:
        return {}
    windows = {}
    for row in rows:
        start = row["start"] or plan.start
        windows[row["code"]] = (dt.date(start.year, start.month, 1), row["outcome_through"] or row["due"])
    first = min(start for start, _ in windows.values())
    last = max(through for _, through in windows.values())
    forecasts = _forecasts(plan, as_of, dict(judged))
    try:
        balance = region_balance(plan.region, first, last, as_of=as_of, forecasts=forecasts).base
    except MissingInputs:
        unknown = {
            "zone": "—",
            "zone_name": "—",
            "month": "—",
            "shortfall": 0,
            "provision": 0,
            "short_months": 0,
        }
        return {code: OutcomeFact(WATER, None, {"through": through, **unknown})
                for code, (_, through) in windows.items()}  # fmt: skip
    zones = {z.code: z for z in WaterZone.objects.filter(region_id=plan.region_id)}
    return {
        code: _water_outcome(balance, as_of, start, through, zones)
        for code, (start, through) in windows.items()
    }


def _water_outcome(balance, as_of: dt.date, start: dt.date, through: dt.date, zones) -> OutcomeFact:
    """Met on the first day after the last short month since ``start``, once none is short ahead."""
    detail = {"through": through}
    window = (balance.months >= np.datetime64(start, "M")) & (balance.months <= np.datetime64(through, "M"))
    months = balance.months[window]
    deficit = balance.deficit[:, window]
    short = deficit > SHORT  # [zone, month]
    short_month = short.any(axis=0)
    now = np.datetime64(as_of, "M")
    ahead = short_month & (months >= now)
    if not ahead.any():
        before = np.flatnonzero(short_month & (months < now))
        met = start if not before.size else (months[before[-1]] + 1).astype(dt.date)
        return OutcomeFact(WATER, met, detail)
    j = int(np.flatnonzero(ahead)[0])
    i = int(np.argmax(deficit[:, j]))
    code = balance.zone_codes[i]
    return OutcomeFact(
        WATER,
        None,
        {
            **detail,
            "zone": code,
            "zone_name": _names(zones[code]) if code in zones else code,
            "month": str(months[j]),
            "shortfall": round(float(deficit[i, j]), 1),
            "provision": round(float(balance.provision_pct[:, window][i, j]), 1),
            "short_months": int(short[:, months >= now].sum()),
        },
    )


def _indicators(as_of: dt.date, rows: list[dict]) -> dict[str, OutcomeFact]:
    """Code -> indicator outcome, for every indicator goal of the batch in three queries."""
    if not rows:
        return {}
    wanted = {row["outcome_indicator"] for row in rows} - {None}
    indicators = Indicator.objects.in_bulk(wanted)
    last_target: dict[int, Decimal] = {}
    for indicator_id, value in (
        Target.objects.filter(indicator_id__in=wanted)
        .order_by("period_end")
        .values_list("indicator_id", "value")
    ):
        last_target[indicator_id] = value
    actuals: dict[int, list] = {}
    for indicator_id, on, value in (
        Actual.objects.filter(indicator_id__in=wanted, period_end__lte=as_of)
        .order_by("period_end")
        .values_list("indicator_id", "period_end", "value")
    ):
        actuals.setdefault(indicator_id, []).append((on, value))
    return {
        row["code"]: _indicator(
            indicators.get(row["outcome_indicator"]),
            row["outcome_target"]
            if row["outcome_target"] is not None
            else last_target.get(row["outcome_indicator"]),
            actuals.get(row["outcome_indicator"], []),
        )
        for row in rows
    }


def _indicator(indicator: Indicator | None, target: Decimal | None, actuals: list) -> OutcomeFact:
    if indicator is None:
        return OutcomeFact(INDICATOR, None, {"indicator": "—", "actual": None, "target": None, "unit": ""})
    detail = {
        "indicator": _names(indicator),
        "unit": indicator.unit,
        "target": None if target is None else float(target),
    }
    if target is None or not actuals:
        return OutcomeFact(INDICATOR, None, {**detail, "actual": None})

    def reached(value: Decimal) -> bool:
        return value <= target if indicator.direction == Indicator.Direction.DOWN else value >= target

    last_on, last_value = actuals[-1]
    if not reached(last_value):
        return OutcomeFact(INDICATOR, None, {**detail, "actual": float(last_value), "actual_on": last_on})
    met_on = last_on
    for on, value in reversed(actuals):
        if not reached(value):
            break
        met_on = on
    return OutcomeFact(INDICATOR, met_on, detail)
