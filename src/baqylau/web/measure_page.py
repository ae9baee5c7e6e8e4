"""Everything the measure page shows, gathered in a fixed number of queries."""

import datetime as dt

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baqylau.accounts.rules import visible_reports
from baqylau.assessment.judgements import explanation
from baqylau.assessment.reading import PlanReader
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.plans.models import Measure
from baqylau.waterbalance.models import WaterSourceStage

HISTORY_ROWS = 30


def _ms(day: dt.date) -> int:
    """A date as JavaScript milliseconds, for the chart's time axis."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def indicator_chart(indicator: Indicator) -> dict:
    return {
        "unit": indicator.unit,
        "baseline": [{"x": _ms(indicator.baseline_date), "y": float(indicator.baseline_value)}]
        if indicator.baseline_date and indicator.baseline_value is not None
        else [],
        "targets": [{"x": _ms(t.period_end), "y": float(t.value)} for t in indicator.targets.all()],
        "actuals": [{"x": _ms(a.period_end), "y": float(a.value)} for a in indicator.actuals.all()],
    }


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


def build(measure: Measure, as_of: dt.date, user) -> dict:
    """``measure`` with its plan, sphere, lead agency and parent joined."""
    reader = PlanReader(measure.plan, as_of)
    children = list(measure.children.order_by("code"))
    instructions = list(measure.instructions.order_by("due", "code"))
    verdicts = reader.measures_by_id([measure.pk, *(c.pk for c in children)])
    instruction_verdicts = reader.instructions_by_id(i.pk for i in instructions)
    judgement = verdicts[measure.pk]
    indicators = list(
        measure.indicators.prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("period_end")),
            Prefetch("actuals", queryset=Actual.objects.order_by("period_end").select_related("reported_by")),
        ).order_by("code")
    )
    return {
        "plan": measure.plan,
        "measure": measure,
        "judgement": judgement,
        "explanation": explanation(judgement),
        "slip": slip_text(judgement.slip_days),
        "children": [(child, verdicts[child.pk]) for child in children],
        "facilities": list(measure.facilities.select_related("territory").order_by("code")),
        # Facilities that feed the water model: the page links each to a what-if of its delay.
        "water_facilities": set(
            WaterSourceStage.objects.filter(facility__measure=measure).values_list(
                "facility__code", flat=True
            )
        ),
        "what_if_date": dt.date(as_of.year + 1, 6, 1),
        "indicators": [(i, indicator_chart(i)) for i in indicators],
        "reports": list(
            visible_reports(user, measure.reports.select_related("agency", "reviewed_by")).order_by(
                "-period_end", "-pk"
            )
        ),
        "instructions": [(i, instruction_verdicts.get(i.pk)) for i in instructions],
        "history": history_rows(measure),
        "can_edit": user.has_perm("plans.change_measure", measure),
        "can_report": user.has_perm("reports.report_on_measure", measure),
    }
