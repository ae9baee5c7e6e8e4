"""Forecast finish: a least-squares line over the last forecast_window accepted reports."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from baqylau.judging import (
    ForecastNote,
    MeasureFacts,
    MeasureStatus,
    PlanSettings,
    ProgressPoint,
    judge_measure,
)

from .factories import PROPERTY, D, measure


def test_straight_line_is_extrapolated_to_100():
    facts = measure(reports={"2025-02-01": 10, "2025-03-03": 20, "2025-04-02": 30, "2025-05-02": 40})
    j = judge_measure(facts, D("2025-05-02"))
    assert j.forecast_finish == D("2025-05-02") + timedelta(days=180)
    assert j.forecast_points == 4


def test_only_the_last_window_of_reports_counts():
    recent = {"2025-02-01": 10, "2025-03-03": 20, "2025-04-02": 30, "2025-05-02": 40}
    with_slow_beginning = measure(reports={"2024-06-01": 0, "2024-09-01": 0, "2024-12-01": 5, **recent})
    only_recent = measure(reports=recent)
    as_of = D("2025-05-10")
    assert (
        judge_measure(with_slow_beginning, as_of).forecast_finish
        == judge_measure(only_recent, as_of).forecast_finish
    )
    wider = judge_measure(with_slow_beginning, as_of, PlanSettings(forecast_window=7))
    assert wider.forecast_points == 7
    assert wider.forecast_finish != judge_measure(only_recent, as_of).forecast_finish


def test_too_few_reports_is_said_not_guessed():
    facts = measure(reports={"2025-02-01": 10, "2025-03-03": 20})
    assert judge_measure(facts, D("2025-05-02")).forecast_finish is not None
    j = judge_measure(facts, D("2025-05-02"), PlanSettings(forecast_min_points=3))
    assert j.forecast_finish is None
    assert j.forecast_note == ForecastNote.TOO_FEW_REPORTS
    assert j.slip_days is None


def test_reports_all_on_one_day_give_no_trend():
    facts = measure(reports=[("2025-03-01", 10), ("2025-03-01", 20)])
    j = judge_measure(facts, D("2025-05-02"))
    assert j.forecast_note == ForecastNote.TOO_FEW_REPORTS
    assert [r.code for r in j.reasons if r.code.startswith("forecast")] == ["forecast_one_day"]


def test_falling_progress_has_no_forecast():
    facts = measure(reports={"2025-03-01": 50, "2025-04-01": 45})
    j = judge_measure(facts, D("2025-05-02"))
    assert j.forecast_finish is None
    assert j.forecast_note == ForecastNote.NOT_INCREASING


@pytest.mark.filterwarnings("error::RuntimeWarning")
@pytest.mark.parametrize("second", [10.000001, 10.000000000000002])
def test_a_crawl_beyond_year_9999_is_too_slow(second):
    facts = measure(reports={"2025-03-01": 10, "2025-03-02": second})
    j = judge_measure(facts, D("2025-05-02"))
    assert j.forecast_note == ForecastNote.TOO_SLOW
    assert j.forecast_finish is None
    assert j.status == MeasureStatus.AT_RISK  # at this pace it never finishes


def test_a_line_that_already_reached_100_forecasts_the_as_of_date():
    facts = measure(reports={"2025-03-01": 60, "2025-03-02": 99})
    assert judge_measure(facts, D("2025-05-02")).forecast_finish == D("2025-05-02")


@st.composite
def increasing_histories(draw):
    n = draw(st.integers(2, 6))
    days = sorted(draw(st.lists(st.integers(0, 500), min_size=n, max_size=n, unique=True)))
    values = sorted(draw(st.lists(st.floats(0, 99, allow_nan=False), min_size=n, max_size=n)))
    return days, values


@PROPERTY
@given(increasing_histories())
def test_matches_a_numpy_polyfit_over_the_window(history):
    days, values = history
    base = date(2024, 1, 1)
    points = tuple(ProgressPoint(base + timedelta(days=d), v) for d, v in zip(days, values, strict=True))
    as_of = base + timedelta(days=days[-1] + 3)
    facts = MeasureFacts("M", None, date(2030, 1, 1), None, points)
    j = judge_measure(facts, as_of)

    t = np.array(days[-4:], dtype=float)
    p = np.array(values[-4:])
    assume(np.ptp(p) > 1e-6)  # a flat window is "not increasing", tested elsewhere
    slope, intercept = np.polyfit(t, p, 1)
    assume(slope > 1e-6)
    root = (100 - intercept) / slope
    assume(root < 2_000_000)
    expected = max(math.ceil(root), days[-1] + 3)
    assert j.forecast_finish is not None
    assert abs((j.forecast_finish - base).days - expected) <= 1
