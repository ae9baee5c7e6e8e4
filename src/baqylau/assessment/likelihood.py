"""The likelihood of delivery as the judgements carry it: the plan's reference classes, learned from
its resolved measures, and each open measure rated by them (``judging.likelihood``).

The reference table is learned with the daily step and with every whole-plan refresh, and kept in
``ReferenceStats``; a write judges its measures by the stored table (a new report does not change
what the plan's history says in any way that matters within the day). Judging as of another date
learns the table as of that date from the facts then known, so a past view is what was knowable.

Measures that declare an outcome are left out of the reference: they finish by a model's verdict,
not by the pace of their works.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Sequence

from baqylau.judging import MeasureFacts, MeasureJudgement
from baqylau.judging import likelihood as engine
from baqylau.judging.history import NO_DAY
from baqylau.judging.measures import judge_own, own_figures
from baqylau.plans.models import Measure, Plan
from baqylau.reference.models import Agency, Sphere

from .facts import measure_facts, plan_settings

NAMES_FOR = 60.0  # seconds the sphere and agency names for explanations are kept
RELEARN_DAYS = 7  # the daily step learns the table anew at least this often
_names: dict = {"at": 0.0, "sphere": {}, "agency": {}}


def _leaf_classes(plan: Plan, ids: Collection[int] | None = None) -> dict[int, tuple[str, str]]:
    measures = Measure.objects.filter(plan=plan)
    if ids is not None:
        measures = measures.filter(pk__in=ids if hasattr(ids, "query") else list(ids))
    rows = measures.values_list("pk", "sphere__code", "lead_agency__code")
    return {pk: (sphere, agency) for pk, sphere, agency in rows}


def classes_of(plan: Plan, id_by_code: dict[str, int]) -> dict[str, tuple[str, str]]:
    """Code -> (sphere code, lead agency code) for the measures of a batch; one query."""
    by_id = _leaf_classes(plan, None if len(id_by_code) > 5000 else id_by_code.values())
    return {code: by_id[pk] for code, pk in id_by_code.items() if pk in by_id}


def resolved(
    facts: Sequence[MeasureFacts],
    judged: Sequence[MeasureJudgement],
    classes: dict[str, tuple[str, str]],
    as_of: dt.date,
) -> list[engine.Resolved]:
    """The batch's leaves due before ``as_of`` (without a declared outcome), as the reference sees them."""
    day = as_of.toordinal()
    out = []
    for f, j in zip(facts, judged, strict=True):
        if f.children or j.outcome is not None or f.start is None or f.due.toordinal() >= day:
            continue
        sphere, agency = classes.get(f.key, ("", ""))
        history = sorted((p.on.toordinal(), p.progress) for p in f.history if p.on <= as_of)
        finish = j.finished_on.toordinal() if j.finished_on is not None else NO_DAY
        out.append(engine.Resolved(f.start.toordinal(), f.due.toordinal(), finish, sphere, agency, history))
    return out


def _resolved_leaves(plan: Plan, as_of: dt.date):
    return Measure.objects.filter(
        plan=plan, due__lt=as_of, start__isnull=False, outcome_kind="", children__isnull=True
    )


def learn(plan: Plan, as_of: dt.date) -> engine.ReferenceTable:
    """The plan's reference table as of ``as_of`` from the facts of its resolved leaves."""
    leaves = _resolved_leaves(plan, as_of).values("pk")  # a subquery, not a list of thousands of ids
    settings = plan_settings(plan)
    facts, keys = measure_facts(plan, as_of, leaves, trajectories=False)
    if not facts:
        return engine.learn((), as_of, settings)
    judged = judge_own(own_figures(facts, as_of, settings), as_of, settings)
    by_id = _leaf_classes(plan, leaves)
    classes = {code: by_id[pk] for code, pk in keys.id_by_code.items() if pk in by_id}
    return engine.learn(resolved(facts, judged, classes, as_of), as_of, settings)


def learn_and_keep(plan: Plan, as_of: dt.date) -> engine.ReferenceTable:
    """Learn the table and keep it for the day's writes (a whole-plan refresh)."""
    from .models import ReferenceStats

    table = learn(plan, as_of)
    ReferenceStats.objects.update_or_create(
        plan=plan,
        defaults={
            "as_of": as_of,
            "resolved": _resolved_leaves(plan, as_of).count(),
            "table": table.to_json(),
            "stale": False,
        },
    )
    return table


def keep_or_learn(plan: Plan, as_of: dt.date) -> engine.ReferenceTable:
    """The daily step's table: the kept one while it still says the same, else learned anew.

    The table changes when the set of resolved measures changes (a due date passes), when a write
    touches a resolved measure (``mark_stale``), and a little with each day (an unfinished measure's
    slip grows): so it is kept while the resolved count is the same, nothing marked it stale and it is
    younger than ``RELEARN_DAYS``. Reading the facts of every resolved measure is most of the daily
    step's cost on a large plan; this makes it a count on most days.
    """
    from .models import ReferenceStats

    kept = ReferenceStats.objects.filter(plan=plan).values_list("stale", "resolved", "table").first()
    if kept is not None:
        stale, count, data = kept
        table = engine.ReferenceTable.from_json(data)
        fresh = 0 <= (as_of - table.as_of).days < RELEARN_DAYS
        if not stale and fresh and count == _resolved_leaves(plan, as_of).count():
            ReferenceStats.objects.filter(plan=plan).update(as_of=as_of)
            return table
    return learn_and_keep(plan, as_of)


def mark_stale(plan: Plan, judged: Sequence[MeasureJudgement], as_of: dt.date) -> None:
    """A write judged these measures: if one of them is resolved, the kept table no longer says all."""
    if any(j.due < as_of for j in judged):
        from .models import ReferenceStats

        ReferenceStats.objects.filter(plan=plan, stale=False).update(stale=True)


def table_for(plan: Plan, as_of: dt.date) -> engine.ReferenceTable:
    """The table kept for ``as_of`` (one query), else learned as of that date."""
    from .models import ReferenceStats

    kept = ReferenceStats.objects.filter(plan=plan, as_of=as_of).values_list("table", flat=True).first()
    return engine.ReferenceTable.from_json(kept) if kept else learn(plan, as_of)


def rate(
    plan: Plan,
    as_of: dt.date,
    judged: list[MeasureJudgement],
    id_by_code: dict[str, int],
    table: engine.ReferenceTable | None = None,
    facts: Sequence[MeasureFacts] | None = None,
) -> list[MeasureJudgement]:
    """The batch's judgements with their likelihoods (and confidence read from them). The table is
    the one given, else learned from ``facts`` when they are the whole plan's, else ``table_for``."""
    classes = classes_of(plan, id_by_code)
    if table is None and facts is not None:
        table = engine.learn(resolved(facts, judged, classes, as_of), as_of, plan_settings(plan))
    table = table if table is not None else table_for(plan, as_of)
    return engine.rate(judged, [classes.get(j.key, ("", "")) for j in judged], table)


def names() -> dict:
    """{"sphere": {code: {"en", "ru", "kk"}}, "agency": {...}} for explanations; kept a minute."""
    from baqylau.core.translation import translated

    if time.monotonic() - _names["at"] > NAMES_FOR:
        for kind, model in (("sphere", Sphere), ("agency", Agency)):
            _names[kind] = {
                row.code: {lang: translated(row, "name", lang) for lang in ("en", "ru", "kk")}
                for row in model.objects.only("code", "name", "name_ru", "name_kk")
            }
        _names["at"] = time.monotonic()
    return _names
