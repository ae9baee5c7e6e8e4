"""Everything the measure page shows, gathered in a fixed number of queries."""

import datetime as dt
from collections import defaultdict

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baqylau.accounts.rules import visible_reports
from baqylau.assessment.judgements import explanation
from baqylau.assessment.progress import planned_curve, progress_over_time
from baqylau.assessment.reading import PlanReader
from baqylau.core import numbers
from baqylau.core.translation import translated
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.plans.models import Measure
from baqylau.reports.evidence import evidence_for
from baqylau.waterbalance.models import WaterSourceStage
from baqylau.web.listing import Dates

HISTORY_ROWS = 30
# Reports shown with their evidence (a year of monthly reports); the page links to all of them.
REPORTS_SHOWN = 12


def _ms(day: dt.date) -> int:
    """A date as JavaScript milliseconds, for the chart's time axis."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def indicator_series(measure: Measure) -> list[tuple[Indicator, dict, list[dict]]]:
    """Each indicator of the measure with its chart data and its table (one row per period, target and
    actual side by side), its targets and actuals read in one query each for all indicators."""
    indicators = list(measure.indicators.order_by("code"))
    ids = [i.pk for i in indicators]
    targets: dict[int, dict] = defaultdict(dict)
    for indicator_id, period_end, value in (
        Target.objects.filter(indicator_id__in=ids)
        .order_by("period_end")
        .values_list("indicator_id", "period_end", "value")
    ):
        targets[indicator_id][period_end] = value
    actuals: dict[int, dict] = defaultdict(dict)
    notes: dict[tuple[int, dt.date], str] = {}
    for indicator_id, period_end, value, note in (
        Actual.objects.filter(indicator_id__in=ids)
        .order_by("period_end")
        .values_list("indicator_id", "period_end", "value", "estimate_note")
    ):
        actuals[indicator_id][period_end] = value
        if note:
            notes[(indicator_id, period_end)] = note
    separator = formats.get_format("DECIMAL_SEPARATOR")
    date = Dates()
    out = []
    for indicator in indicators:
        planned, done = targets[indicator.pk], actuals[indicator.pk]
        chart = {
            "unit": translated(indicator, "unit"),
            "baseline": [{"x": _ms(indicator.baseline_date), "y": float(indicator.baseline_value)}]
            if indicator.baseline_date and indicator.baseline_value is not None
            else [],
            "targets": [{"x": _ms(day), "y": float(v)} for day, v in planned.items()],
            "actuals": [{"x": _ms(day), "y": float(v)} for day, v in done.items()],
        }
        table = [
            {
                "period": date(day),
                "target": numbers.figure(planned[day], separator) if day in planned else "",
                "actual": numbers.figure(done[day], separator) if day in done else "",
                "note": notes.get((indicator.pk, day), ""),
            }
            for day in sorted(planned.keys() | done.keys())
        ]
        out.append((indicator, chart, table))
    return out


def history_rows(measure: Measure) -> list[dict]:
    """Who changed what and when, newest first, from the audit history."""
    records = list(
        measure.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_ROWS + 1
        ]
    )
    rows = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if older is None and len(records) > HISTORY_ROWS:
            break
        fields = []
        if older is not None and newer.history_type == "~":
            fields = [
                str(Measure._meta.get_field(c.field).verbose_name)
                for c in newer.diff_against(older).changes
                if c.field not in ("version", "updated_at")
            ]
        rows.append({"record": newer, "fields": fields})
    return rows


def slip_text(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return _("on the due date")
    if days > 0:
        return ngettext("%(n)s day late", "%(n)s days late", days) % {"n": days}
    return ngettext("%(n)s day early", "%(n)s days early", -days) % {"n": -days}


def progress_chart(measure: Measure, judgement, as_of: dt.date) -> dict:
    """Planned against accepted progress over time, the forecast with its 80% range, and the due
    date (the chart's data), with the same figures as a table for those who cannot see the chart."""
    actual = progress_over_time(measure, as_of)
    planned = planned_curve(measure)
    chart = {
        "planned": [{"x": _ms(day), "y": round(p, 1)} for day, p in planned],
        "actual": [{"x": _ms(day), "y": round(p, 1)} for day, p in actual],
        "due": _ms(measure.due),
        "as_of": _ms(as_of),
        "forecast": [],
        "range": [],
    }
    open_measure = judgement.status.value != "done"
    if judgement.forecast_finish and open_measure and actual:
        last_day, last = actual[-1]
        chart["forecast"] = [
            {"x": _ms(last_day), "y": round(last, 1)},
            {"x": _ms(judgement.forecast_finish), "y": 100},
        ]
    likely = getattr(judgement, "likelihood", None)
    if likely is not None and open_measure:
        chart["range"] = [{"x": _ms(likely.finish_low), "y": 100}, {"x": _ms(likely.finish_high), "y": 100}]
    date = Dates()
    by_day: dict[dt.date, dict] = defaultdict(dict)
    for day, p in planned:
        by_day[day]["planned"] = numbers.percent(p)
    for day, p in actual:
        by_day[day]["actual"] = numbers.percent(p)
    chart_table = [{"date": date(day), **by_day[day]} for day in sorted(by_day)]
    return {"chart": chart, "table": chart_table}


def report_rows(user, measure: Measure, limit: int | None = REPORTS_SHOWN) -> tuple[list[dict], int]:
    """The latest ``limit`` reports (None: all) with their claim, the verdict on it and the evidence
    behind it, newest first; and how many there are in all."""
    visible = visible_reports(user, measure.reports.select_related("agency", "reviewed_by")).order_by(
        "-period_end", "-pk"
    )
    reports = list(visible if limit is None else visible[: limit + 1])
    total = len(reports) if limit is None or len(reports) <= limit else visible.count()
    reports = reports if limit is None else reports[:limit]
    evidence = evidence_for(reports)
    return [{"report": r, "evidence": evidence[r.pk]} for r in reports], total


def progress_context(measure: Measure, judgement, as_of: dt.date) -> dict:
    """The progress chart's data and the same figures as a table, as the page templates name them."""
    progress = progress_chart(measure, judgement, as_of)
    return {"progress_chart": progress["chart"], "progress_table": progress["table"]}


def build(measure: Measure, as_of: dt.date, user, all_reports: bool = False) -> dict:
    """``measure`` with its plan, sphere, lead agency and parent joined; ``all_reports``: every report,
    not only the latest ``REPORTS_SHOWN``."""
    reader = PlanReader(measure.plan, as_of)
    reports, report_total = report_rows(user, measure, None if all_reports else REPORTS_SHOWN)
    children = list(measure.children.order_by("code"))
    instructions = list(measure.instructions.order_by("due", "code"))
    verdicts = reader.measures_by_id([measure.pk, *(c.pk for c in children)])
    instruction_verdicts = reader.instructions_by_id(i.pk for i in instructions)
    judgement = verdicts[measure.pk]
    return {
        "plan": measure.plan,
        "measure": measure,
        "judgement": judgement,
        "explanation": explanation(judgement),
        "slip": slip_text(judgement.slip_days),
        **progress_context(measure, judgement, as_of),
        "children": [(child, verdicts[child.pk]) for child in children],
        "facilities": list(measure.facilities.select_related("territory").order_by("code")),
        # Facilities that feed the water model: the page links each to a what-if of its delay.
        "water_facilities": set(
            WaterSourceStage.objects.filter(facility__measure=measure).values_list(
                "facility__code", flat=True
            )
        ),
        "what_if_date": dt.date(as_of.year + 1, 6, 1),
        "indicators": indicator_series(measure),
        "reports": reports,
        "report_total": report_total,
        "more_reports": report_total > len(reports),
        "instructions": [(i, instruction_verdicts.get(i.pk)) for i in instructions],
        "history": history_rows(measure),
        "can_edit": user.has_perm("plans.change_measure", measure),
        "can_report": user.has_perm("reports.report_on_measure", measure),
    }
