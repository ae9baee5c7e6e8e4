"""Agency reporting (inbox, report form) and the project office's review queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baqylau.accounts.rules import visible_instructions, visible_measures, visible_reports
from baqylau.assessment.reading import PlanReader
from baqylau.core.locking import EditConflict
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure
from baqylau.reports import workflow
from baqylau.reports.evidence import evidence_for
from baqylau.reports.forms import ReportForm, ReviewForm
from baqylau.reports.models import Report, ReportAttachment
from baqylau.reports.services import save_report
from baqylau.web.context import page_scope

ITEM_MODELS = {"measure": Measure, "instruction": Instruction}
OPEN_MEASURE = ("late", "at_risk", "on_track", "not_started")
OPEN_INSTRUCTION = ("overdue", "at_risk", "open")
INBOX_ROWS = 50


def inbox(request):
    if not request.user.has_perm("reports.add_report"):
        raise PermissionDenied
    scope = page_scope(request)
    reader = PlanReader(scope.plan, scope.as_of)
    measures = reader.measure_rows(
        visible_measures(request.user, Measure.objects.filter(plan=scope.plan)), OPEN_MEASURE, sort="due"
    )
    instructions = reader.instruction_rows(
        visible_instructions(request.user, Instruction.objects.filter(plan=scope.plan)), OPEN_INSTRUCTION
    )
    # The nearest deadlines first, of both kinds; the registers list the rest.
    items = [{"kind": "measure", "item": r["measure"], **r} for r in measures[:INBOX_ROWS]] + [
        {"kind": "instruction", "item": r["instruction"], **r} for r in instructions[:INBOX_ROWS]
    ]
    items.sort(key=lambda row: row["judgement"].due)
    items = items[:INBOX_ROWS]
    total = measures.count() + instructions.count()
    mine = (
        visible_reports(request.user, Report.objects.filter(author=request.user))
        .select_related("measure", "instruction")
        .order_by("-updated_at")[:50]
    )
    return render(
        request,
        "web/inbox.html",
        {"nav": "inbox", "plan": scope.plan, "items": items, "total": total, "reports": mine},
    )


def _item(user, kind, pk):
    """The measure or instruction to report on; one the user cannot see does not exist for them."""
    model = ITEM_MODELS.get(kind)
    if model is None:
        raise Http404
    visible = visible_measures if model is Measure else visible_instructions
    return get_object_or_404(visible(user, model.objects.all()), pk=pk)


def _indicators(item):
    return list(item.indicators.order_by("code")) if isinstance(item, Measure) else []


def report_form(request, kind=None, pk=None, report_pk=None):
    if report_pk:
        reports = visible_reports(request.user, Report.objects.select_related("measure", "instruction"))
        report = get_object_or_404(reports, pk=report_pk)
        item = report.measure or report.instruction
        if not request.user.has_perm("reports.change_report", report):
            raise PermissionDenied
    else:
        item = _item(request.user, kind, pk)
        perm = f"reports.report_on_{kind}"
        if not request.user.has_perm(perm, item):
            raise PermissionDenied
        agency = getattr(getattr(request.user, "profile", None), "agency", None) or (
            item.lead_agency if isinstance(item, Measure) else item.executors.first()
        )
        report = Report(agency=agency, **{kind: item})
    form = ReportForm(
        request.POST or None, request.FILES or None, instance=report, item=item, indicators=_indicators(item)
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_report(form.instance, form, request.user, submit="submit" in request.POST)
        except EditConflict as conflict:
            form.add_error(None, conflict.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Report submitted for review."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect("web:inbox")
    return render(
        request, "web/report_form.html", {"nav": "inbox", "form": form, "item": item, "report": report}
    )


def review_queue(request):
    if not (request.user.has_perm("reports.review_report")):
        raise PermissionDenied
    reports = (
        visible_reports(request.user, Report.objects.filter(state=Report.State.SUBMITTED))
        .select_related("measure", "instruction", "agency", "author")
        .prefetch_related("attachments", "indicator_values__indicator")
    )
    reports = list(reports.order_by("submitted_on", "pk"))
    evidence = evidence_for(reports)
    rows = [
        {
            "report": r,
            "evidence": evidence[r.pk],
            "form": ReviewForm(initial={"opened_version": r.version}),
        }
        for r in reports
    ]
    return render(request, "web/review.html", {"nav": "review", "rows": rows})


@require_POST
def review(request, pk):
    report = get_object_or_404(Report, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or return."))
        return redirect("web:review")
    report._history_user = request.user
    try:
        workflow.transition(
            report,
            request.user,
            form.cleaned_data["decision"],
            form.cleaned_data["opened_version"],
            comment=form.cleaned_data["comment"],
        )
    except (EditConflict, ValidationError) as problem:
        text = problem.message if isinstance(problem, EditConflict) else " ".join(problem.messages)
        messages.error(request, f"{report}: {text}")
    else:
        messages.success(
            request, _("%(report)s: %(state)s.") % {"report": report, "state": report.get_state_display()}
        )
    return redirect("web:review")


def attachment(request, pk):
    """Attachments are always downloads with their checked type: never rendered as a page."""
    file = get_object_or_404(ReportAttachment.objects.select_related("report"), pk=pk)
    if not visible_reports(request.user, Report.objects.filter(pk=file.report_id)).exists():
        raise Http404
    response = FileResponse(
        file.file.open("rb"), as_attachment=True, filename=file.original_name, content_type=file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
