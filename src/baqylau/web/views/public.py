"""The open, read-only view of a plan its project office has published: published fields only.

No login. Nothing about people (authors, reviewers, comments) and no report narratives: only the
plan's measures, their dates, responsible bodies and judged status as of today.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control

from baqylau.assessment.reading import PlanReader
from baqylau.assessment.store import today
from baqylau.plans.models import Measure, Plan
from baqylau.web.dashboard import MEASURE_STATUSES

PAGE_SIZE = 50


@login_not_required
@cache_control(public=True, max_age=300)
def public_plan(request, plan_code):
    plan = get_object_or_404(Plan.objects.select_related("region"), code=plan_code)
    if not plan.is_public:
        raise Http404
    as_of = today()
    reader = PlanReader(plan, as_of)
    measures = (
        Measure.objects.filter(plan=plan)
        .select_related("sphere", "lead_agency")
        .prefetch_related("territories")
    )
    rows = reader.measure_rows(measures)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = reader.summary()
    return render(
        request,
        "web/public_plan.html",
        {
            "plan": plan,
            "as_of": as_of,
            "page": page,
            "rows": page.object_list,
            "recorded": page.paginator.count,
            "status_counts": [(s, summary.counts.get(s, 0)) for s in MEASURE_STATUSES],
        },
    )
