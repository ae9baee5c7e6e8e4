from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from baqylau.plans.selectors import plan_summaries


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitors: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": "unreachable", "detail": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": "reachable", "vendor": connection.vendor})


def home(request):
    return render(request, "core/home.html", {"plans": plan_summaries()})
