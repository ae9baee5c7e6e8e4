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
_names: dict = {"at": 0.0, "sphere": {}, "agency": {}}


def _leaf_classes(plan: Plan, ids: Collection[int] | None = None) -> dict[int, tuple[str, str]]:
    measures = Measure.objects.filter(plan=plan)
    if ids is not None:
        measures = measures.filter(pk__in=ids if hasattr(ids, "query") else list(ids))
    rows = measures.values_list("pk", "sphere__code", "lead_agency__code")
    return {pk: (sphere, agency) for pk, sphere, agency in rows}


def classes_of(plan: Plan, id_by_code: dict[str, int]) -> dict[str, tuple[str, str]]:
    """Code -> (sphere code, lead agency code) for the measures of a batch; one query."""
    # A large batch reads the plan's rows: cheaper than compiling an IN list of thousands of ids.
    by_id = _leaf_classes(plan, None if len(id_by_code) > 200 else id_by_code.values())
    return {code: by_id[pk] for code, pk in id_by_code.items() if pk in by_id}


def resolved(
    facts: Sequence[MeasureFacts],
    judged: Sequence[MeasureJudgement],
    classes: dict[str, tuple[str, str]],
    as_of: dt.date,
    id_by_code: dict[str, int] | None = None,
) -> list[engine.Resolved]:
    """The batch's leaves due before ``as_of`` (without a declared outcome), as the reference sees them."""
    day = as_of.toordinal()
    ids = id_by_code or {}
    out = []
    for f, j in zip(facts, judged, strict=True):
        if f.children or j.outcome is not None or f.start is None or f.due.toordinal() >= day:
            continue
        sphere, agency = classes.get(f.key, ("", ""))
        history = sorted((p.on.toordinal(), p.progress) for p in f.history if p.on <= as_of)
        finish = j.finished_on.toordinal() if j.finished_on is not None else NO_DAY
        start, due = f.start.toordinal(), f.due.toordinal()
        out.append(engine.Resolved(start, due, finish, sphere, agency, history, ids.get(f.key)))
    return out


def _resolved_leaves(plan: Plan, as_of: dt.date):
    return Measure.objects.filter(
        plan=plan, due__lt=as_of, start__isnull=False, outcome_kind="", children__isnull=True
    )


def _standings(plan: Plan, as_of: dt.date, leaves) -> list[engine.Standing]:
    """The standings (``engine.Standing``, by measure id) of the resolved ``leaves``, from their facts."""
    settings = plan_settings(plan)
    facts, keys = measure_facts(plan, as_of, leaves, trajectories=False)
    if not facts:
        return []
    judged = judge_own(own_figures(facts, as_of, settings), as_of, settings)
    by_id = _leaf_classes(plan, leaves)
    classes = {code: by_id[pk] for code, pk in keys.id_by_code.items() if pk in by_id}
    return engine.standings(resolved(facts, judged, classes, as_of, keys.id_by_code), as_of, settings)


def learn(plan: Plan, as_of: dt.date) -> engine.ReferenceTable:
    """The plan's reference table as of ``as_of`` from the facts of its resolved leaves."""
    leaves = _resolved_leaves(plan, as_of).values("pk")  # a subquery, not a list of thousands of ids
    return engine.table_of(_standings(plan, as_of, leaves), as_of)


def _keep(
    plan: Plan, as_of: dt.date, kept: Sequence[engine.Standing], new_standings: bool = True
) -> engine.ReferenceTable:
    """The table as of ``as_of`` from the standings, kept (with them, when they changed) for the day's
    writes and the next day."""
    from .models import ReferenceStats

    table = engine.table_of(kept, as_of)
    values = {"as_of": as_of, "resolved": table.resolved, "table": table.to_json(), "stale": False}
    if new_standings:
        values["standings"] = [s.to_json() for s in kept]
    if not ReferenceStats.objects.filter(plan=plan).update(**values):
        ReferenceStats.objects.create(plan=plan, **values)
    return table


def learn_and_keep(plan: Plan, as_of: dt.date) -> engine.ReferenceTable:
    """Learn the table from every resolved measure's facts and keep it (a whole-plan refresh)."""
    leaves = _resolved_leaves(plan, as_of).values("pk")
    return _keep(plan, as_of, _standings(plan, as_of, leaves))


def keep_or_learn(plan: Plan, as_of: dt.date, changed: Collection[int] = ()) -> engine.ReferenceTable:
    """The daily step's table: the kept standings, with those of measures resolved since (and of the
    ``changed`` ones, whose facts came due) read from their facts; learned anew from every resolved
    measure when a write touched one (``mark_stale``), a measure left the resolved set or the date went
    back. A measure's standing never changes with the date, so this is the table learning anew would
    give; reading the facts of every resolved measure was most of the daily step's cost.
    """
    from .models import ReferenceStats

    kept = ReferenceStats.objects.filter(plan=plan).values_list("stale", "as_of", "standings").first()
    if kept is not None and not kept[0] and kept[2]:
        _stale, learned_on, data = kept
        if learned_on <= as_of:
            standings = {s.key: s for s in map(engine.Standing.from_json, data)}
            now = set(_resolved_leaves(plan, as_of).values_list("pk", flat=True))
            if standings.keys() <= now:
                new = (now - standings.keys()) | (now & set(changed))
                if new:
                    standings.update((s.key, s) for s in _standings(plan, as_of, new))
                return _keep(plan, as_of, list(standings.values()), new_standings=bool(new))
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
