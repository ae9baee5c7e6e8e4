from django.shortcuts import render

from baqylau.web.context import page_scope
from baqylau.web.dashboard import CONFIDENCES, MEASURE_STATUSES, build_dashboard
from baqylau.web.labels import chart_labels


def dashboard(request):
    scope = page_scope(request)
    board = build_dashboard(scope.plan, scope.as_of, request.user)
    return render(
        request,
        "web/dashboard.html",
        {
            "nav": "dashboard",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "recorded": board.recorded,
            "summary": board.summary,
            "status_counts": [(s, board.summary.counts.get(s, 0)) for s in MEASURE_STATUSES],
            "confidence_counts": [(c, board.confidence_counts[c]) for c in CONFIDENCES],
            "attention": board.attention,
            "attention_total": board.attention_total,
            "instructions_due": board.instructions_due,
            "instructions_due_total": board.instructions_due_total,
            "charts": board.charts,
            "chart_labels": chart_labels(),
        },
    )
