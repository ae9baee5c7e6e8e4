"""Execution discipline by agency, as the briefing shows it.

A stand-in until the instructions' own discipline module (issue 13) is merged: the briefing calls only
``discipline_by_agency``, so swapping the source is one import. It reads today's model (Instruction,
its executors, the DeadlineChange history: the original due is the due before the first change) and
the instructions' judgements as of the date from ``PlanReader`` (never judged again here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from baqylau.assessment.reading import PlanReader
from baqylau.instructions.models import DeadlineChange, Instruction


@dataclass
class AgencyDiscipline:
    agency: str  # the agency's name in the active language
    code: str
    due_in_period: int  # instructions whose (current) due date falls in the period
    on_time: int  # executed by the original due date
    after_extension: int  # executed after the original due but by the extended one
    late: int  # executed after the due date in force
    overdue_now: int  # open and past the due date on the as-of date

    @property
    def executed(self) -> int:
        return self.on_time + self.after_extension + self.late

    @property
    def on_time_share(self) -> float | None:
        """Share of executed instructions executed by their original due date, 0..100."""
        return None if not self.executed else 100.0 * self.on_time / self.executed

    @property
    def on_time_text(self) -> str:
        from baqylau.web.templatetags.baqylau import percent

        return percent(self.on_time_share)


def discipline_by_agency(reader: PlanReader, period_start: dt.date, queryset=None) -> list[AgencyDiscipline]:
    """Per executing agency, over the plan's instructions (``queryset``: a user's scope) as of the
    reader's date: what fell due in (period_start, as_of], and how every instruction due so far was kept."""
    as_of = reader.as_of
    instructions = queryset if queryset is not None else Instruction.objects.filter(plan=reader.plan)
    instructions = instructions.prefetch_related(
        "executors",
        Prefetch("deadline_changes", DeadlineChange.objects.order_by("changed_on", "pk")),
    )
    rows: dict[int, AgencyDiscipline] = {}
    for row in reader.instruction_rows(instructions):
        instruction, judgement = row["instruction"], row["judgement"]
        changes = [c for c in instruction.deadline_changes.all() if c.changed_on <= as_of]
        original = changes[0].old_due if changes else judgement.due
        due = judgement.due
        executed = judgement.executed_on
        for agency in instruction.executors.all():
            counts = rows.get(agency.pk)
            if counts is None:
                counts = rows[agency.pk] = AgencyDiscipline(agency.label, agency.code, 0, 0, 0, 0, 0)
            if period_start < due <= as_of:
                counts.due_in_period += 1
            if executed is not None:
                if executed <= original:
                    counts.on_time += 1
                elif executed <= due:
                    counts.after_extension += 1
                else:
                    counts.late += 1
            elif judgement.status.value == "overdue":
                counts.overdue_now += 1
    return sorted(rows.values(), key=lambda r: (-r.overdue_now, -r.late, r.code))
