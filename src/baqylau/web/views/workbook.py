"""The plan workbook on the pages: upload (checked and imported in the background) and download."""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from baqylau.interop.models import WorkbookImportJob
from baqylau.interop.tasks import run_workbook_import
from baqylau.interop.workbook.exporter import TooLargeForXlsx, plan_tables, write_tables
from baqylau.plans.models import Plan


class UploadForm(forms.Form):
    workbook = forms.FileField(label=gettext_lazy("Plan workbook (.xlsx, or a .zip of CSV files)"))
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.order_by("code"),
        to_field_name="code",
        required=False,
        label=gettext_lazy("Plan (leave empty when the workbook has a plan sheet)"),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Check only, write nothing"), required=False)

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        limit = settings.BAQYLAU_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1_048_576, 1), "limit": round(limit / 1_048_576)}
            )
        return upload


def _may_import(user) -> bool:
    return user.has_perm("plans.add_measure")  # the project office administers the plan


def upload(request):
    if not _may_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["workbook"]
        plan = form.cleaned_data["plan"]
        job = WorkbookImportJob.objects.create(
            upload=file,
            original_name=file.name[:255],
            plan_code=plan.code if plan else "",
            dry_run=form.cleaned_data["dry_run"],
            user=request.user,
            language=get_language() or "",
        )
        run_workbook_import.enqueue(job.pk)
        return redirect("web:import_job", job.pk)
    jobs = WorkbookImportJob.objects.select_related("user")[:10]
    return render(request, "web/import_upload.html", {"nav": "measures", "form": form, "jobs": jobs})


def job(request, pk):
    if not _may_import(request.user):
        raise PermissionDenied
    job = get_object_or_404(WorkbookImportJob, pk=pk)
    template = "web/partials/import_job.html" if request.headers.get("HX-Request") else "web/import_job.html"
    return render(request, template, {"nav": "measures", "job": job})


def download(request, plan_code):
    plan = get_object_or_404(Plan, code=plan_code)
    if not request.user.has_perm("plans.view_plan", plan) or not request.user.has_perm(
        "plans.change_plan", plan
    ):
        raise PermissionDenied
    # Written to a temporary file that is unlinked once open: the download streams it, nothing is left.
    with tempfile.TemporaryDirectory(prefix="baqylau-export-") as folder:
        path = Path(folder) / f"{plan.code}.xlsx"
        tables = plan_tables(plan)
        try:
            write_tables(tables, path)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        except TooLargeForXlsx:  # a national plan's targets outgrow a sheet: the same tables as CSV files
            path = path.with_suffix(".zip")
            write_tables(tables, path)
            content_type = "application/zip"
        stream = path.open("rb")
    return FileResponse(stream, as_attachment=True, filename=path.name, content_type=content_type)
