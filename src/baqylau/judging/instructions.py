"""Judging instructions as of a date.

Rules, in order of precedence:
- not_issued - as_of is before the issue date (the instruction did not exist yet)
- executed / withdrawn - accepted execution or withdrawal on or before as_of; if both happened,
  the earlier wins (on the same day, executed). A parent (an instruction delegated down as
  sub-instructions) is executed only once every sub-instruction is executed or withdrawn, on the
  last of those days (``roll_up_delegation``)
- overdue - as_of is after the deadline
- at_risk - the deadline is at most deadline_near_days away (the due date itself included)
- open - otherwise
Instructions are few compared with measures, so plain per-item Python is fast enough here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from .facts import InstructionFacts
from .reasons import Reason
from .settings import DEFAULT_SETTINGS, PlanSettings
from .statuses import InstructionStatus


@dataclass(frozen=True, slots=True)
class InstructionJudgement:
    kind: ClassVar[str] = "instruction"

    key: str
    as_of: date
    status: InstructionStatus
    issued_on: date
    due: date
    days_to_due: int  # due - as_of; negative once the deadline has passed
    executed_on: date | None  # accepted execution known at as_of
    withdrawn_on: date | None  # withdrawal known at as_of
    last_report_on: date | None
    days_since_report: int | None
    settings: PlanSettings
    original_due: date | None = None  # the deadline first ordered (None: the due)
    extensions: int = 0
    open_children: int = 0

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return instruction_reasons(self)


def judge_instruction(
    facts: InstructionFacts, as_of: date, settings: PlanSettings = DEFAULT_SETTINGS
) -> InstructionJudgement:
    executed = _known(facts.executed_on, as_of)
    withdrawn = _known(facts.withdrawn_on, as_of)
    report = _known(facts.last_accepted_report_on, as_of)
    days_to_due = (facts.due - as_of).days
    if as_of < facts.issued_on:
        status = InstructionStatus.NOT_ISSUED
    elif executed is not None and (withdrawn is None or executed <= withdrawn):
        status = InstructionStatus.EXECUTED
    elif withdrawn is not None:
        status = InstructionStatus.WITHDRAWN
    elif days_to_due < 0:
        status = InstructionStatus.OVERDUE
    elif days_to_due <= settings.deadline_near_days:
        status = InstructionStatus.AT_RISK
    else:
        status = InstructionStatus.OPEN
    return InstructionJudgement(
        key=facts.key,
        as_of=as_of,
        status=status,
        issued_on=facts.issued_on,
        due=facts.due,
        days_to_due=days_to_due,
        executed_on=executed,
        withdrawn_on=withdrawn,
        last_report_on=report,
        days_since_report=None if report is None else (as_of - report).days,
        settings=settings,
        original_due=facts.original_due,
        extensions=facts.extensions,
        open_children=facts.open_children,
    )


def roll_up_delegation(
    facts: Iterable[InstructionFacts], parent_of: Mapping[str, str | None], as_of: date
) -> list[InstructionFacts]:
    """The facts with each parent's execution held back until all its sub-instructions are done.

    ``parent_of`` maps a key to its parent's key (a tree, every node present in ``facts``). A node is
    done as of ``as_of`` when executed or withdrawn by then; a parent's execution counts from the last
    day among its own and its children's. Otherwise its execution is not known yet and ``open_children``
    says how many sub-instructions stand in the way.
    """
    by_key = {f.key: f for f in facts}
    children: dict[str, list[str]] = {}
    for key, parent in parent_of.items():
        if parent is not None and parent in by_key and key in by_key:
            children.setdefault(parent, []).append(key)
    resolved: dict[str, InstructionFacts] = {}

    def done_on(key: str) -> date | None:
        f = resolve(key)
        days = [d for d in (_known(f.executed_on, as_of), _known(f.withdrawn_on, as_of)) if d is not None]
        return min(days) if days else None

    def resolve(key: str) -> InstructionFacts:
        if key in resolved:
            return resolved[key]
        f = by_key[key]
        kids = children.get(key, ())
        if kids:
            days = [done_on(k) for k in kids]
            waiting = sum(d is None for d in days)
            executed = _known(f.executed_on, as_of)
            if waiting:
                f = replace(f, executed_on=None, open_children=waiting)
            elif executed is not None:
                f = replace(f, executed_on=max([executed, *days]), open_children=0)
        resolved[key] = f
        return f

    return [resolve(f.key) for f in by_key.values()]


def judge_instructions(
    facts: Iterable[InstructionFacts], as_of: date, settings: PlanSettings = DEFAULT_SETTINGS
) -> list[InstructionJudgement]:
    return [judge_instruction(f, as_of, settings) for f in facts]


def _known(day: date | None, as_of: date) -> date | None:
    """A dated event counts only once it has happened (history after as_of is ignored)."""
    return day if day is not None and day <= as_of else None


def instruction_reasons(j: InstructionJudgement) -> tuple[Reason, ...]:
    status = j.status
    if status == InstructionStatus.NOT_ISSUED:
        return (Reason("not_issued", {"issued_on": j.issued_on}),)
    extended = _extended(j)
    if status == InstructionStatus.EXECUTED:
        late_by = (j.executed_on - j.due).days
        beyond_original = (j.executed_on - (j.original_due or j.due)).days
        if late_by > 0:
            return (Reason("executed_late", {"executed_on": j.executed_on, "days": late_by}), *extended)
        if beyond_original > 0:  # on time only because the deadline was extended
            params = {"executed_on": j.executed_on, "days": beyond_original}
            return (Reason("executed_after_extension", params), *extended)
        return (Reason("executed", {"executed_on": j.executed_on}),)
    if status == InstructionStatus.WITHDRAWN:
        return (Reason("withdrawn", {"withdrawn_on": j.withdrawn_on}),)
    if status == InstructionStatus.OVERDUE:
        deadline = Reason("instruction_overdue", {"due": j.due, "days": -j.days_to_due})
    elif status == InstructionStatus.AT_RISK and j.days_to_due == 0:
        deadline = Reason("due_today", {"due": j.due})
    elif status == InstructionStatus.AT_RISK:
        params = {"due": j.due, "days": j.days_to_due, "near": j.settings.deadline_near_days}
        deadline = Reason("due_soon", params)
    else:
        deadline = Reason("due_in", {"due": j.due, "days": j.days_to_due})
    children = (Reason("children_open", {"count": j.open_children}),) if j.open_children else ()
    if j.last_report_on is None:
        return (deadline, *extended, *children, Reason("no_report_yet"))
    report = Reason("last_report", {"last_report_on": j.last_report_on, "days": j.days_since_report})
    return (deadline, *extended, *children, report)


def _extended(j: InstructionJudgement) -> tuple[Reason, ...]:
    """How far the deadline moved from the one first ordered, when it did."""
    if not j.extensions or j.original_due is None or j.original_due == j.due:
        return ()
    return (Reason("extended", {"original_due": j.original_due, "times": j.extensions}),)
