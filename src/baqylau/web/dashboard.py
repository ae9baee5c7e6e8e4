"""The dashboard's content, assembled from the judgement store and the water model (no rules here).

Everything goes through the user's scope (``accounts.rules.visible_*``): an agency sees its own
measures and instructions in the counts, lists, charts and map, exactly as in the registers.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baqylau.accounts.rules import sees_every_item, visible_instructions, visible_measures
from baqylau.assessment.judgements import explanation
from baqylau.assessment.models import MeasureVerdict
from baqylau.assessment.reading import PlanReader
from baqylau.assessment.water import plan_water
from baqylau.core.numbers import percent
from baqylau.instructions.models import Instruction
from baqylau.judging import GroupSummary, GroupTotals
from baqylau.plans.filters import MeasureFilter
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Sphere, Territory
from baqylau.waterbalance.inputs import MissingInputs
from baqylau.web.facility_map import facility_map
from baqylau.web.water_impact import delay_texts

MEASURE_STATUSES = ("done", "on_track", "at_risk", "late", "not_started")
CONFIDENCES = ("green", "amber_green", "amber", "amber_red", "red")
ATTENTION_ROWS = 8  # the worst items, one line each, on the first screen; the register lists them all
PAGE_FILTERS = ("sphere", "territory", "agency")  # narrow the whole page, as they narrow the register


@dataclass
class Dashboard:
    plan: Plan
    as_of: dt.date
    recorded: int  # measures of the plan in the user's scope
    summary: GroupSummary
    headline: str  # the weighted progress, saying over how many measures it is computed
    filterset: MeasureFilter
    filtered: bool  # a sphere, territory or agency narrows the page
    confidence_counts: dict[str, int]
    attention: list[dict]  # late and at-risk measures, worst first (the first ATTENTION_ROWS)
    attention_total: int
    instructions_due: list[dict]  # overdue and near-deadline instructions
    instructions_due_total: int
    water_delays: list[str]  # what each late water measure's delay costs, in words
    outcomes: list[dict]  # the goals judged by their outcome (water provision, heat-network wear)
    charts: dict = field(default_factory=dict)  # data for the page's charts and map (json_script)


def _progress_chart(reader: PlanReader, by: str, model, scope) -> dict:
    groups = reader.rollup(by, scope)
    names = {o.code: o.label for o in model.objects.filter(code__in=groups)}
    labels = [names.get(k, k) for k in groups]
    return {
        "labels": labels,
        "progress": [None if s.progress is None else round(s.progress, 1) for s in groups.values()],
        "counts": {status: [s.counts.get(status, 0) for s in groups.values()] for status in MEASURE_STATUSES},
        "unknown": [s.unknown for s in groups.values()],
        # The same figures as a table, for screen readers and for copying.
        "rows": [
            {
                "label": label,
                "counts": [s.counts.get(status, 0) for status in MEASURE_STATUSES],
                "total": s.total,
                "progress": percent(s.progress),
            }
            for label, s in zip(labels, groups.values(), strict=True)
        ],
        "counted": sum(s.total for s in groups.values()),
    }


def _water_chart(reader: PlanReader) -> dict | None:
    plan, as_of = reader.plan, reader.as_of
    try:
        start, end = dt.date(as_of.year - 3, 1, 1), dt.date(as_of.year + 1, 12, 31)
        comparison = plan_water(plan, as_of, start, end, reader=reader)
    except MissingInputs:
        return None
    balance = comparison.base
    chart = {
        "months": [str(m) for m in balance.months],
        "demand": [round(v) for v in balance.total("demand")],
        "supply": [round(v) for v in balance.total("delivered")],
        "deficit": [round(v) for v in balance.total("deficit")],
        "as_of": as_of.strftime("%Y-%m"),
    }
    chart["rows"] = [
        {"month": m, "demand": d, "supply": s, "deficit": x}
        for m, d, s, x in zip(
            chart["months"], chart["demand"], chart["supply"], chart["deficit"], strict=True
        )
    ]
    return chart


def _map(reader: PlanReader, measures) -> dict:
    facilities = Facility.objects.filter(plan=reader.plan, measure__in=measures.order_by().values("pk"))
    return facility_map(reader, facilities)


def _water_delays(reader: PlanReader) -> list[str]:
    try:
        return delay_texts(reader.plan, reader.as_of, reader)
    except MissingInputs:
        return []


def _confidence_counts(reader: PlanReader, scope) -> dict[str, int]:
    totals = reader.totals("measure", "plan", scope).get(reader.plan.code) or GroupTotals()
    return {c: totals.confidence_counts.get(c, 0) for c in CONFIDENCES}


def headline(summary: GroupSummary) -> str:
    """The weighted progress with what it covers: never the plan's progress when some is unknown."""
    if not summary.total:
        return _("No measure is recorded yet.")
    if not summary.known:
        return ngettext(
            "Progress is unknown: none of the %(total)s measure has data yet.",
            "Progress is unknown: none of the %(total)s measures has data yet.",
            summary.total,
        ) % {"total": summary.total}
    if not summary.unknown:
        return ngettext(
            "Weighted progress %(progress)s over the %(total)s measure.",
            "Weighted progress %(progress)s over all %(total)s measures.",
            summary.total,
        ) % {"progress": percent(summary.progress), "total": summary.total}
    return ngettext(
        "Weighted progress %(progress)s over %(known)s of %(total)s measures (%(unknown)s without data).",
        "Weighted progress %(progress)s over %(known)s of %(total)s measures (%(unknown)s without data).",
        summary.total,
    ) % {
        "progress": percent(summary.progress),
        "known": summary.known,
        "total": summary.total,
        "unknown": summary.unknown,
    }


def attention_line(judgement, as_of: dt.date) -> dict[str, str]:
    """One line of figures for a late or at-risk item: how late, progress against plan, last report."""
    if judgement.status.value == "late" and as_of > judgement.due:
        days = (as_of - judgement.due).days
        lateness = ngettext("%(days)s day overdue", "%(days)s days overdue", days) % {"days": days}
    elif judgement.slip_days and judgement.slip_days > 0:
        lateness = ngettext(
            "forecast %(days)s day late", "forecast %(days)s days late", judgement.slip_days
        ) % {"days": judgement.slip_days}
    else:
        lateness = _("due %(date)s") % {"date": formats.date_format(judgement.due, "SHORT_DATE_FORMAT")}
    if judgement.progress is None:
        progress = _("no progress reported")
    elif judgement.planned is None:
        progress = percent(judgement.progress)
    else:
        progress = _("%(progress)s of %(planned)s planned") % {
            "progress": percent(judgement.progress),
            "planned": percent(judgement.planned),
        }
    if judgement.last_report_on is None:
        report = _("no accepted report")
    else:
        report = _("report %(date)s") % {
            "date": formats.date_format(judgement.last_report_on, "SHORT_DATE_FORMAT")
        }
    likely = judgement.likelihood
    return {
        "lateness": lateness,
        "progress": progress,
        "report": report,
        "likelihood": "" if likely is None else percent(100.0 * likely.probability),
    }


def _outcomes(reader: PlanReader, measures) -> list[dict]:
    """The goals that declare an outcome, with the verdict their outcome gives and why."""
    goals = list(measures.exclude(outcome_kind="").order_by("code"))
    verdicts = reader.measures_by_id([m.pk for m in goals])
    return [
        {"measure": m, "judgement": verdicts[m.pk], "explanation": explanation(verdicts[m.pk])}
        for m in goals
        if m.pk in verdicts
    ]


def page_filters(plan: Plan, user, params) -> tuple[MeasureFilter, bool]:
    """The user's measures narrowed by the page's sphere, territory and agency (the register's filterset)."""
    picked = {k: params.get(k) for k in PAGE_FILTERS if params.get(k)}
    filterset = MeasureFilter(
        picked or None, queryset=visible_measures(user, Measure.objects.filter(plan=plan)), plan=plan
    )
    return filterset, bool(picked) and filterset.is_valid()


def _instructions_of(plan: Plan, user, filterset: MeasureFilter, filtered: bool):
    """Instructions in the user's scope; under a filter, those of the agency or on the measures shown."""
    instructions = visible_instructions(user, Instruction.objects.filter(plan=plan))
    if not filtered:
        return instructions
    picked = filterset.form.cleaned_data
    if picked.get("agency"):
        instructions = instructions.filter(executors=picked["agency"])
    if picked.get("sphere") or picked.get("territory"):
        instructions = instructions.filter(measures__in=filterset.qs.order_by().values("pk"))
    return instructions.distinct()


def build_dashboard(plan: Plan, as_of: dt.date, user, params=None) -> Dashboard:
    reader = PlanReader(plan, as_of)
    filterset, filtered = page_filters(plan, user, params or {})
    measures = filterset.qs if filtered else visible_measures(user, Measure.objects.filter(plan=plan))
    instructions = _instructions_of(plan, user, filterset, filtered)
    # Whole-plan readers get the stored roll-ups; a scoped or filtered page's are computed over its items.
    scope = None if sees_every_item(user) and not filtered else measures
    attention, attention_total = reader.attention(
        measures.select_related("sphere", "lead_agency"), ATTENTION_ROWS
    )
    due, due_total = reader.instructions_due(instructions, ATTENTION_ROWS)
    for row in attention + due:
        row["explanation"] = explanation(row["judgement"])
    for row in attention:
        row["line"] = attention_line(row["judgement"], as_of)
    if scope is None and reader.stored:
        recorded = MeasureVerdict.objects.filter(plan=plan).count()
    else:
        recorded = measures.count()
    summary = reader.summary(scope)
    return Dashboard(
        plan=plan,
        as_of=as_of,
        recorded=recorded,
        summary=summary,
        headline=headline(summary),
        filterset=filterset,
        filtered=filtered,
        confidence_counts=_confidence_counts(reader, scope),
        attention=attention,
        attention_total=attention_total,
        instructions_due=due,
        instructions_due_total=due_total,
        water_delays=_water_delays(reader),
        outcomes=_outcomes(reader, measures),
        charts={
            "by_sphere": _progress_chart(reader, "sphere", Sphere, scope),
            "by_territory": _progress_chart(reader, "territory", Territory, scope),
            "water": _water_chart(reader),
            "map": _map(reader, measures),
        },
    )
