from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from baqylau.accounts.rules import visible_measures
from baqylau.assessment.reading import PlanReader
from baqylau.core.locking import EditConflict, save_versioned
from baqylau.plans.filters import MeasureFilter
from baqylau.plans.forms import MeasureEditForm
from baqylau.plans.models import Measure
from baqylau.web import listing, measure_page
from baqylau.web.context import page_scope
from baqylau.web.dashboard import CONFIDENCES, MEASURE_STATUSES
from baqylau.web.labels import chart_labels
from baqylau.web.tables import export_csv, export_xlsx

PAGE_SIZE = 25


def measure_register(request):
    scope = page_scope(request)
    measures = Measure.objects.filter(plan=scope.plan).select_related("sphere", "lead_agency", "plan")
    filterset = MeasureFilter(request.GET, queryset=visible_measures(request.user, measures), plan=scope.plan)
    status, confidence = request.GET.get("status", ""), request.GET.get("confidence", "")
    rows = PlanReader(scope.plan, scope.as_of).measure_rows(
        filterset.qs, status, confidence, request.GET.get("sort", "code")
    )

    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        rows = PlanReader(scope.plan, scope.as_of).measure_rows(
            filterset.qs.prefetch_related("territories"), status, confidence, request.GET.get("sort", "code")
        )
        body = export_csv(rows) if export == "csv" else export_xlsx(rows)
        content_type = (
            "text/csv; charset=utf-8"
            if export == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="measures-{scope.plan.code}-{scope.as_of}.{export}"'
        )
        return response

    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    form = filterset.form
    picked = form.data if form.is_bound else {}
    return render(
        request,
        "web/measures.html",
        {
            "nav": "measures",
            "plan": scope.plan,
            "as_of": scope.as_of,
            "search": picked.get("q", ""),
            "sphere_options": listing.choices(filterset.filters["sphere"].queryset, picked.get("sphere", "")),
            "territory_options": listing.choices(
                filterset.filters["territory"].queryset, picked.get("territory", "")
            ),
            "agency_options": listing.choices(filterset.filters["agency"].queryset, picked.get("agency", "")),
            "page": page,
            "rows": listing.measure_rows(page.object_list, scope.plan),
            "total": page.paginator.count,
            # "16 of 118 measures recorded", as the dashboard says it: the measures in Baqylau of the
            # plan's declared number (in the user's scope), whatever the filters.
            "recorded": visible_measures(request.user, Measure.objects.filter(plan=scope.plan)).count(),
            "statuses": MEASURE_STATUSES,
            "confidences": CONFIDENCES,
            "status": status,
            "confidence": confidence,
            "sort": request.GET.get("sort", "code"),
        },
    )


def measure_edit(request, plan_code, code):
    measure = get_object_or_404(Measure.objects.select_related("plan"), plan__code=plan_code, code=code)
    if not visible_measures(request.user, Measure.objects.filter(pk=measure.pk)).exists():
        raise Http404(_("No such measure."))  # another agency's measure does not exist for it
    if not request.user.has_perm("plans.change_measure", measure):
        raise PermissionDenied
    form = MeasureEditForm(
        request.POST or None, instance=measure, office=request.user.has_perm("plans.add_measure")
    )
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        try:
            save_versioned(form.instance, form.cleaned_data["opened_version"])
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("web:measure", plan_code, code)
    return render(request, "web/measure_edit.html", {"nav": "measures", "measure": measure, "form": form})


def measure_detail(request, plan_code, code):
    scope = page_scope(request)
    measure = get_object_or_404(
        Measure.objects.select_related("plan", "sphere", "lead_agency", "parent").prefetch_related(
            "territories", "co_agencies"
        ),
        plan__code=plan_code,
        code=code,
    )
    if not visible_measures(request.user, Measure.objects.filter(pk=measure.pk)).exists():
        raise Http404(_("No such measure."))
    context = measure_page.build(measure, scope.as_of, request.user, request.GET.get("reports") == "all")
    return render(
        request,
        "web/measure.html",
        {"nav": "measures", "as_of": scope.as_of, "chart_labels": chart_labels(), **context},
    )
