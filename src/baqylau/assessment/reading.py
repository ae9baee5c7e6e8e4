"""Reading judgements: the one entry point for pages, the API, commands and briefings.

``PlanReader(plan, as_of)`` answers every question a view asks of a plan's judgements. For today it
reads the judgement store (rows and roll-up totals, filtered, sorted and paged in the database: a
page of 25 rows costs 25 rows whatever the plan's size); for any other date it judges the plan with
the same engine from set-based reads, once per reader, and answers from that. Both give the same
shapes: rows of ``{"measure"|"instruction": model object, "judgement": engine judgement}``, and
``judging.GroupSummary`` for the roll-ups. Nothing here writes, except ``store.ensure_current``
when a plan's stored judgements are dated before today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property
from types import SimpleNamespace

from django.db.models import F, QuerySet

from baqylau.judging import GroupSummary, GroupTotals, InstructionJudgement, MeasureJudgement
from baqylau.plans.models import Measure, Plan

from . import store
from .facts import plan_settings
from .judgements import PlanJudgement, judge_instructions_of, judge_measure_trees, judge_plan
from .models import MEASURE_STATUS_RANK, GroupRollup, InstructionVerdict, MeasureVerdict

MEASURE_SORTS = ("code", "due", "status", "progress", "confidence")
ATTENTION = ("late", "at_risk")
INSTRUCTIONS_DUE = ("overdue", "at_risk")
CHUNK = 2000  # rows read at once when a whole list is streamed (exports, commands)


def _measure_order(sort: str) -> list:
    """ORDER BY for the stored path; unknown progress always last."""
    descending = sort.startswith("-")
    name = sort.lstrip("-") if sort.lstrip("-") in MEASURE_SORTS else "code"
    column = {
        "code": F("code"),
        "due": F("due"),
        "status": F("verdict__status_rank"),
        "progress": F("verdict__progress"),
        "confidence": F("verdict__confidence_score"),
    }[name]
    first = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return [first, "due", "code"] if name != "code" else [first]


def _measure_key(sort: str):
    """The same order for the computed path, as a sort key over (code, due, judgement)."""
    name = sort.lstrip("-") if sort.lstrip("-") in MEASURE_SORTS else "code"
    if name == "code":
        return lambda row: row[1]
    if name == "due":
        return lambda row: row[2]
    if name == "status":
        return lambda row: MEASURE_STATUS_RANK[row[3].status.value]
    if name == "confidence":
        return lambda row: row[3].confidence.severity
    return lambda row: row[3].progress


def _statuses(status) -> tuple[str, ...]:
    if not status:
        return ()
    return (status,) if isinstance(status, str) else tuple(status)


def _stored_rows(model, item: str, ids) -> list[SimpleNamespace]:
    """The stored verdicts of ``ids`` as plain records (their columns by attribute name, and the item's
    ``code``): a list page reads dozens, and model objects cost more than the judging does."""
    columns = [f.attname for f in model._meta.concrete_fields]
    rows = model.objects.filter(**{f"{item}_id__in": ids}).values(*columns, code=F(f"{item}__code"))
    return [SimpleNamespace(**row) for row in rows]


class JudgedRows:
    """A list of judged items that a Paginator can page: ``count()`` and slices of rows."""

    def __init__(self, kind: str, count, fetch):
        self.kind = kind
        self._count = count
        self._fetch = fetch

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return self._fetch(index.start or 0, index.stop)

    def __iter__(self) -> Iterator[dict]:
        """Every row, read in chunks (bounded memory for exports)."""
        start = 0
        while True:
            rows = self._fetch(start, start + CHUNK)
            yield from rows
            if len(rows) < CHUNK:
                return
            start += CHUNK


class PlanReader:
    """One plan's judgements as of one date, for one request or command."""

    def __init__(self, plan: Plan, as_of: dt.date):
        self.plan = plan
        self.as_of = as_of
        self.settings = plan_settings(plan)
        self.stored = as_of == store.today()
        if self.stored:
            store.ensure_current(plan)

    @cached_property
    def computed(self) -> PlanJudgement:
        """The whole plan judged as of a date that is not today (once per reader)."""
        return judge_plan(self.plan, self.as_of)

    # --- single items -----------------------------------------------------------------------------

    def measures_by_id(self, ids) -> dict[int, MeasureJudgement]:
        ids = list(ids)
        if self.stored:
            found = self._stored_measures(ids)
            missing = set(ids) - set(found)
            if missing:  # written in bulk without telling the store: judged now, once
                store.refresh_measures(self.plan, missing)
                found.update(self._stored_measures(missing))
            return found
        if "computed" in self.__dict__:
            by_id = self.computed.measure_by_id()
            return {pk: by_id[pk] for pk in ids if pk in by_id}
        return {pk: j for pk, j in judge_measure_trees(self.plan, self.as_of, ids).items() if pk in ids}

    def _stored_measures(self, ids) -> dict[int, MeasureJudgement]:
        verdicts = _stored_rows(MeasureVerdict, "measure", ids)
        return {v.measure_id: store.measure_judgement(v, v.code, self.settings) for v in verdicts}

    def measure(self, measure: Measure) -> MeasureJudgement:
        return self.measures_by_id([measure.pk])[measure.pk]

    def instructions_by_id(self, ids) -> dict[int, InstructionJudgement]:
        ids = list(ids)
        if self.stored:
            verdicts = _stored_rows(InstructionVerdict, "instruction", ids)
            return {
                v.instruction_id: store.instruction_judgement(v, v.code, self.settings, self.as_of)
                for v in verdicts
            }
        if "computed" in self.__dict__:
            by_id = self.computed.instruction_by_id()
            return {pk: by_id[pk] for pk in ids if pk in by_id}
        return judge_instructions_of(self.plan, self.as_of, ids)

    # --- lists ------------------------------------------------------------------------------------

    def measure_rows(
        self, queryset: QuerySet, status="", confidence: str = "", sort: str = "code", leaves: bool = False
    ):
        """``queryset`` (measures of this plan, already scoped and filtered) with their judgements;
        ``status`` is one status or a collection of them; ``leaves``: only measures without sub-measures,
        the ones the roll-ups count."""
        statuses = _statuses(status)
        if self.stored:
            qs = queryset.select_related("verdict")
            if leaves:
                qs = qs.filter(verdict__is_leaf=True)
            if statuses:
                qs = qs.filter(verdict__status__in=statuses)
            if confidence:
                qs = qs.filter(verdict__confidence=confidence)
            qs = qs.order_by(*_measure_order(sort))

            def fetch(start, stop):
                return [
                    {"measure": m, "judgement": store.measure_judgement(m.verdict, m.code, self.settings)}
                    for m in qs[start:stop]
                ]

            return JudgedRows("measure", qs.count, fetch)

        judged = self.computed.measure_by_id()
        rows = [
            (pk, code, due, judged[pk])
            for pk, code, due in queryset.order_by().values_list("pk", "code", "due").distinct()
            if pk in judged and (not leaves or code in self.computed.leaf_codes)
        ]
        if statuses:
            rows = [r for r in rows if r[3].status.value in statuses]
        if confidence:
            rows = [r for r in rows if r[3].confidence.value == confidence]
        key = _measure_key(sort)
        if sort.lstrip("-") == "progress":  # unknown progress last, in both directions
            known = sorted(
                (r for r in rows if r[3].progress is not None), key=key, reverse=sort.startswith("-")
            )
            rows = known + sorted((r for r in rows if r[3].progress is None), key=lambda r: r[1])
        else:
            rows = sorted(sorted(rows, key=lambda r: (r[2], r[1])), key=key, reverse=sort.startswith("-"))
        return JudgedRows(
            "measure", lambda: len(rows), lambda a, b: self._fetch_measures(queryset, rows[a:b])
        )

    @staticmethod
    def _fetch_measures(queryset, rows):
        """The page's measure objects (with the queryset's joins), in the rows' order."""
        objects = {m.pk: m for m in queryset.filter(pk__in=[r[0] for r in rows])} if rows else {}
        return [{"measure": objects[r[0]], "judgement": r[3]} for r in rows if r[0] in objects]

    def instruction_rows(self, queryset: QuerySet, status=""):
        """``queryset`` (instructions of this plan, scoped and filtered) with their judgements, by due date;
        ``status`` is one status or a collection of them."""
        statuses = _statuses(status)
        if self.stored:
            qs = queryset.select_related("verdict")
            if statuses:
                qs = qs.filter(verdict__status__in=statuses)
            qs = qs.order_by("due", "code")

            def fetch(start, stop):
                return [
                    {
                        "instruction": i,
                        "judgement": store.instruction_judgement(
                            i.verdict, i.code, self.settings, self.as_of
                        ),
                    }
                    for i in qs[start:stop]
                ]

            return JudgedRows("instruction", qs.count, fetch)

        judged = self.computed.instruction_by_id()
        rows = [
            (pk, judged[pk])
            for pk in queryset.order_by("due", "code").values_list("pk", flat=True).distinct()
            if pk in judged and (not statuses or judged[pk].status.value in statuses)
        ]

        def fetch(a, b):
            page = rows[a:b]
            objects = {i.pk: i for i in queryset.filter(pk__in=[pk for pk, _j in page])}
            return [{"instruction": objects[pk], "judgement": j} for pk, j in page if pk in objects]

        return JudgedRows("instruction", lambda: len(rows), fetch)

    def attention(self, queryset: QuerySet, limit: int) -> tuple[list[dict], int]:
        """Late, then at-risk measures without sub-measures, worst first: the first ``limit``, and how
        many there are in all: the same items the roll-ups count late and at risk, so a page's cards and
        its list agree by construction (goals are shown with their outcomes)."""
        rows = self.measure_rows(queryset, status=ATTENTION, sort="status", leaves=True)
        return rows[:limit], rows.count()

    def instructions_due(self, queryset: QuerySet, limit: int) -> tuple[list[dict], int]:
        """Overdue, then near-deadline instructions, by due date (the most overdue first)."""
        rows = self.instruction_rows(queryset, status=INSTRUCTIONS_DUE)
        return rows[:limit], rows.count()

    # --- roll-ups ---------------------------------------------------------------------------------

    def totals(self, kind: str, grouping: str, queryset: QuerySet | None = None) -> dict[str, GroupTotals]:
        """Additive totals per group. ``queryset`` narrows to some items (a user's scope, a filter);
        None means the whole plan, read from the stored roll-ups when judging today."""
        if self.stored and queryset is None:
            return {
                row["key"]: GroupTotals(
                    kind=kind,
                    total=row["total"],
                    counts=row["counts"],
                    confidence_counts=row["confidence_counts"],
                    weight=row["weight"],
                    weight_known=row["weight_known"],
                    weighted=row["weighted"],
                    known=row["known"],
                )
                for row in GroupRollup.objects.filter(plan=self.plan, kind=kind, grouping=grouping)
                .order_by("key")
                .values(
                    "key",
                    "total",
                    "counts",
                    "confidence_counts",
                    "weight",
                    "weight_known",
                    "weighted",
                    "known",
                )
            }
        groups: dict[str, GroupTotals] = {}
        for item, keys in self._counted(kind, grouping, queryset):
            for key in keys:
                group = groups.get(key)
                if group is None:
                    group = groups[key] = GroupTotals(kind=kind)
                group.add(item)
        return dict(sorted(groups.items()))

    def _counted(self, kind: str, grouping: str, queryset):
        """(item, group keys) for every leaf measure / instruction in scope."""
        if self.stored:
            if kind == "measure":
                verdicts = MeasureVerdict.objects.filter(plan=self.plan, is_leaf=True)
                if queryset is not None:
                    verdicts = verdicts.filter(measure__in=queryset.order_by().values("pk"))
                for status, confidence, weight, progress, groups in verdicts.values_list(
                    "status", "confidence", "weight", "progress", "measure__digest__groups"
                ):
                    yield store.Counted(status, confidence, weight, progress), groups.get(grouping, ())
            else:
                verdicts = InstructionVerdict.objects.filter(plan=self.plan)
                if queryset is not None:
                    verdicts = verdicts.filter(instruction__in=queryset.order_by().values("pk"))
                for status, groups in verdicts.values_list("status", "groups"):
                    yield store.Counted(status, None, 0.0, None), groups.get(grouping, ())
            return
        judged = self.computed
        ids = None if queryset is None else set(queryset.order_by().values_list("pk", flat=True))
        if kind == "measure":
            leaves = {judged.measure_ids[c] for c in judged.leaf_codes}
            for pk, j in judged.measure_by_id().items():
                if pk in leaves and (ids is None or pk in ids):
                    yield j, self._measure_groups[pk].get(grouping, ())
        else:
            for pk, j in judged.instruction_by_id().items():
                if ids is None or pk in ids:
                    yield j, self._instruction_groups[pk].get(grouping, ())

    @cached_property
    def _measure_groups(self):
        return store.measure_groups(self.plan)

    @cached_property
    def _instruction_groups(self):
        return store.instruction_groups(self.plan)

    def summary(self, queryset: QuerySet | None = None) -> GroupSummary:
        """The plan's figures over its leaf measures in scope (each piece of work once)."""
        totals = self.totals("measure", "plan", queryset)
        return (totals.get(self.plan.code) or GroupTotals()).summary()

    def instruction_summary(self, queryset: QuerySet | None = None) -> GroupSummary:
        totals = self.totals("instruction", "plan", queryset)
        return (totals.get(self.plan.code) or GroupTotals(kind="instruction")).summary()

    def rollup(self, by: str, queryset: QuerySet | None = None) -> dict[str, GroupSummary]:
        return {key: t.summary() for key, t in self.totals("measure", by, queryset).items()}
