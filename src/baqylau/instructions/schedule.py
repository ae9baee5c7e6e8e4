"""Recurring control points: an instruction reported on weekly, monthly or quarterly until executed.

Plain rules, computed when read (never stored), so an extension or an execution moves them at once:
the points fall every period from the issue date up to the current due date (the due date itself is
the last); each is met by a report on the instruction submitted in its period (after the previous
point, by the point). The instruction page and the API show them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MONTHS = {"month": 1, "quarter": 3}


@dataclass(frozen=True)
class ControlPoint:
    due: dt.date
    reported_on: dt.date | None  # the first report submitted in the point's period
    passed: bool  # the point is on or before the as-of date

    @property
    def missed(self) -> bool:
        return self.passed and self.reported_on is None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def point_dates(issued_on: dt.date, due: dt.date, every: str) -> list[dt.date]:
    """The control points of an instruction reported ``every`` week / month / quarter ("" : none)."""
    if not every:
        return []
    points, k = [], 1
    while True:
        if every == "week":
            day = issued_on + dt.timedelta(weeks=k)
        else:
            day = _add_months(issued_on, MONTHS[every] * k)
        if day >= due:
            break
        points.append(day)
        k += 1
    return [*points, due]


def control_points(
    issued_on: dt.date, due: dt.date, every: str, submitted: list[dt.date], as_of: dt.date, closed_on=None
) -> list[ControlPoint]:
    """The points up to the closing of the instruction, each with the report that met it."""
    out, previous = [], issued_on
    for point in point_dates(issued_on, due, every):
        if closed_on is not None and point > closed_on:
            break
        within = sorted(d for d in submitted if previous < d <= point)
        out.append(ControlPoint(point, within[0] if within else None, point <= as_of))
        previous = point
    return out
