"""Execution discipline by agency, as the briefing shows it: the rows of the instructions' own
discipline statistics (``instructions.discipline``, measured against the original deadline), in the
briefing's columns. Nothing is counted here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from baqylau.assessment.reading import PlanReader
from baqylau.core.numbers import percent
from baqylau.instructions import discipline


@dataclass
class AgencyDiscipline:
    agency: str  # the agency's name in the active language
    code: str
    due_in_period: int  # instructions whose original due date falls in the period
    on_time: int  # executed by the original due date
    after_extension: int  # executed after the original due but by the extended one
    late: int  # executed after the due date in force
    overdue_now: int  # open and past the due date on the as-of date
    coefficient: float | None  # executed on time / due in the period (the discipline coefficient)

    @property
    def on_time_text(self) -> str:
        return percent(None if self.coefficient is None else 100.0 * self.coefficient)


def discipline_by_agency(
    reader: PlanReader, period_start: dt.date | None = None, queryset=None
) -> list[AgencyDiscipline]:
    """Per responsible agency, over the plan's instructions (``queryset``: a user's scope) due from
    ``period_start`` (None: the plan's start) to the reader's date; worst first, as a briefing reads it."""
    table = discipline.by_agency(reader.plan, period_start, reader.as_of, reader.as_of, queryset)
    rows = [
        AgencyDiscipline(
            r.label, r.key, r.due, r.on_time, r.after_extension, r.late, r.overdue, r.coefficient
        )
        for r in table.rows
    ]
    return sorted(rows, key=lambda r: (-r.overdue_now, -r.late, r.code))
