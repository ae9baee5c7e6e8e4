"""Measure status rules at their edges, from the user's side."""

from __future__ import annotations

from datetime import date

import pytest

from baqylau.judging import (
    Confidence,
    ForecastNote,
    MeasureFacts,
    MeasureStatus,
    PlanSettings,
    ProgressPoint,
    ProgressSource,
    TrajectoryPoint,
    explain,
    judge_measure,
    judge_measures,
)

from .factories import D, measure

# start 2025-01-01, due 2025-12-31: 364 days of planned trajectory.


def codes(judgement) -> list[str]:
    return [reason.code for reason in judgement.reasons]


class TestDueDate:
    # Almost finished and still moving: only the due date decides between on time and late.
    facts = measure(reports={"2025-11-30": 90, "2025-12-20": 99})

    def test_day_before_due_is_not_late(self):
        j = judge_measure(self.facts, D("2025-12-30"))
        assert j.status == MeasureStatus.ON_TRACK
        assert j.forecast_finish == D("2025-12-30")  # the line already passed 100: any day now

    def test_on_the_due_date_the_measure_is_not_late(self):
        j = judge_measure(self.facts, D("2025-12-31"))
        assert j.status == MeasureStatus.ON_TRACK
        assert j.planned == 100.0
        assert j.gap == -1.0
        assert j.confidence == Confidence.AMBER_GREEN  # a little behind, within tolerance

    def test_day_after_due_is_late_and_red(self):
        j = judge_measure(self.facts, D("2026-01-01"))
        assert j.status == MeasureStatus.LATE
        assert j.confidence == Confidence.RED
        assert codes(j)[0] == "overdue"
        assert j.reasons[0].params["days"] == 1

    def test_completed_on_the_due_date_is_done(self):
        facts = measure(completed_on="2025-12-31", reports={"2025-11-30": 90})
        j = judge_measure(facts, D("2026-02-01"))
        assert j.status == MeasureStatus.DONE
        assert j.slip_days == 0
        assert j.confidence == Confidence.GREEN


class TestNoReports:
    facts = measure()

    def test_early_on_progress_is_unknown_not_zero(self):
        j = judge_measure(self.facts, D("2025-02-15"))
        assert j.status == MeasureStatus.ON_TRACK
        assert j.progress is None and j.gap is None
        assert j.progress_source == ProgressSource.NONE
        assert j.forecast_note == ForecastNote.TOO_FEW_REPORTS
        assert j.confidence == Confidence.AMBER_GREEN  # no evidence either way
        assert not j.stale

    def test_exactly_the_interval_after_start_is_not_yet_stale(self):
        j = judge_measure(self.facts, D("2025-04-01"))  # 90 days after the start
        assert not j.stale
        assert j.status == MeasureStatus.ON_TRACK

    def test_never_reported_for_longer_than_the_interval_is_stale(self):
        j = judge_measure(self.facts, D("2025-04-02"))  # 91 days
        assert j.stale
        assert j.days_since_report is None and j.last_report_on is None
        assert j.status == MeasureStatus.AT_RISK
        assert j.confidence == Confidence.AMBER  # at risk by staleness only
        assert "never_reported" in codes(j)
        assert "91 days" in explain(j)

    def test_before_start_nothing_is_stale(self):
        facts = measure(start="2025-06-01", due="2025-12-31")
        j = judge_measure(facts, D("2025-05-31"))
        assert j.status == MeasureStatus.NOT_STARTED
        assert not j.stale
        assert j.planned == 0.0
        assert j.confidence == Confidence.GREEN


class TestOneReport:
    facts = measure(reports={"2025-03-01": 20})

    def test_one_report_gives_progress_but_no_forecast(self):
        j = judge_measure(self.facts, D("2025-06-30"))
        assert j.progress == 20.0
        assert j.planned == pytest.approx(100 * 180 / 364)
        assert j.forecast_finish is None
        assert j.forecast_note == ForecastNote.TOO_FEW_REPORTS
        assert j.report_count == 1
        assert j.behind and j.stale
        assert j.status == MeasureStatus.AT_RISK
        assert j.confidence == Confidence.AMBER_RED  # 29.5 points behind: between 2 and 3 tolerances
        assert "1 of 2 needed" in explain(j)

    def test_days_since_report(self):
        j = judge_measure(self.facts, D("2025-03-31"))
        assert j.last_report_on == D("2025-03-01")
        assert j.days_since_report == 30
        assert not j.stale


class TestHistoryAfterAsOf:
    def test_reports_after_as_of_are_ignored(self):
        with_future = measure(reports={"2025-03-01": 20, "2025-05-01": 30, "2025-09-01": 100})
        without = measure(reports={"2025-03-01": 20, "2025-05-01": 30})
        assert judge_measure(with_future, D("2025-06-30")) == judge_measure(without, D("2025-06-30"))

    def test_completion_after_as_of_is_ignored(self):
        later = measure(completed_on="2025-09-01", reports={"2025-05-01": 30})
        j = judge_measure(later, D("2025-06-30"))
        assert j.status != MeasureStatus.DONE
        assert j.progress == 30.0
        assert judge_measure(later, D("2025-09-01")).status == MeasureStatus.DONE

    def test_reports_dated_after_completion_do_not_undo_it(self):
        facts = measure(completed_on="2025-05-01", reports={"2025-03-01": 50, "2025-06-01": 90})
        j = judge_measure(facts, D("2025-06-30"))
        assert j.status == MeasureStatus.DONE
        assert j.progress == 100.0
        assert j.finished_on == D("2025-05-01")
        assert j.slip_days == (D("2025-05-01") - D("2025-12-31")).days
        assert j.forecast_note == ForecastNote.DONE
        assert not j.stale

    def test_history_order_does_not_matter(self):
        ordered = measure(reports=[("2025-02-01", 10), ("2025-03-01", 20), ("2025-05-01", 35)])
        shuffled = measure(reports=[("2025-05-01", 35), ("2025-02-01", 10), ("2025-03-01", 20)])
        assert judge_measure(ordered, D("2025-06-30")) == judge_measure(shuffled, D("2025-06-30"))

    def test_on_equal_dates_the_later_item_is_the_latest(self):
        facts = measure(reports=[("2025-05-01", 30), ("2025-05-01", 35)])
        assert judge_measure(facts, D("2025-06-30")).progress == 35.0


class TestDoneByReport:
    def test_a_100_percent_report_is_done_from_the_first_of_the_final_run(self):
        facts = measure(reports={"2025-03-01": 100, "2025-04-01": 100})
        j = judge_measure(facts, D("2025-06-30"))
        assert j.status == MeasureStatus.DONE
        assert j.finished_on == D("2025-03-01")

    def test_a_dip_restarts_the_run(self):
        facts = measure(reports={"2025-03-01": 100, "2025-04-01": 95, "2025-05-01": 100})
        assert judge_measure(facts, D("2025-06-30")).finished_on == D("2025-05-01")

    def test_latest_report_below_100_is_not_done(self):
        facts = measure(reports={"2025-03-01": 100, "2025-04-01": 95})
        j = judge_measure(facts, D("2025-06-30"))
        assert j.status != MeasureStatus.DONE
        assert j.progress == 95.0


class TestZeroLength:
    facts = measure(start="2025-06-30", due="2025-06-30")

    def test_before_the_day(self):
        assert judge_measure(self.facts, D("2025-06-29")).status == MeasureStatus.NOT_STARTED

    def test_on_the_day_planned_is_100_and_not_late(self):
        j = judge_measure(self.facts, D("2025-06-30"))
        assert j.planned == 100.0
        assert j.status == MeasureStatus.ON_TRACK  # nothing reported yet, nothing overdue yet

    def test_on_the_day_half_done_is_at_risk(self):
        facts = measure(start="2025-06-30", due="2025-06-30", reports={"2025-06-30": 50})
        j = judge_measure(facts, D("2025-06-30"))
        assert j.status == MeasureStatus.AT_RISK and j.behind

    def test_after_the_day_late(self):
        assert judge_measure(self.facts, D("2025-07-01")).status == MeasureStatus.LATE


class TestNoStartDate:
    def test_no_planned_curve_before_due(self):
        facts = measure(start=None, reports={"2025-05-01": 40})
        j = judge_measure(facts, D("2025-06-30"))
        assert j.planned is None and j.gap is None
        assert not j.behind
        assert j.status == MeasureStatus.ON_TRACK
        assert "progress_only" in codes(j)

    def test_never_not_started_and_never_stale_without_reports(self):
        facts = measure(start=None)
        j = judge_measure(facts, D("2020-01-01"))
        assert j.status == MeasureStatus.ON_TRACK
        assert not j.stale

    def test_planned_is_100_from_the_due_date(self):
        facts = measure(start=None)
        assert judge_measure(facts, D("2025-12-31")).planned == 100.0
        assert judge_measure(facts, D("2026-01-05")).status == MeasureStatus.LATE

    def test_stale_counts_from_the_last_report(self):
        facts = measure(start=None, reports={"2025-01-01": 10})
        assert not judge_measure(facts, D("2025-04-01")).stale
        assert judge_measure(facts, D("2025-04-02")).stale

    def test_milestones_give_a_curve_from_the_first_one(self):
        facts = measure(start=None, trajectory={"2025-07-01": 40})
        assert judge_measure(facts, D("2025-06-30")).planned is None
        assert judge_measure(facts, D("2025-07-01")).planned == 40.0
        mid = judge_measure(facts, D("2025-10-01")).planned  # 92 of 183 days from 40 to 100
        assert mid == pytest.approx(40 + 60 * 92 / 183)


class TestTrajectory:
    def test_linear_without_milestones(self):
        assert judge_measure(measure(), D("2025-01-01")).planned == 0.0
        assert judge_measure(measure(), D("2025-07-02")).planned == pytest.approx(100 * 182 / 364)
        assert judge_measure(measure(), D("2024-12-01")).planned == 0.0
        assert judge_measure(measure(), D("2026-03-01")).planned == 100.0

    def test_milestones_shape_the_curve(self):
        facts = measure(trajectory={"2025-07-01": 20})  # a slow first half
        assert judge_measure(facts, D("2025-04-01")).planned == pytest.approx(20 * 90 / 181)
        assert judge_measure(facts, D("2025-07-01")).planned == 20.0
        assert judge_measure(facts, D("2025-10-01")).planned == pytest.approx(20 + 80 * 92 / 183)

    def test_milestones_may_come_in_any_order(self):
        a = measure(trajectory={"2025-04-01": 10, "2025-09-01": 60})
        b = measure(trajectory={"2025-09-01": 60, "2025-04-01": 10})
        assert a == b

    def test_behind_exactly_by_the_tolerance_is_still_on_track(self):
        base = {"start": "2025-01-01", "due": "2025-04-11"}  # 100 days; 2025-02-20 is day 50
        on_edge = judge_measure(measure(**base, reports={"2025-02-20": 40}), D("2025-02-20"))
        assert on_edge.planned == 50.0 and on_edge.gap == -10.0
        assert not on_edge.behind
        assert on_edge.status == MeasureStatus.ON_TRACK
        assert on_edge.confidence == Confidence.AMBER_GREEN
        past_edge = judge_measure(measure(**base, reports={"2025-02-20": 39.9}), D("2025-02-20"))
        assert past_edge.behind
        assert past_edge.status == MeasureStatus.AT_RISK
        assert past_edge.confidence == Confidence.AMBER

    def test_tolerance_is_a_plan_setting(self):
        facts = measure(start="2025-01-01", due="2025-04-11", reports={"2025-02-20": 35})
        assert judge_measure(facts, D("2025-02-20")).status == MeasureStatus.AT_RISK
        lenient = judge_measure(facts, D("2025-02-20"), PlanSettings(tolerance_pp=20))
        assert lenient.status == MeasureStatus.ON_TRACK


class TestForecastDrivesRisk:
    def test_forecast_before_due_is_on_track(self):
        # 10 points a month from February, ahead of a plan that starts slow.
        facts = measure(
            trajectory={"2025-06-01": 5},
            reports={"2025-02-01": 10, "2025-03-03": 20, "2025-04-02": 30, "2025-05-02": 40},
        )
        j = judge_measure(facts, D("2025-05-02"))
        assert not j.behind
        assert j.forecast_finish == D("2025-10-29")  # 60 more points at 1/3 point a day: 180 days
        assert j.slip_days == -63
        assert j.status == MeasureStatus.ON_TRACK
        assert "forecast_on_time" in codes(j)

    def test_forecast_a_little_after_due_is_at_risk_and_amber(self):
        facts = measure(reports={"2025-08-02": 58.5, "2025-09-01": 66})  # a quarter point a day
        j = judge_measure(facts, D("2025-09-01"))
        assert not j.behind  # 66 done against 66.8 planned
        assert j.forecast_finish == D("2026-01-15")
        assert j.slip_days == 15
        assert j.status == MeasureStatus.AT_RISK
        assert j.confidence == Confidence.AMBER
        assert "forecast finish 2026-01-15, 15 days after the due date" in explain(j)

    def test_forecast_far_after_due_is_red_even_when_not_behind(self):
        slow = measure(reports={"2025-02-01": 10, "2025-04-02": 15, "2025-06-01": 20, "2025-07-31": 25})
        j = judge_measure(slow, D("2025-07-31"), PlanSettings(tolerance_pp=50))
        assert not j.behind
        assert j.slip_days == (j.forecast_finish - D("2025-12-31")).days > 90
        assert j.status == MeasureStatus.AT_RISK
        assert j.confidence == Confidence.RED
        assert "forecast_late" in codes(j)

    def test_stalled_progress_is_at_risk(self):
        facts = measure(reports={"2025-04-01": 40, "2025-05-01": 40})
        j = judge_measure(facts, D("2025-05-02"))
        assert not j.behind
        assert j.forecast_note == ForecastNote.NOT_INCREASING
        assert j.status == MeasureStatus.AT_RISK
        assert j.confidence == Confidence.RED


class TestParents:
    def leaves(self):
        return [
            measure("A", reports={"2025-05-01": 40}, weight=1),
            measure("B", reports={"2025-06-01": 80}, weight=3),
            measure("C", weight=1),
        ]

    def test_children_all_unknown_means_unknown_not_zero(self):
        kids = [measure("A"), measure("B")]
        parent = measure("P", children=("A", "B"))
        j = judge_measure(parent, D("2025-02-01"), descendants=kids)
        assert j.progress is None
        assert j.progress_source == ProgressSource.CHILDREN
        assert j.children_known == 0 and j.children_total == 2
        assert j.unknown_weight_share == 1.0
        assert codes(j)[0] == "no_child_reported"
        assert "no child measure has reported" in explain(j, "en")
        assert "ни одно из вложенных мероприятий" in explain(j, "ru")
        assert "ешқайсысы" in explain(j, "kk")

    def test_progress_is_weighted_over_known_children(self):
        parent = measure("P", children=("A", "B", "C"))
        j = judge_measure(parent, D("2025-06-30"), descendants=self.leaves())
        assert j.progress == pytest.approx((40 * 1 + 80 * 3) / 4)
        assert j.children_known == 2
        assert j.unknown_weight_share == pytest.approx(1 / 5)
        assert j.last_report_on == D("2025-06-01")  # the freshest child report
        assert j.forecast_note == ForecastNote.CHILD_FORECAST_MISSING
        assert "rolled_up_partial" in codes(j)
        assert "2 of 3" in explain(j) and "20%" in explain(j)

    def test_own_reports_win_over_children(self):
        parent = measure("P", children=("A", "B", "C"), reports={"2025-06-15": 55})
        j = judge_measure(parent, D("2025-06-30"), descendants=self.leaves())
        assert j.progress == 55.0
        assert j.progress_source == ProgressSource.OWN

    def test_done_when_every_child_is_done(self):
        kids = [measure("A", completed_on="2025-05-01"), measure("B", reports={"2025-06-01": 100})]
        parent = measure("P", children=("A", "B"))
        j = judge_measure(parent, D("2025-06-30"), descendants=kids)
        assert j.status == MeasureStatus.DONE
        assert j.progress == 100.0
        assert j.finished_on == D("2025-06-01")

    def test_known_children_at_100_do_not_make_the_parent_done(self):
        kids = [measure("A", completed_on="2025-05-01"), measure("B")]
        parent = measure("P", children=("A", "B"))
        j = judge_measure(parent, D("2025-06-30"), descendants=kids)
        assert j.status != MeasureStatus.DONE
        assert j.progress == 100.0 and j.unknown_weight_share == 0.5

    def test_parent_forecast_is_the_latest_child_forecast(self):
        kids = [
            measure("A", reports={"2025-03-01": 20, "2025-04-01": 40}),
            measure("B", reports={"2025-03-01": 10, "2025-04-01": 20}),
            measure("C", completed_on="2025-03-15"),
        ]
        judged = judge_measures([measure("P", children=("A", "B", "C")), *kids], D("2025-04-01"))
        assert judged[0].forecast_finish == max(j.forecast_finish for j in judged[1:3])
        assert judged[0].forecast_note is None

    def test_grandparents_roll_up_through_parents(self):
        facts = [
            measure("G", children=("P", "Q")),
            measure("P", children=("A",)),
            measure("Q", reports={"2025-06-01": 10}),
            measure("A", reports={"2025-06-01": 50}),
        ]
        g, p, _, _ = judge_measures(facts, D("2025-06-30"))
        assert p.progress == 50.0
        assert g.progress == 30.0

    def test_stale_when_every_child_is_silent(self):
        kids = [measure("A", reports={"2025-02-01": 10}), measure("B", reports={"2025-03-01": 20})]
        j = judge_measure(measure("P", children=("A", "B")), D("2025-06-30"), descendants=kids)
        assert j.last_report_on == D("2025-03-01")
        assert j.stale and j.days_since_report == 121

    def test_missing_child_is_an_error(self):
        with pytest.raises(ValueError, match="not in the batch"):
            judge_measure(measure("P", children=("A",)), D("2025-06-30"))

    def test_cycle_is_an_error(self):
        facts = [measure("P", children=("Q",)), measure("Q", children=("P",))]
        with pytest.raises(ValueError, match="own ancestor"):
            judge_measures(facts, D("2025-06-30"))

    def test_duplicate_key_is_an_error(self):
        with pytest.raises(ValueError, match="twice"):
            judge_measures([measure("A"), measure("A")], D("2025-06-30"))


class TestValidation:
    @pytest.mark.parametrize("value", [-0.1, 100.5, float("nan")])
    def test_progress_outside_0_100(self, value):
        with pytest.raises(ValueError):
            ProgressPoint(date(2025, 1, 1), value)

    def test_start_after_due(self):
        with pytest.raises(ValueError, match="after due"):
            measure(start="2025-06-01", due="2025-05-01")

    @pytest.mark.parametrize("weight", [-1.0, float("inf"), float("nan")])
    def test_weight_must_be_non_negative_and_finite(self, weight):
        with pytest.raises(ValueError, match="weight"):
            measure(weight=weight)

    @pytest.mark.parametrize("on", ["2025-01-01", "2025-12-31", "2026-02-01"])
    def test_milestones_strictly_inside(self, on):
        with pytest.raises(ValueError, match="strictly between"):
            measure(trajectory={on: 50})

    def test_milestones_on_distinct_dates(self):
        point = TrajectoryPoint(D("2025-05-01"), 30)
        with pytest.raises(ValueError, match="one date"):
            MeasureFacts("M", D("2025-01-01"), D("2025-12-31"), None, (), (point, point))

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"tolerance_pp": -1},
            {"reporting_interval_days": 0},
            {"forecast_min_points": 1},
            {"forecast_window": 1},
            {"deadline_near_days": -1},
        ],
    )
    def test_settings(self, kwargs):
        with pytest.raises(ValueError):
            PlanSettings(**kwargs)

    def test_lists_are_stored_as_tuples(self):
        facts = MeasureFacts("M", None, D("2025-12-31"), None, [ProgressPoint(D("2025-01-01"), 1)])
        assert isinstance(facts.history, tuple)
        hash(facts)

    def test_empty_batch(self):
        assert judge_measures([], D("2025-06-30")) == []


def test_a_report_without_a_figure_keeps_a_measure_from_going_stale():
    from dataclasses import replace

    from baqylau.judging import judge_measure

    silent = measure(start="2025-01-01", due="2026-12-31")
    narrated = replace(silent, last_report_on=D("2025-06-01"))
    as_of = D("2025-07-01")
    assert judge_measure(silent, as_of).stale
    judged = judge_measure(narrated, as_of)
    assert not judged.stale and judged.last_report_on == D("2025-06-01") and judged.progress is None
    # A narrative dated after as_of is not known yet.
    assert judge_measure(replace(silent, last_report_on=D("2025-08-01")), as_of).stale
