"""The open, read-only view of a plan its project office has published: published fields only.

No login. Nothing about people (authors, reviewers, comments) and no report narratives: only the
plan's measures, their dates, responsible bodies and judged status as of today.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from baqylau.assessment.judgements import judge_plan, plan_summary
from baqylau.plans.models import Plan
from baqylau.web.dashboard import MEASURE_STATUSES


@login_not_required
@cache_control(public=True, max_age=300)
def public_plan(request, plan_code):
    plan = get_object_or_404(Plan.objects.select_related("region"), code=plan_code)
    if not plan.is_public:
        raise Http404
    as_of = timezone.localdate()
    judged = judge_plan(plan, as_of)
    summary = plan_summary(judged)
    rows = [{"measure": judged.measure_objects[code], "judgement": j} for code, j in judged.measures.items()]
    return render(
        request,
        "web/public_plan.html",
        {
            "plan": plan,
            "as_of": as_of,
            "rows": rows,
            "recorded": len(rows),
            "status_counts": [(s, summary.counts.get(s, 0)) for s in MEASURE_STATUSES],
        },
    )
