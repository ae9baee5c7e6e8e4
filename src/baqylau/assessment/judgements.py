"""Judging "as of" a date other than today: computed from the database, never stored.

Today's judgements are kept in the store (``store.py``, read through ``reading.py``); these functions
judge for any date with the same engine and the same set-based facts, for a whole plan or only for
the trees some measures sit in.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import get_language

from baqylau.judging import (
    InstructionJudgement,
    MeasureJudgement,
    explain,
    judge_instructions,
)
from baqylau.judging.measure_reasons import measure_reasons
from baqylau.judging.measures import own_figures
from baqylau.plans.models import Plan

from .facts import instruction_facts, measure_facts, plan_settings, subtree_ids


@dataclass(frozen=True)
class PlanJudgement:
    """A plan judged as of a date: verdicts by code, and the ids the codes stand for."""

    plan: Plan
    as_of: dt.date
    measures: dict[str, MeasureJudgement]
    instructions: dict[str, InstructionJudgement]
    measure_ids: dict[str, int]
    instruction_ids: dict[str, int]
    leaf_codes: frozenset[str]

    def leaves(self) -> list[MeasureJudgement]:
        """Measures without children: each piece of work once (a parent only aggregates its children)."""
        return [j for code, j in self.measures.items() if code in self.leaf_codes]

    def measure_by_id(self) -> dict[int, MeasureJudgement]:
        return {self.measure_ids[code]: j for code, j in self.measures.items()}

    def instruction_by_id(self) -> dict[int, InstructionJudgement]:
        return {self.instruction_ids[code]: j for code, j in self.instructions.items()}


def _judged(plan: Plan, as_of: dt.date, facts, keys, whole_plan: bool) -> list[MeasureJudgement]:
    """The judgements of ``facts`` (``pipeline.judge``); a whole plan's facts also teach the likelihood."""
    from . import pipeline

    settings = plan_settings(plan)
    own = own_figures(facts, as_of, settings)
    return pipeline.judge(plan, as_of, own, keys.id_by_code, settings, facts=facts if whole_plan else None)[1]


def judge_plan(plan: Plan, as_of: dt.date) -> PlanJudgement:
    settings = plan_settings(plan)
    m_facts, keys = measure_facts(plan, as_of)
    i_facts, instruction_ids, _pending = instruction_facts(plan, as_of)
    parents = {p for p in keys.parent_by_code.values() if p}
    return PlanJudgement(
        plan=plan,
        as_of=as_of,
        measures={j.key: j for j in _judged(plan, as_of, m_facts, keys, whole_plan=True)},
        instructions={j.key: j for j in judge_instructions(i_facts, as_of, settings)},
        measure_ids=keys.id_by_code,
        instruction_ids=instruction_ids,
        leaf_codes=frozenset(code for code in keys.id_by_code if code not in parents),
    )


def judge_measure_trees(plan: Plan, as_of: dt.date, measure_ids) -> dict[int, MeasureJudgement]:
    """The given measures judged as of a date, with only their own trees read (one measure's page)."""
    facts, keys = measure_facts(plan, as_of, subtree_ids(plan, measure_ids) | set(measure_ids))
    return {keys.id_by_code[j.key]: j for j in _judged(plan, as_of, facts, keys, whole_plan=False)}


def judge_instructions_of(plan: Plan, as_of: dt.date, instruction_ids) -> dict[int, InstructionJudgement]:
    facts, ids, _pending = instruction_facts(plan, as_of, instruction_ids)
    return {ids[j.key]: j for j in judge_instructions(facts, as_of, plan_settings(plan))}


def explanation(judgement, language: str | None = None) -> str:
    """The judgement in one sentence in ``language`` (the active one by default); a likelihood names
    its reference class's sphere and agency in that language."""
    likely = getattr(judgement, "likelihood", None)
    reasons = None
    if likely is not None and likely.basis.sphere_name is None:
        from .likelihood import names

        # The names go into the reasons, not into a copy of the judgement (a list explains many).
        reasons = measure_reasons(judgement, names())
    return explain(judgement, (language or get_language() or "en").split("-")[0], reasons)
