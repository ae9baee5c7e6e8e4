"""What the open view of a published plan shows: published fields only, nothing about people.

Published: the plan's measures, their dates, responsible bodies, judged status with its reason,
progress over time, facilities on the map, and of agencies' reports only what was accepted: the
period, the progress figure and whether the work was declared executed. Never published: who wrote or
reviewed a report, its narrative, comments, attachments, drafts and returned reports, the audit
history, user names.

Pages are cached (Django's cache) under a key made of the plan, the language, the request's filters
and the judgement store's version: the store's date and the newest verdict rows (a re-judged measure
gets new rows), so a change that moves a verdict shows at once; other edits show within CACHE_SECONDS.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils.translation import get_language

from baqylau.assessment.judgements import explanation
from baqylau.assessment.models import StoreState
from baqylau.assessment.reading import PlanReader
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reports.models import Report
from baqylau.web import listing
from baqylau.web.dashboard import MEASURE_STATUSES
from baqylau.web.dashboard import _progress_chart as progress_by_group  # the dashboard's chart, same data
from baqylau.web.facility_map import facility_map
from baqylau.web.measure_page import progress_context, slip_text

CACHE_SECONDS = 300
FILTERS = ("sphere", "territory", "status", "page")
DOWNLOADS = ("csv", "xlsx", "iati", "oc4ids")
# What a public page or download is made of: a write to any of these is a new version.
_VERSIONED = (Plan, Measure, Facility, Report, Indicator, Target, Actual, Event, Instruction, DeadlineChange,
              Territory, Sphere, Agency)  # fmt: skip


def store_version(plan: Plan) -> str:
    """Changes when the plan is judged for a new day or re-judged, and whenever anything is written:
    every write leaves an audit record (django-simple-history), so the newest record of each table a
    public page reads from is a version that costs one indexed lookup each, all in one query."""

    def newest(model):
        history = model.history.model
        return Subquery(history.objects.order_by("-history_id").values("history_id")[:1])

    state = StoreState.objects.filter(plan=OuterRef("pk"))
    row = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(
            judged_as_of=Subquery(state.values("as_of")[:1]),
            judged_at=Subquery(state.values("refreshed_at")[:1]),
            **{f"h{i}": newest(model) for i, model in enumerate(_VERSIONED)},
        )
        .values_list("judged_as_of", "judged_at", *(f"h{i}" for i in range(len(_VERSIONED))))
        .first()
    )
    return ":".join(str(v) for v in row or ())


def cache_key(plan: Plan, page: str, params: dict) -> str:
    picked = "&".join(f"{k}={params.get(k, '')}" for k in FILTERS)
    raw = f"{plan.pk}:{plan.code}:{page}:{get_language()}:{picked}:{store_version(plan)}"
    return "public:" + hashlib.sha256(raw.encode()).hexdigest()


def licence() -> dict[str, str]:
    return {"name": settings.BAQYLAU_OPEN_DATA_LICENCE, "url": settings.BAQYLAU_OPEN_DATA_LICENCE_URL}


def plan_page(plan: Plan, as_of: dt.date, params: dict) -> dict:
    """The plan's public page: counts, charts, the map and the filtered list of measures."""
    reader = PlanReader(plan, as_of)
    measures = Measure.objects.filter(plan=plan)
    sphere, territory = params.get("sphere", ""), params.get("territory", "")
    status = params.get("status", "") if params.get("status", "") in MEASURE_STATUSES else ""
    if sphere:
        measures = measures.filter(sphere__code=sphere)
    if territory:
        measures = measures.filter(territories__code=territory).distinct()
    rows = reader.measure_rows(
        measures.select_related("sphere", "lead_agency").prefetch_related("territories"), status
    )
    summary = reader.summary()
    used_spheres = Sphere.objects.filter(measures__plan=plan).distinct().order_by("code")
    used_territories = Territory.objects.filter(measures__plan=plan).distinct().order_by("code")
    return {
        "plan": plan,
        "as_of": as_of,
        "rows": rows,
        "status_counts": [(s, summary.counts.get(s, 0)) for s in MEASURE_STATUSES],
        "sphere_options": listing.choices(used_spheres, sphere),
        "territory_options": listing.choices(used_territories, territory),
        "statuses": MEASURE_STATUSES,
        "status": status,
        "charts": {
            "by_sphere": progress_by_group(reader, "sphere", Sphere, None),
            "by_territory": progress_by_group(reader, "territory", Territory, None),
        },
        "facility_map": facility_map(reader, Facility.objects.filter(plan=plan), public=True),
        "downloads": DOWNLOADS,
        "licence": licence(),
    }


def recorded(plan: Plan) -> int:
    """Measures of the plan in Baqylau, against the plan's declared number ("16 of 118 recorded")."""
    return Measure.objects.filter(plan=plan).count()


def all_rows(plan: Plan, as_of: dt.date) -> list[dict]:
    """Every measure of the plan with its judgement, for the open-data downloads."""
    reader = PlanReader(plan, as_of)
    qs = (
        Measure.objects.filter(plan=plan)
        .select_related("sphere", "lead_agency")
        .prefetch_related("territories")
    )
    return list(reader.measure_rows(qs))


def published_reports(measure: Measure) -> list[dict]:
    """The published parts of the measure's accepted reports: period, progress, executed. No people."""
    return [
        {"period_start": start, "period_end": end, "progress": progress, "executed": executed}
        for start, end, progress, executed in Report.objects.filter(
            measure=measure, state=Report.State.ACCEPTED
        )
        .order_by("-period_end", "-pk")
        .values_list("period_start", "period_end", "progress", "executed")
    ]


def measure_page(measure: Measure, as_of: dt.date) -> dict:
    """``measure`` with its plan, sphere and lead agency joined."""
    reader = PlanReader(measure.plan, as_of)
    children = list(measure.children.order_by("code"))
    verdicts = reader.measures_by_id([measure.pk, *(c.pk for c in children)])
    judgement = verdicts[measure.pk]
    facilities = Facility.objects.filter(measure=measure)
    return {
        "plan": measure.plan,
        "measure": measure,
        "as_of": as_of,
        "judgement": judgement,
        "explanation": explanation(judgement),
        "slip": slip_text(judgement.slip_days),
        **progress_context(measure, judgement, as_of),
        "children": [(child, verdicts[child.pk]) for child in children],
        "territories": list(measure.territories.order_by("code")),
        "facilities": list(facilities.select_related("territory").order_by("code")),
        "facility_map": facility_map(reader, facilities, public=True),
        "reports": published_reports(measure),
        "licence": licence(),
    }
