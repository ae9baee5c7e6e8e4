"""Outcome goals: done by their outcome (a model's or an indicator's verdict), not by their children."""

from __future__ import annotations

from baqylau.judging import explain
from baqylau.judging.facts import OutcomeFact
from baqylau.judging.measures import judge_own, own_figures

from .factories import D, measure

AS_OF = D("2026-12-01")
SHORT = OutcomeFact(
    "water_provision",
    None,
    {"zone": "TUP", "zone_name": "Tupkaragan", "month": "2027-07", "shortfall": 20.4, "provision": 99.7,
     "short_months": 3, "through": D("2027-12-31")},
)  # fmt: skip


def judge(facts, outcomes, as_of=AS_OF):
    own = own_figures(facts, as_of).with_outcomes(outcomes)
    return {j.key: j for j in judge_own(own, as_of)}


def goal_and_children(child_reports=100):
    return [
        measure("GOAL", start="2024-01-01", due="2027-12-31", children=("A", "B")),
        measure("A", start="2024-01-01", due="2025-12-31", reports={"2025-10-01": child_reports}),
        measure("B", start="2024-01-01", due="2025-12-31", completed_on="2025-06-01"),
    ]


def test_a_goal_whose_children_are_done_is_not_done_while_its_outcome_falls_short():
    judged = judge(goal_and_children(), {"GOAL": SHORT})
    goal = judged["GOAL"]
    assert judged["A"].status == "done" and judged["B"].status == "done"
    assert goal.status == "at_risk" and goal.finished_on is None
    assert goal.progress == 100  # the children still roll up progress
    text = explain(goal, "en")
    assert "Tupkaragan" in text and "2027-07" in text and "20.4 m³/day" in text
    assert "Тупкараган" not in explain(goal, "ru") and "в 2027-07" in explain(goal, "ru")


def test_a_goal_is_done_on_the_day_its_outcome_is_met():
    met = OutcomeFact("water_provision", D("2026-01-01"), {"through": D("2027-12-31")})
    goal = judge(goal_and_children(child_reports=40), {"GOAL": met})["GOAL"]
    assert goal.status == "done" and goal.finished_on == D("2026-01-01")
    assert goal.slip_days < 0
    assert "from 2026-01-01 through 2027-12-31" in explain(goal, "en")


def test_past_its_due_date_an_unmet_outcome_is_late():
    goal = judge(goal_and_children(), {"GOAL": SHORT}, as_of=D("2028-03-01"))["GOAL"]
    assert goal.status == "late" and goal.confidence == "red"


def test_a_measure_with_an_indicator_outcome_is_not_done_by_a_100_percent_report():
    facts = [measure("M", start="2024-01-01", due="2027-12-31", reports={"2026-06-01": 100})]
    unknown = OutcomeFact("indicator", None, {"indicator": "Wear", "actual": None, "target": 75, "unit": "%"})
    m = judge(facts, {"M": unknown})["M"]
    assert m.status == "at_risk"
    assert "no actual reported yet; the target is 75 %" in explain(m, "en")
    reached = OutcomeFact("indicator", D("2026-10-31"), {"indicator": "Wear", "target": 75, "unit": "%"})
    assert judge(facts, {"M": reached})["M"].status == "done"


def test_without_declared_outcomes_nothing_changes():
    plain = judge(goal_and_children(), {})
    assert plain["GOAL"].status == "done" and plain["GOAL"].outcome is None
