"""The open, read-only view of a plan its project office has published (see web/public_view.py).

No login. The pages' content and the downloads are cached under a key that changes with the judgement
store, so a busy public page costs two queries (the plan, the store's version) until something changes.
The header around the content (its language switch carries a form token) is rendered per request.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control

from baqylau.assessment.store import today
from baqylau.interop.iati.export import export_plans
from baqylau.interop.oc4ids.export import dumps, export_package
from baqylau.plans.models import Measure, Plan
from baqylau.web import public_view
from baqylau.web.labels import chart_labels
from baqylau.web.tables import export_csv, export_xlsx

PAGE_SIZE = 50
CONTENT_TYPES = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "iati": ("application/xml; charset=utf-8", "iati.xml"),
    "oc4ids": ("application/json; charset=utf-8", "oc4ids.json"),
}


def _published(plan_code: str) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("region"), code=plan_code)
    if not plan.is_public:
        raise Http404
    return plan


def _cached(key: str, build):
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, public_view.CACHE_SECONDS)
    return value


@login_not_required
@cache_control(public=True, max_age=300)
def public_plan(request, plan_code):
    plan = _published(plan_code)

    def body() -> str:
        context = public_view.plan_page(plan, today(), request.GET)
        page = Paginator(context["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            rows=page.object_list,
            total=page.paginator.count,
            recorded=public_view.recorded(plan),
            chart_labels=chart_labels(),
        )
        return render_to_string("web/partials/public_plan_body.html", context, request=request)

    html = _cached(public_view.cache_key(plan, "plan", request.GET), body)
    return render(
        request, "web/public_plan.html", {"plan": plan, "body": mark_safe(html)}
    )  # rendered by us, escaped there


@login_not_required
@cache_control(public=True, max_age=300)
def public_measure(request, plan_code, code):
    plan = _published(plan_code)
    measure = get_object_or_404(
        Measure.objects.select_related("plan", "sphere", "lead_agency", "parent"), plan=plan, code=code
    )

    def body() -> str:
        context = {**public_view.measure_page(measure, today()), "chart_labels": chart_labels()}
        return render_to_string("web/partials/public_measure_body.html", context, request=request)

    html = _cached(public_view.cache_key(plan, f"measure:{measure.pk}", {}), body)
    return render(
        request,
        "web/public_measure.html",
        {"plan": plan, "measure": measure, "body": mark_safe(html)},  # rendered by us, escaped there
    )


@login_not_required
@cache_control(public=True, max_age=300)
def public_download(request, plan_code, fmt):
    """The published plan as open data: the measures with their status (CSV, XLSX), IATI, OC4IDS."""
    plan = _published(plan_code)
    if fmt not in CONTENT_TYPES:
        raise Http404
    as_of = today()

    def build() -> bytes:
        if fmt == "iati":
            return export_plans([plan], as_of=as_of)
        if fmt == "oc4ids":
            return dumps(export_package([plan], as_of=as_of)).encode("utf-8")
        rows = public_view.all_rows(plan, as_of)
        return export_csv(rows) if fmt == "csv" else export_xlsx(rows)

    body = _cached(public_view.cache_key(plan, f"download:{fmt}", {}), build)
    content_type, suffix = CONTENT_TYPES[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-{as_of}.{suffix}"'
    licence = public_view.licence()
    response["Link"] = f'<{licence["url"]}>; rel="license"'
    return response
