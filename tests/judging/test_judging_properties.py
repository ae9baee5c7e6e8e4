"""Properties over random batches: batch == single, ranges, consistency, monotonicity."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baqylau.judging import (
    Confidence,
    MeasureFacts,
    MeasureStatus,
    PlanSettings,
    ProgressPoint,
    judge_measure,
    judge_measures,
)

from .factories import PROPERTY, day, descendants, measure_batches, measure_facts

# numpy must not warn about overflow or invalid values anywhere in the pipeline.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

plan_settings = st.builds(
    PlanSettings,
    tolerance_pp=st.sampled_from([0.0, 5.0, 10.0, 25.0]),
    reporting_interval_days=st.sampled_from([1, 30, 90]),
    forecast_min_points=st.sampled_from([2, 3]),
    forecast_window=st.sampled_from([3, 4, 9]),
)


@PROPERTY
@given(measure_batches(), day(-300, 900), plan_settings)
def test_batch_equals_single(facts, as_of, settings):
    batch = judge_measures(facts, as_of, settings)
    for f, judged in zip(facts, batch, strict=True):
        assert judge_measure(f, as_of, settings, descendants=descendants(facts, f.key)) == judged


@PROPERTY
@given(measure_batches(), day(-300, 900), st.randoms(use_true_random=False))
def test_order_of_the_batch_does_not_matter(facts, as_of, rnd):
    shuffled = list(facts)
    rnd.shuffle(shuffled)
    by_key = {j.key: j for j in judge_measures(shuffled, as_of)}
    assert [by_key[f.key] for f in facts] == judge_measures(facts, as_of)


@PROPERTY
@given(measure_batches(), day(-300, 900), plan_settings)
def test_figures_stay_in_range_and_statuses_agree_with_them(facts, as_of, settings):
    for j in judge_measures(facts, as_of, settings):
        assert j.progress is None or 0.0 <= j.progress <= 100.0
        assert j.planned is None or 0.0 <= j.planned <= 100.0
        assert j.unknown_weight_share is None or 0.0 <= j.unknown_weight_share <= 1.0
        assert j.children_known <= j.children_total
        if j.status == MeasureStatus.DONE:
            assert j.progress == 100.0 and j.finished_on is not None and j.finished_on <= as_of
            assert j.confidence == Confidence.GREEN
        elif j.status == MeasureStatus.LATE:
            assert as_of > j.due and j.confidence == Confidence.RED
        elif j.status == MeasureStatus.NOT_STARTED:
            assert j.start is not None and as_of < j.start
        elif j.status == MeasureStatus.ON_TRACK:
            assert not (j.behind or j.stale)
            assert j.confidence in (Confidence.GREEN, Confidence.AMBER_GREEN)
        else:
            assert j.behind or j.stale or j.forecast_finish is None or j.forecast_finish > j.due
            assert j.confidence.severity >= Confidence.AMBER.severity
        if j.forecast_finish is not None:
            assert j.forecast_finish >= as_of
            assert j.slip_days == (j.forecast_finish - j.due).days


def _cut_at(facts: MeasureFacts, as_of: date) -> MeasureFacts:
    """The facts as they stood on ``as_of``: later reports and a later completion unknown."""
    return dataclasses.replace(
        facts,
        history=tuple(p for p in facts.history if p.on <= as_of),
        completed_on=facts.completed_on if facts.completed_on and facts.completed_on <= as_of else None,
    )


@PROPERTY
@given(measure_batches(), day(-300, 900))
def test_judging_as_of_a_past_date_reproduces_what_was_known(facts, as_of):
    assert judge_measures(facts, as_of) == judge_measures([_cut_at(f, as_of) for f in facts], as_of)


@PROPERTY
@given(measure_facts(), day(-300, 900), st.floats(0.0, 100.0, allow_nan=False), plan_settings)
def test_a_lower_latest_report_never_improves_confidence(facts, as_of, lower_by, settings):
    facts = _cut_at(facts, as_of)
    ordered = sorted(facts.history, key=lambda p: p.on)
    if not ordered:
        return
    last = ordered[-1]
    # Lower the (only) latest report; drop same-day duplicates so "latest" is unambiguous.
    kept = [p for p in ordered if p.on < last.on]
    lowered = ProgressPoint(last.on, max(0.0, last.progress - lower_by))
    before = judge_measure(dataclasses.replace(facts, history=(*kept, last)), as_of, settings)
    after = judge_measure(dataclasses.replace(facts, history=(*kept, lowered)), as_of, settings)
    assert after.confidence.severity >= before.confidence.severity


@PROPERTY
@given(st.integers(1, 30), st.integers(1, 12), day(0, 400))
def test_every_measure_gets_exactly_one_judgement(n, reports, as_of):
    facts = [
        MeasureFacts(
            f"S{i}",
            date(2025, 1, 1),
            date(2026, 1, 1),
            None,
            tuple(
                ProgressPoint(date(2025, 1, 1) + timedelta(days=20 * k + i), 5.0 * k) for k in range(reports)
            ),
        )
        for i in range(n)
    ]
    judged = judge_measures(facts, as_of)
    assert [j.key for j in judged] == [f.key for f in facts]
