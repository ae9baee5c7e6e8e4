"""A measure's progress over time and its planned curve, for its chart (the measure page).

The planned curve is the engine's (start at 0 %, the trajectory indicator's milestones, due at 100 %);
progress over time is the engine's verdict at each date a report (its own or, for a goal, any of its
descendants') became a point of the history, judged from the same facts the judgement uses, so the
line ends where the judgement stands.
"""

from __future__ import annotations

import datetime as dt

from baqylau.indicators.models import Indicator, Target
from baqylau.judging.measures import judge_own, own_figures
from baqylau.plans.models import Measure

from .facts import measure_facts, plan_settings

POINTS = 60  # at most this many dates on the line: the latest ones


def planned_curve(measure: Measure) -> list[tuple[dt.date, float]]:
    """(date, planned %) knots: the start, every milestone of the trajectory indicator, the due date."""
    knots: list[tuple[dt.date, float]] = []
    if measure.start is not None:
        knots.append((measure.start, 0.0))
        indicator = (
            Indicator.objects.filter(measure=measure, baseline_value__isnull=False).order_by("code").first()
        )
        if indicator is not None:
            targets = list(
                Target.objects.filter(indicator=indicator)
                .order_by("period_end")
                .values_list("period_end", "value")
            )
            if targets and targets[-1][1] != indicator.baseline_value:
                span = float(targets[-1][1] - indicator.baseline_value)
                for on, value in targets:
                    if measure.start < on < measure.due:
                        share = (float(value) - float(indicator.baseline_value)) / span * 100
                        knots.append((on, max(0.0, min(100.0, share))))
    knots.append((measure.due, 100.0))
    return knots


def _descendants(measure: Measure) -> set[int]:
    tree, frontier = {measure.pk}, {measure.pk}
    while frontier:
        frontier = set(Measure.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - tree
        tree |= frontier
    return tree


def progress_over_time(measure: Measure, as_of: dt.date) -> list[tuple[dt.date, float]]:
    """(date, accepted progress %) at each date the measure's history gained a point, up to ``as_of``."""
    plan = measure.plan
    facts, _keys = measure_facts(plan, as_of, _descendants(measure))
    days = sorted({p.on for f in facts for p in f.history if p.on <= as_of} | {
        f.completed_on for f in facts if f.completed_on and f.completed_on <= as_of
    })[-POINTS:]  # fmt: skip
    settings = plan_settings(plan)
    line = []
    for day in days:
        judged = {j.key: j for j in judge_own(own_figures(facts, day, settings), day, settings)}
        progress = judged[measure.code].progress
        if progress is not None:
            line.append((day, progress))
    return line
