"""Instruction status rules at their edges."""

from __future__ import annotations

import pytest

from baqylau.judging import InstructionStatus, PlanSettings, explain, judge_instruction, judge_instructions

from .factories import D, instruction

# issued 2025-06-01, due 2025-06-30; deadline_near_days defaults to 7.


@pytest.mark.parametrize(
    ("as_of", "status", "days_to_due"),
    [
        ("2025-06-01", InstructionStatus.OPEN, 29),
        ("2025-06-22", InstructionStatus.OPEN, 8),
        ("2025-06-23", InstructionStatus.AT_RISK, 7),  # exactly deadline_near_days away
        ("2025-06-30", InstructionStatus.AT_RISK, 0),  # due today: not yet overdue
        ("2025-07-01", InstructionStatus.OVERDUE, -1),
    ],
)
def test_deadline_edges(as_of, status, days_to_due):
    j = judge_instruction(instruction(), D(as_of))
    assert j.status == status
    assert j.days_to_due == days_to_due


def test_due_today_says_so():
    j = judge_instruction(instruction(), D("2025-06-30"))
    assert [r.code for r in j.reasons] == ["due_today", "no_report_yet"]


def test_warning_window_is_a_plan_setting():
    j = judge_instruction(instruction(), D("2025-06-23"), PlanSettings(deadline_near_days=3))
    assert j.status == InstructionStatus.OPEN
    j = judge_instruction(instruction(), D("2025-06-30"), PlanSettings(deadline_near_days=0))
    assert j.status == InstructionStatus.AT_RISK


def test_executed_on_time_and_late():
    on_time = judge_instruction(instruction(executed_on="2025-06-20"), D("2025-07-15"))
    assert on_time.status == InstructionStatus.EXECUTED
    assert [r.code for r in on_time.reasons] == ["executed"]
    late = judge_instruction(instruction(executed_on="2025-07-05"), D("2025-07-15"))
    assert late.status == InstructionStatus.EXECUTED
    assert late.reasons[0].params["days"] == 5


def test_execution_after_as_of_is_not_known_yet():
    j = judge_instruction(instruction(executed_on="2025-07-05"), D("2025-07-02"))
    assert j.status == InstructionStatus.OVERDUE
    assert j.executed_on is None


def test_withdrawn():
    j = judge_instruction(instruction(withdrawn_on="2025-06-10"), D("2025-07-15"))
    assert j.status == InstructionStatus.WITHDRAWN
    assert judge_instruction(instruction(withdrawn_on="2025-06-10"), D("2025-06-09")).status == (
        InstructionStatus.OPEN
    )


def test_executed_and_withdrawn_the_earlier_wins():
    first_executed = instruction(executed_on="2025-06-10", withdrawn_on="2025-06-20")
    assert judge_instruction(first_executed, D("2025-07-01")).status == InstructionStatus.EXECUTED
    first_withdrawn = instruction(executed_on="2025-06-20", withdrawn_on="2025-06-10")
    assert judge_instruction(first_withdrawn, D("2025-07-01")).status == InstructionStatus.WITHDRAWN
    same_day = instruction(executed_on="2025-06-10", withdrawn_on="2025-06-10")
    assert judge_instruction(same_day, D("2025-07-01")).status == InstructionStatus.EXECUTED


def test_before_issue():
    j = judge_instruction(instruction(), D("2025-05-31"))
    assert j.status == InstructionStatus.NOT_ISSUED
    assert "2025-06-01" in explain(j)


def test_last_report():
    j = judge_instruction(instruction(last_report="2025-06-15"), D("2025-06-20"))
    assert j.days_since_report == 5
    assert "last accepted report on 2025-06-15, 5 days ago" in explain(j)
    later = judge_instruction(instruction(last_report="2025-06-25"), D("2025-06-20"))
    assert later.last_report_on is None


def test_batch_equals_single():
    facts = [instruction(f"I{i}", due=f"2025-06-{10 + i}") for i in range(10)]
    as_of = D("2025-06-15")
    assert judge_instructions(facts, as_of) == [judge_instruction(f, as_of) for f in facts]


def test_validation():
    with pytest.raises(ValueError, match="before issue"):
        instruction(issued_on="2025-06-10", due="2025-06-01")
    with pytest.raises(ValueError, match="before issue"):
        instruction(executed_on="2025-05-01")
