from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health
from .logs import current_reference


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers (the status code: 200 while the database answers, 503 when it does not) and for
    monitors (``status`` is "degraded" with the ``problems`` when no queue worker is alive or work waits)."""
    try:
        return JsonResponse(health())
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": "unreachable", "detail": str(exc)}, status=503)


def _stylesheet() -> str:
    try:
        return static("web/app.css")
    except ValueError:  # the static files are not collected: the page still says what happened
        return ""


def server_error(request):
    """The 500 page, in the user's language, with the reference that the error's log line carries.
    It depends on nothing that may be what failed: no database, no session, no context processors."""
    context = {
        "reference": getattr(request, "reference", "") or current_reference(),
        "stylesheet": _stylesheet(),
        "LANGUAGE_CODE": get_language(),
    }
    return HttpResponseServerError(loader.get_template("core/server_error.html").render(context))
