from django.shortcuts import render

from baqylau.web import listing
from baqylau.web.context import page_scope
from baqylau.web.dashboard import CONFIDENCES, MEASURE_STATUSES, build_dashboard
from baqylau.web.labels import chart_labels


def dashboard(request):
    scope = page_scope(request)
    board = build_dashboard(scope.plan, scope.as_of, request.user, request.GET)
    filters = board.filterset.filters
    picked = board.filterset.form.data if board.filterset.form.is_bound else {}
    return render(
        request,
        "web/dashboard.html",
        {
            "nav": "dashboard",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "recorded": board.recorded,
            "summary": board.summary,
            "headline": board.headline,
            "filtered": board.filtered,
            "sphere_options": listing.choices(filters["sphere"].queryset, picked.get("sphere", "")),
            "territory_options": listing.choices(filters["territory"].queryset, picked.get("territory", "")),
            "agency_options": listing.choices(filters["agency"].queryset, picked.get("agency", "")),
            "statuses": MEASURE_STATUSES,
            "status_counts": [(s, board.summary.counts.get(s, 0)) for s in MEASURE_STATUSES],
            "confidence_counts": [(c, board.confidence_counts[c]) for c in CONFIDENCES],
            "attention": board.attention,
            "attention_total": board.attention_total,
            "instructions_due": board.instructions_due,
            "instructions_due_total": board.instructions_due_total,
            "water_delays": board.water_delays,
            "outcomes": board.outcomes,
            "charts": board.charts,
            "chart_labels": chart_labels(),
        },
    )
