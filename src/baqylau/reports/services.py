"""Writing a report from the form: the report, its indicator values and its attachment, in one go."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from baqylau.core.locking import save_versioned

from . import workflow
from .attachments import check_upload
from .models import Report, ReportActual, ReportAttachment


@transaction.atomic
def save_report(report: Report, form, user, submit: bool) -> Report:
    """Create or update a draft (optimistic locking on update), then submit it if asked."""
    item = report.measure or report.instruction
    perm = "reports.report_on_measure" if report.measure_id else "reports.report_on_instruction"
    if not user.has_perm(perm, item) or (report.pk and not user.has_perm("reports.change_report", report)):
        raise PermissionDenied(_("You may not report on this item."))
    report._history_user = user
    if report.pk:
        save_versioned(report, form.cleaned_data["opened_version"])
    else:
        report.author = user
        report.full_clean()
        report.save()
    for indicator, value in form.indicator_values().items():
        ReportActual.objects.update_or_create(report=report, indicator=indicator, defaults={"value": value})
    upload = form.cleaned_data.get("attachment")
    if upload:
        _store(report, upload, form.attachment_kind)
    if submit:
        workflow.submit(report, user, report.version)
    return report


def _store(report: Report, upload, kind: tuple[str, str]) -> ReportAttachment:
    extension, content_type = kind
    return ReportAttachment.objects.create(
        report=report,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        extension=extension,
    )


@transaction.atomic
def attach(report: Report, upload, user) -> ReportAttachment:
    """Attach a file to a draft or returned report (the API's upload; the page's form attaches in
    ``save_report``): its author's agency only, the file checked for type and size."""
    if not user.has_perm("reports.change_report", report):
        raise PermissionDenied(_("You may not change this report."))
    if report.state not in (Report.State.DRAFT, Report.State.RETURNED):
        raise workflow.TransitionRefused(
            _("Only a draft or returned report can be changed; this one is %(state)s.")
            % {"state": report.get_state_display()}
        )
    return _store(report, upload, check_upload(upload))
