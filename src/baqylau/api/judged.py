"""Measures and instructions carry their judgement as of a date, read through ``assessment.reading``.

For today the verdicts come from the judgement store, and judged filters (status, confidence) are
conditions in the list's own query, so a page costs the same at any size. For another date each plan
involved is judged once per request and the filters apply to the judged rows before paging.
"""

from django.utils import timezone

from baqylau.assessment import store
from baqylau.assessment.reading import PlanReader
from baqylau.assessment.records import instruction_verdict_record, measure_verdict_record
from baqylau.plans.models import Plan


class Judge:
    """Plans' judgements as of one date, each plan's reader made at most once."""

    def __init__(self, as_of=None, plans=()):
        """``plans``: plans the request has read already (the list's plan filter), not read again."""
        self.as_of = as_of or timezone.localdate()
        self._readers: dict[int, PlanReader] = {}
        self._plans = {plan.pk: plan for plan in plans}
        self.stored = self.as_of == timezone.localdate()

    def ensure_current(self, queryset) -> None:
        """Every plan the list spans is judged as of today (before filtering on stored verdicts)."""
        store.ensure_current_plans(queryset.order_by().values_list("plan_id", flat=True).distinct())

    def reader(self, plan_id: int) -> PlanReader:
        if plan_id not in self._readers:
            plan = self._plans.get(plan_id) or Plan.objects.get(pk=plan_id)
            self._readers[plan_id] = PlanReader(plan, self.as_of)
        return self._readers[plan_id]

    def records(self, kind: str, items: list[tuple[int, int]]) -> dict[int, dict]:
        """``{id: {"as_of", **the verdict's record}}`` of ``kind`` (measure, instruction) for
        ``(id, plan_id)`` pairs: each plan's verdicts read in one query, or judged once for another date."""
        plans: dict[int, list[int]] = {}
        for pk, plan_id in items:
            plans.setdefault(plan_id, []).append(pk)
        records = {}
        for plan_id, ids in plans.items():
            reader = self.reader(plan_id)
            if kind == "measure":
                # Another date: the plan is judged once for the page, whatever trees its rows sit in.
                verdicts = reader.measures_by_id(ids) if self.stored else reader.computed.measure_by_id()
                record = measure_verdict_record
            else:
                verdicts = (
                    reader.instructions_by_id(ids) if self.stored else reader.computed.instruction_by_id()
                )
                record = instruction_verdict_record
            for pk in ids:
                records[pk] = {"as_of": self.as_of, **record(verdicts[pk])}
        return records

    def matching_ids(self, queryset, kind: str, wanted: dict) -> list[int]:
        """For another date than today: the ids whose computed judgement matches ``wanted``, in the
        queryset's order."""
        rows = list(queryset.values_list("pk", "plan_id"))
        keep = []
        for pk, plan_id in rows:
            judged = self.reader(plan_id).computed
            verdict = (judged.measure_by_id() if kind == "measure" else judged.instruction_by_id())[pk]
            if all(getattr(verdict, key).value == value for key, value in wanted.items()):
                keep.append(pk)
        return keep
