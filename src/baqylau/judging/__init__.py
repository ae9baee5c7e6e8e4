"""Judging status of measures and instructions "as of" a date: plain Python, no Django.

    from baqylau.judging import judge_measures, explain, rollup
    judgements = judge_measures(facts, date(2025, 6, 30), PlanSettings(tolerance_pp=15))
    explain(judgements[0], "ru")

See docs/judging.md for the rules, thresholds and methods.
"""

from .confidence import Confidence, rate_confidence
from .explain import LANGUAGES, explain, render_reason
from .facts import InstructionFacts, MeasureFacts, ProgressPoint, TrajectoryPoint
from .instructions import InstructionJudgement, judge_instruction, judge_instructions, roll_up_delegation
from .measures import MeasureJudgement, judge_measure, judge_measures
from .reasons import Reason
from .rollup import GroupSummary, GroupTotals, group_totals, rollup, summarise, totals
from .settings import DEFAULT_SETTINGS, PlanSettings
from .statuses import ForecastNote, InstructionStatus, MeasureStatus, ProgressSource

__all__ = [
    "DEFAULT_SETTINGS",
    "LANGUAGES",
    "Confidence",
    "ForecastNote",
    "GroupSummary",
    "GroupTotals",
    "InstructionFacts",
    "InstructionJudgement",
    "InstructionStatus",
    "MeasureFacts",
    "MeasureJudgement",
    "MeasureStatus",
    "PlanSettings",
    "ProgressPoint",
    "ProgressSource",
    "Reason",
    "TrajectoryPoint",
    "explain",
    "group_totals",
    "judge_instruction",
    "judge_instructions",
    "judge_measure",
    "judge_measures",
    "rate_confidence",
    "render_reason",
    "roll_up_delegation",
    "rollup",
    "summarise",
    "totals",
]
