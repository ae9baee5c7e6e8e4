"""The water model as the judgements see it: facilities count from when they can really deliver.

A facility whose planned date has passed without commissioning counts from its measure's forecast
finish (``balance.service``); the forecasts come from the judgements as of the same date (today's from
the judgement store). Pages, the water command and the outcome of a drinking-water goal all go
through here, so they agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from baqylau.plans.models import Facility, Plan
from baqylau.reference.models import Territory
from baqylau.waterbalance.services import BalanceComparison, WhatIf, delay_costs, region_balance


def forecast_of(judgement) -> dt.date | None:
    """When a measure's facilities can be expected: its finish once done, else its forecast finish."""
    if judgement is None:
        return None
    return judgement.finished_on if judgement.status.value == "done" else judgement.forecast_finish


def facility_forecasts(
    region: Territory, as_of: dt.date, readers: dict | None = None
) -> dict[int, dt.date | None]:
    """Each water facility of the region (any plan) -> its measure's forecast finish as of ``as_of``."""
    from .reading import PlanReader

    readers = readers if readers is not None else {}
    by_plan: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for facility_id, plan_id, measure_id in (
        Facility.objects.filter(water_stages__water_source__region=region)
        .values_list("pk", "plan_id", "measure_id")
        .distinct()
    ):
        by_plan[plan_id].append((facility_id, measure_id))
    forecasts: dict[int, dt.date | None] = {}
    for plan in Plan.objects.filter(pk__in=by_plan):
        reader = readers.get(plan.pk) or readers.setdefault(plan.pk, PlanReader(plan, as_of))
        verdicts = reader.measures_by_id({m for _f, m in by_plan[plan.pk]})
        for facility_id, measure_id in by_plan[plan.pk]:
            forecasts[facility_id] = forecast_of(verdicts.get(measure_id))
    return forecasts


def plan_water(
    plan: Plan, as_of: dt.date, start: dt.date, end: dt.date, change: WhatIf | None = None, reader=None
) -> BalanceComparison:
    """The balance of the plan's region as known on ``as_of``, with an optional what-if."""
    readers = {plan.pk: reader} if reader is not None else None
    forecasts = facility_forecasts(plan.region, as_of, readers)
    return region_balance(plan.region, start, end, change, as_of=as_of, forecasts=forecasts)


def late_water_costs(plan: Plan, as_of: dt.date, late_measures: set[str], reader=None):
    """What each late water measure's delay costs this summer and the next (``delay_costs``)."""
    readers = {plan.pk: reader} if reader is not None else None
    forecasts = facility_forecasts(plan.region, as_of, readers)
    return delay_costs(plan.region, as_of, forecasts, late_measures, (as_of.year, as_of.year + 1))
