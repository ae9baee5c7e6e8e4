"""Recurring control points: generated on the schedule, met by a report in their period."""

import datetime as dt

from baqylau.instructions.schedule import control_points, point_dates

D = dt.date


def test_monthly_points_run_to_the_due_date_and_keep_the_day_of_issue():
    assert point_dates(D(2025, 1, 31), D(2025, 5, 15), "month") == [
        D(2025, 2, 28), D(2025, 3, 31), D(2025, 4, 30), D(2025, 5, 15),
    ]  # fmt: skip
    assert point_dates(D(2025, 1, 1), D(2025, 1, 20), "week") == [
        D(2025, 1, 8), D(2025, 1, 15), D(2025, 1, 20),
    ]  # fmt: skip
    assert point_dates(D(2025, 1, 1), D(2025, 12, 31), "quarter")[0] == D(2025, 4, 1)
    assert point_dates(D(2025, 1, 1), D(2025, 12, 31), "") == []


def test_a_point_is_met_by_a_report_in_its_period_and_missed_without_one():
    points = control_points(
        D(2025, 1, 1), D(2025, 4, 15), "month", [D(2025, 1, 20), D(2025, 3, 5)], as_of=D(2025, 3, 10)
    )
    assert [(p.due, p.reported_on, p.missed) for p in points] == [
        (D(2025, 2, 1), D(2025, 1, 20), False),
        (D(2025, 3, 1), None, True),  # the March report came after the point
        (D(2025, 4, 1), D(2025, 3, 5), False),
        (D(2025, 4, 15), None, False),  # not yet passed
    ]


def test_an_executed_instruction_has_no_later_points():
    points = control_points(
        D(2025, 1, 1), D(2025, 6, 1), "month", [], as_of=D(2025, 6, 1), closed_on=D(2025, 2, 10)
    )
    assert [p.due for p in points] == [D(2025, 2, 1)]
