"""Delivery confidence: the documented table, and monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baqylau.judging import Confidence, MeasureStatus, PlanSettings, rate_confidence
from baqylau.judging.confidence import worst

from .factories import PROPERTY

G, AG, A, AR, R = (
    Confidence.GREEN,
    Confidence.AMBER_GREEN,
    Confidence.AMBER,
    Confidence.AMBER_RED,
    Confidence.RED,
)


@pytest.mark.parametrize(
    ("status", "gap", "slip", "stalled", "stale", "expected"),
    [
        ("done", -50.0, 200, False, False, G),
        ("not_started", None, None, False, False, G),
        ("late", 0.0, None, False, False, R),
        ("on_track", 0.0, -10, False, False, G),
        ("on_track", 5.0, None, False, False, G),
        ("on_track", None, None, False, False, AG),  # nothing reported yet
        ("on_track", -10.0, 0, False, False, AG),  # within tolerance
        ("at_risk", -10.1, None, False, False, A),
        ("at_risk", -20.0, None, False, False, A),
        ("at_risk", -20.1, None, False, False, AR),
        ("at_risk", -30.1, None, False, False, R),
        ("at_risk", 0.0, 1, False, False, A),
        ("at_risk", 0.0, 30, False, False, A),
        ("at_risk", 0.0, 31, False, False, AR),
        ("at_risk", 0.0, 90, False, False, AR),
        ("at_risk", 0.0, 91, False, False, R),
        ("at_risk", 0.0, None, True, False, R),  # flat line: never finishes at this pace
        ("at_risk", 0.0, None, False, True, A),  # stale only
        ("at_risk", -25.0, 10, False, True, AR),  # the worst component wins
    ],
)
def test_table(status, gap, slip, stalled, stale, expected):
    assert rate_confidence(status, gap, slip, stalled=stalled, stale=stale) == expected


def test_bands_follow_the_tolerance():
    wide = PlanSettings(tolerance_pp=20)
    assert rate_confidence("at_risk", -25.0, None, settings=wide) == A
    assert rate_confidence("at_risk", -45.0, None, settings=wide) == AR


def test_worst():
    assert worst([G, AR, A, None]) == AR
    assert worst([]) is None
    assert R.severity == 4 and G.severity == 0


statuses = st.sampled_from(list(MeasureStatus))
gaps = st.floats(-100, 100, allow_nan=False)
slips = st.one_of(st.none(), st.integers(-1000, 5000))
tolerances = st.sampled_from([0.0, 5.0, 10.0, 15.0, 33.3])


@PROPERTY
@given(statuses, gaps, gaps, slips, st.booleans(), st.booleans(), tolerances)
def test_a_worse_gap_never_gives_a_better_rating(status, gap_a, gap_b, slip, stalled, stale, tol):
    settings = PlanSettings(tolerance_pp=tol)
    worse, better = sorted([gap_a, gap_b])
    rate = lambda gap: rate_confidence(status, gap, slip, stalled=stalled, stale=stale, settings=settings)  # noqa: E731
    assert rate(worse).severity >= rate(better).severity


@PROPERTY
@given(
    statuses, st.one_of(st.none(), gaps), st.integers(-1000, 5000), st.integers(-1000, 5000), st.booleans()
)
def test_a_later_forecast_never_gives_a_better_rating(status, gap, slip_a, slip_b, stale):
    earlier, later = sorted([slip_a, slip_b])
    assert (
        rate_confidence(status, gap, later, stale=stale).severity
        >= rate_confidence(status, gap, earlier, stale=stale).severity
    )
    # A line that never reaches 100% is the latest forecast of all.
    assert (
        rate_confidence(status, gap, None, stalled=True, stale=stale).severity
        >= rate_confidence(status, gap, later, stale=stale).severity
    )
