"""Reports in the admin: the same rules as the pages and the API, whatever the staff flag.

The state moves only by a transition of ``reports/workflow.py`` (draft -> submitted -> accepted or
returned), with its permission; the review fields are the workflow's to set; an agency editor reports
for its own agency on items it executes.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from baqylau.accounts.rules import visible_reports
from baqylau.core.admin import VersionedAdmin, VersionedAdminForm

from . import workflow
from .models import Report

# (state before, state chosen) -> the workflow's transition that makes it.
TRANSITION_OF = {
    (source, target): name
    for name, (sources, target, _perm) in workflow.TRANSITIONS.items()
    for source in sources
}


class ReportAdminForm(VersionedAdminForm):
    user = None  # set per request by ReportAdmin.get_form
    transition = None

    def clean(self):
        cleaned = super().clean()
        report, user = self.instance, self.user
        if not report.pk:
            item = cleaned.get("measure") or cleaned.get("instruction")
            kind = "measure" if cleaned.get("measure") else "instruction"
            if item is not None and not user.has_perm(f"reports.report_on_{kind}", item):
                raise ValidationError(_("You may not report on this item."))
            return cleaned
        chosen = cleaned.get("state", report.state)
        if chosen == report.state:
            return cleaned
        name = TRANSITION_OF.get((report.state, chosen))
        if name is None:
            self.add_error(
                "state",
                _(
                    "A report goes from draft to submitted, then to accepted or returned; "
                    "not from %(a)s to %(b)s."
                )
                % {"a": report.get_state_display(), "b": Report.State(chosen).label},
            )
        elif not user.has_perm(workflow.TRANSITIONS[name][2], report):
            self.add_error("state", _("You may not do this to this report."))
        elif name == "return" and not (cleaned.get("review_comment") or "").strip():
            self.add_error("review_comment", _("Say why the report is returned."))
        else:
            self.transition = name
        return cleaned


@admin.register(Report)
class ReportAdmin(VersionedAdmin):
    form = ReportAdminForm
    list_display = [
        "__str__",
        "agency",
        "period_end",
        "progress",
        "executed",
        "state",
        "submitted_on",
        "reviewed_on",
    ]
    list_filter = ["state", "agency", "measure__plan", "period_end"]
    search_fields = ["narrative", "measure__code", "instruction__code", "review_comment"]
    autocomplete_fields = ["measure", "instruction", "agency"]
    list_select_related = ["measure", "instruction", "agency"]
    # Set by the workflow, never typed in.
    readonly_fields = ["version", "updated_at", "author", "submitted_on", "reviewed_on", "reviewed_by"]

    def get_queryset(self, request):
        return visible_reports(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fixed = list(self.readonly_fields)
        user = request.user
        if obj is None:
            fixed.append("state")  # a new report is a draft
        if not user.has_perm("reports.review_report"):
            fixed.append("review_comment")
        if not user.has_perm("plans.add_measure"):  # not the office: its own agency, the item it opened
            fixed.append("agency")
            if obj is not None:
                fixed += ["measure", "instruction"]
        return fixed

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        user = request.user
        if not change:
            obj.author = user
            agency = getattr(getattr(user, "profile", None), "agency", None)
            if agency is not None and not user.has_perm("plans.add_measure"):
                obj.agency = agency
            super().save_model(request, obj, form, change)
            return
        if form.transition:
            chosen, obj.state = obj.state, form.initial["state"]
            try:
                workflow.transition(
                    obj, user, form.transition, form.cleaned_data.get("opened_version"), obj.review_comment
                )
            except ValidationError:
                obj.state = chosen
                raise
            return
        super().save_model(request, obj, form, change)
