"""Measures and instructions carry their judgement as of a date: each plan judged once per request.

``judge_plan`` judges a whole plan in a fixed number of queries, so a page of 5 or of 500 rows costs
the same; judged filters (status, confidence) are applied to the judged rows before paging.
"""

from django.utils import timezone

from baqylau.assessment.judgements import judge_plan
from baqylau.assessment.records import instruction_status_record, measure_status_record
from baqylau.plans.models import Plan

MEASURE_KEYS = (
    "status",
    "confidence",
    "progress",
    "planned",
    "gap",
    "forecast_finish",
    "slip_days",
    "stale",
    "last_report_on",
    "explanation",
)
INSTRUCTION_KEYS = ("status", "days_to_due", "executed_on", "last_report_on", "explanation")


class Judge:
    """Plans judged as of one date, each at most once."""

    def __init__(self, as_of=None):
        self.as_of = as_of or timezone.localdate()
        self._plans = {}

    def plans(self, plan_ids) -> dict:
        missing = set(plan_ids) - set(self._plans)
        if missing:
            for plan in Plan.objects.filter(pk__in=missing):
                self._plans[plan.pk] = judge_plan(plan, self.as_of)
        return {pk: self._plans[pk] for pk in plan_ids}

    def measure(self, measure) -> dict:
        judged = self.plans([measure.plan_id])[measure.plan_id]
        record = measure_status_record(judged, measure.code)
        verdict = judged.measures[measure.code]
        return {
            "as_of": self.as_of,
            **{key: record[key] for key in MEASURE_KEYS},
            "forecast_note": verdict.forecast_note.value if verdict.forecast_note else None,
        }

    def instruction(self, instruction) -> dict:
        judged = self.plans([instruction.plan_id])[instruction.plan_id]
        record = instruction_status_record(judged, instruction.code)
        return {"as_of": self.as_of, **{key: record[key] for key in INSTRUCTION_KEYS}}


def measure_matches(judge: Judge, plan_id: int, code: str, wanted: dict) -> bool:
    verdict = judge.plans([plan_id])[plan_id].measures[code]
    return all(
        getattr(verdict, key).value == value
        for key, value in wanted.items()
        if key in ("status", "confidence")
    )


def instruction_matches(judge: Judge, plan_id: int, code: str, wanted: dict) -> bool:
    verdict = judge.plans([plan_id])[plan_id].instructions[code]
    return verdict.status.value == wanted["status"]
