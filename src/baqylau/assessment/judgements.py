"""The plan judged as of a date: every measure and instruction, and roll-ups by sphere, territory, agency."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language

from baqylau.instructions.models import Instruction
from baqylau.judging import (
    GroupSummary,
    InstructionJudgement,
    MeasureJudgement,
    explain,
    judge_instructions,
    judge_measures,
    rollup,
    summarise,
)
from baqylau.plans.models import Measure, Plan

from .facts import instruction_facts, measure_facts, plan_settings

GROUPINGS = ("plan", "sphere", "territory", "agency")


@dataclass(frozen=True)
class PlanJudgement:
    plan: Plan
    as_of: dt.date
    measures: dict[str, MeasureJudgement]
    instructions: dict[str, InstructionJudgement]
    measure_objects: dict[str, Measure]
    instruction_objects: dict[str, Instruction]

    def leaves(self) -> list[MeasureJudgement]:
        """Measures without children: each piece of work once (a parent only aggregates its children)."""
        parents = {m.parent.code for m in self.measure_objects.values() if m.parent}
        return [j for code, j in self.measures.items() if code not in parents]


def judge_plan(plan: Plan, as_of: dt.date) -> PlanJudgement:
    settings = plan_settings(plan)
    m_facts, measures = measure_facts(plan, as_of)
    i_facts, instructions = instruction_facts(plan, as_of)
    return PlanJudgement(
        plan=plan,
        as_of=as_of,
        measures={j.key: j for j in judge_measures(m_facts, as_of, settings)},
        instructions={j.key: j for j in judge_instructions(i_facts, as_of, settings)},
        measure_objects=measures,
        instruction_objects=instructions,
    )


def explanation(judgement, language: str | None = None) -> str:
    return explain(judgement, (language or get_language() or "en").split("-")[0])


def group_keys(judged: PlanJudgement, by: str) -> dict[str, tuple[str, ...] | str]:
    """Each measure's group(s): one sphere; every territory it covers; its lead and co-executing agencies."""
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}, not {by!r}")
    keys = {}
    for code, m in judged.measure_objects.items():
        if by == "plan":
            keys[code] = judged.plan.code
        elif by == "sphere":
            keys[code] = m.sphere.code
        elif by == "territory":
            keys[code] = tuple(t.code for t in m.territories.all())
        else:
            keys[code] = (m.lead_agency.code, *(a.code for a in m.co_agencies.all()))
    return keys


def measure_rollup(judged: PlanJudgement, by: str) -> dict[str, GroupSummary]:
    return rollup(judged.leaves(), group_keys(judged, by))


def plan_summary(judged: PlanJudgement) -> GroupSummary:
    return summarise(judged.leaves())
