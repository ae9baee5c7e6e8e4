"""Judgements and own figures as the store's rows, and the rows back as the engine's judgements."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from baqylau.judging import (
    Confidence,
    ForecastNote,
    InstructionJudgement,
    InstructionStatus,
    MeasureJudgement,
    MeasureStatus,
    PlanSettings,
    ProgressSource,
    judge_instructions,
)
from baqylau.judging.facts import OutcomeFact
from baqylau.judging.history import NO_DAY
from baqylau.judging.likelihood import Basis, Likelihood
from baqylau.judging.measures import OwnFigures, own_figures
from baqylau.judging.trajectory import Knots
from baqylau.plans.models import Plan

from ..facts import instruction_facts, measure_facts, plan_settings
from ..models import INSTRUCTION_STATUS_RANK, MEASURE_STATUS_RANK, InstructionVerdict, MeasureVerdict

NEVER = 99_999_999  # "until" of figures that no known fact will change

VERDICT_COLUMNS = [
    "measure", "plan", "as_of", "status", "status_rank", "confidence", "confidence_score", "progress",
    "planned", "gap", "behind", "forecast_finish", "forecast_note", "slip_days", "finished_on",
    "last_report_on", "stale", "report_count", "forecast_points", "progress_source", "children_total",
    "children_known", "unknown_weight_share", "start", "due", "weight", "is_leaf", "outcome", "likelihood",
    "finish_low", "finish_high", "likelihood_basis",
]  # fmt: skip
DIGEST_COLUMNS = [
    "measure", "plan", "parent_measure", "start", "due", "weight", "completed", "has_report", "last_report",
    "progress", "report_count", "completion_day", "forecast_finish", "forecast_note", "forecast_points",
    "left_day", "left_planned", "right_day", "right_planned", "until", "groups",
]  # fmt: skip
INSTRUCTION_COLUMNS = [
    "instruction", "plan", "as_of", "status", "status_rank", "issued_on", "due", "executed_on",
    "withdrawn_on", "last_report_on", "original_due", "extensions", "open_children", "groups", "own_until",
]  # fmt: skip


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _nan_none(values: np.ndarray) -> list:
    return [None if v != v else v for v in values.tolist()]


@dataclass
class Batch:
    """Measures judged together: their ids, the engine's own figures and judgements, and when each
    one's own figures may stop holding (``until``, an ordinal)."""

    ids: list[int]
    parents: list[int | None]
    own: OwnFigures
    judged: list[MeasureJudgement]
    until: np.ndarray

    def leaves(self) -> list[bool]:
        parents = set(self.parents)
        return [pk not in parents for pk in self.ids]

    def verdict_rows(self, plan_id: int) -> list[tuple]:
        return [
            (
                pk,
                plan_id,
                j.as_of.isoformat(),
                j.status.value,
                MEASURE_STATUS_RANK[j.status.value],
                j.confidence.value,
                j.confidence.severity,
                j.progress,
                j.planned,
                j.gap,
                j.behind,
                _day(j.forecast_finish),
                j.forecast_note.value if j.forecast_note else "",
                j.slip_days,
                _day(j.finished_on),
                _day(j.last_report_on),
                j.stale,
                j.report_count,
                j.forecast_points,
                j.progress_source.value,
                j.children_total,
                j.children_known,
                j.unknown_weight_share,
                _day(j.start),
                j.due.isoformat(),
                j.weight,
                is_leaf,
                outcome_text(j.outcome),
                *likelihood_columns(j.likelihood),
            )
            for pk, j, is_leaf in zip(self.ids, self.judged, self.leaves(), strict=True)
        ]

    def digest_rows(self, plan_id: int, day: int, groups_text: dict[int, str], positions=None) -> list[tuple]:
        """Own-figure rows (of the measures at ``positions``, default all) with their groups as JSON text."""
        own = self.own
        left_day, left_planned, right_day, right_planned = segment(own.knots, day)
        values = [
            own.start, own.due, own.weight, own.completed, own.has_own, own.last_report, own.own_progress,
            own.report_count, own.completion_day, own.forecast.finish, own.forecast.note, own.forecast.points,
        ]  # fmt: skip
        columns = list(
            zip(
                self.ids,
                self.parents,
                *(_nan_none(v) if v.dtype.kind == "f" else v.tolist() for v in values),
                left_day,
                left_planned,
                right_day,
                right_planned,
                self.until.tolist(),
                strict=True,
            )
        )
        picked = columns if positions is None else [columns[i] for i in positions]
        return [(pk, plan_id, parent, *figures, groups_text[pk]) for pk, parent, *figures in picked]


def outcome_text(outcome: OutcomeFact | None) -> str | None:
    """A declared outcome as JSON for the verdict row (dates as ISO text), None when there is none."""
    if outcome is None:
        return None
    detail = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in outcome.detail.items()}
    return json.dumps({"kind": outcome.kind, "met_on": _day(outcome.met_on), "detail": detail})


_BASIS_TEXT: dict[tuple, str] = {}  # a plan's thousands of measures share a few hundred bases


def likelihood_columns(likely: Likelihood | None) -> tuple:
    """(probability, finish low, finish high, basis JSON) for the verdict row; Nones when there is none."""
    if likely is None:
        return (None, None, None, None)
    b = likely.basis
    basis = (b.level, b.sphere, b.agency, b.quarter, b.stood, b.n, b.on_time, b.outlook)
    text = _BASIS_TEXT.get(basis)
    if text is None:
        if len(_BASIS_TEXT) > 100_000:
            _BASIS_TEXT.clear()
        text = _BASIS_TEXT[basis] = json.dumps(list(basis))
    return (likely.probability, likely.finish_low.isoformat(), likely.finish_high.isoformat(), text)


def likelihood_of(verdict: MeasureVerdict) -> Likelihood | None:
    if verdict.likelihood is None:
        return None
    basis = Basis(*verdict.likelihood_basis)
    return Likelihood(verdict.likelihood, verdict.finish_low, verdict.finish_high, basis)


def outcome_of(stored: dict | None) -> OutcomeFact | None:
    if not stored:
        return None
    met_on = stored.get("met_on")
    return OutcomeFact(stored["kind"], dt.date.fromisoformat(met_on) if met_on else None, stored["detail"])


def segment(knots: Knots, day: int) -> tuple[list, list, list, list]:
    """The planned curve's milestones next to ``day`` per measure: (left day, planned, right day, planned)."""
    near = knots.around(day)
    n = near.count.size
    owner = np.repeat(np.arange(n), near.count)
    left = np.full(n, NO_DAY)
    right = np.full(n, NO_DAY)
    left_planned = np.full(n, np.nan)
    right_planned = np.full(n, np.nan)
    is_left = near.day <= day
    left[owner[is_left]] = near.day[is_left]
    left_planned[owner[is_left]] = near.planned[is_left]
    right[owner[~is_left]] = near.day[~is_left]
    right_planned[owner[~is_left]] = near.planned[~is_left]
    return left.tolist(), _nan_none(left_planned), right.tolist(), _nan_none(right_planned)


def _until(own: OwnFigures, pending: dict[str, dt.date], day: int) -> np.ndarray:
    """Per measure: the next day a known fact starts to count, or the curve's next milestone is reached."""
    until = np.array([pending[k].toordinal() if k in pending else NEVER for k in own.keys], dtype=np.int64)
    right = np.asarray(segment(own.knots, day)[2], dtype=np.int64)
    return np.where(right != NO_DAY, np.minimum(until, right), until)


def own_from_facts(plan: Plan, as_of: dt.date, ids: Collection[int] | None) -> Batch:
    """The measures' own figures from their facts (not judged: ``ids`` need not be whole trees)."""
    facts, keys = measure_facts(plan, as_of, ids)
    own = own_figures(facts, as_of, plan_settings(plan))
    id_of = keys.id_by_code
    return Batch(
        ids=[id_of[code] for code in own.keys],
        parents=[id_of.get(keys.parent_by_code[code]) for code in own.keys],
        own=own,
        judged=[],
        until=_until(own, keys.pending_by_code, as_of.toordinal()),
    )


def judge_from_facts(plan: Plan, as_of: dt.date, ids: Collection[int] | None, table=None) -> Batch:
    """Whole trees (or the whole plan) judged from their facts."""
    return judge_batch(plan, as_of, own_from_facts(plan, as_of, ids), table)


def judge_batch(plan: Plan, as_of: dt.date, batch: Batch, table=None) -> Batch:
    """The batch judged as of ``as_of`` (``pipeline.judge``), by the reference ``table`` given or kept."""
    from .. import pipeline

    codes = dict(zip(batch.own.keys, batch.ids, strict=True))
    batch.own, batch.judged = pipeline.judge(plan, as_of, batch.own, codes, plan_settings(plan), table=table)
    return batch


def groups_text(groups: dict[int, dict]) -> dict[int, str]:
    return {pk: json.dumps(g) for pk, g in groups.items()}


def instruction_rows(plan_id: int, judged, id_of, until_of, groups_text: dict[int, str]) -> list[tuple]:
    return [
        (
            id_of[j.key],
            plan_id,
            j.as_of.isoformat(),
            j.status.value,
            INSTRUCTION_STATUS_RANK[j.status.value],
            j.issued_on.isoformat(),
            j.due.isoformat(),
            _day(j.executed_on),
            _day(j.withdrawn_on),
            _day(j.last_report_on),
            _day(j.original_due),
            j.extensions,
            j.open_children,
            groups_text[id_of[j.key]],
            until_of.get(j.key, NEVER),
        )
        for j in judged
    ]


def judge_instructions_from_facts(plan: Plan, as_of: dt.date, ids):
    """Instructions judged from their facts, their ids by code, and when each one's facts change."""
    facts, id_of, pending = instruction_facts(plan, as_of, ids)
    judged = judge_instructions(facts, as_of, plan_settings(plan))
    return judged, id_of, {code: day.toordinal() for code, day in pending.items()}


def measure_judgement(verdict: MeasureVerdict, code: str, settings: PlanSettings) -> MeasureJudgement:
    """The stored row as the engine's judgement, so explanations and reasons work unchanged."""
    last = verdict.last_report_on
    return MeasureJudgement(
        key=code,
        as_of=verdict.as_of,
        status=MeasureStatus(verdict.status),
        confidence=Confidence(verdict.confidence),
        progress=verdict.progress,
        planned=verdict.planned,
        gap=verdict.gap,
        behind=verdict.behind,
        forecast_finish=verdict.forecast_finish,
        forecast_note=ForecastNote(verdict.forecast_note) if verdict.forecast_note else None,
        slip_days=verdict.slip_days,
        finished_on=verdict.finished_on,
        last_report_on=last,
        days_since_report=None if last is None else (verdict.as_of - last).days,
        stale=verdict.stale,
        report_count=verdict.report_count,
        forecast_points=verdict.forecast_points,
        progress_source=ProgressSource(verdict.progress_source),
        children_total=verdict.children_total,
        children_known=verdict.children_known,
        unknown_weight_share=verdict.unknown_weight_share,
        start=verdict.start,
        due=verdict.due,
        weight=verdict.weight,
        settings=settings,
        outcome=outcome_of(verdict.outcome),
        likelihood=likelihood_of(verdict),
    )


def instruction_judgement(
    verdict: InstructionVerdict, code: str, settings: PlanSettings, as_of: dt.date
) -> InstructionJudgement:
    """The stored row as the engine's judgement as of the store's date ``as_of``: a row is re-judged only
    when its status can change, so the counts of days are taken from the date, not from the row."""
    last = verdict.last_report_on
    return InstructionJudgement(
        key=code,
        as_of=as_of,
        status=InstructionStatus(verdict.status),
        issued_on=verdict.issued_on,
        due=verdict.due,
        days_to_due=(verdict.due - as_of).days,
        executed_on=verdict.executed_on,
        withdrawn_on=verdict.withdrawn_on,
        last_report_on=last,
        days_since_report=None if last is None else (as_of - last).days,
        settings=settings,
        original_due=verdict.original_due or verdict.due,
        extensions=verdict.extensions,
        open_children=verdict.open_children,
    )
