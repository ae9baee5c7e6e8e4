"""The likelihood of delivery, scored on held-out synthetic plans whose true finishes are known: it
must be calibrated (within 10 points in every decile with enough measures) and beat the status-only
baseline on Brier score. The scores are printed, so a run shows them."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from baqylau.plans.models import Plan
from baqylau.synthetic import backtest


@pytest.fixture
def on_the_day():
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        yield dt.date(2026, 12, 1)


def test_calibrated_and_better_than_the_status_alone(db, on_the_day, capsys):
    result = backtest.run(measures=5000)
    with capsys.disabled():
        print("\n" + "\n".join(result.lines()))
    assert result.measures > 3000
    assert all(d.gap <= 0.10 for d in result.deciles if d.judged), result.lines()
    assert sum(d.judged for d in result.deciles) >= 6  # enough of the range is judged, not only the ends
    assert result.brier < result.baseline_brier
    assert not Plan.objects.filter(code__startswith="SYN-").exists()  # the plans are removed afterwards


def test_the_score_of_a_known_set(db):
    """Scoring itself, on numbers worked by hand: perfect, then always wrong."""
    import numpy as np

    p = np.array([0.05] * 100 + [0.95] * 100)
    y = np.array([False] * 95 + [True] * 5 + [True] * 95 + [False] * 5)
    result = backtest.score((9,), dt.date(2026, 12, 1), p, np.full(200, 0.5), y)
    assert result.calibrated and result.brier < result.baseline_brier == 0.25
    assert result.brier == pytest.approx(0.05 * 0.95)
    wrong = backtest.score((9,), dt.date(2026, 12, 1), p, np.full(200, 0.5), ~y)
    assert not wrong.calibrated and wrong.brier > wrong.baseline_brier
    too_few = backtest.score((9,), dt.date(2026, 12, 1), p[:10], np.full(10, 0.5), y[:10])
    assert not too_few.calibrated  # nothing judged is not a pass


def test_the_command_refuses_bad_options(db):
    with pytest.raises(CommandError, match="--seeds"):
        call_command("likelihood_backtest", "--seeds", "two")
    with pytest.raises(CommandError, match="at least 100"):
        call_command("likelihood_backtest", "--measures", "10")
