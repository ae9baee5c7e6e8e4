"""The review workflow of a report: draft -> submitted -> accepted, or returned (with a comment) -> ...

Every transition checks the permission rules (``accounts/rules.py``) and the current state, and saves
with optimistic locking, so a page, the admin and the API cannot take a report where it may not go.
Only accepted reports feed the judgements.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baqylau.core.locking import save_versioned
from baqylau.indicators.models import Actual

from .models import Report

State = Report.State

TRANSITIONS = {
    "submit": ({State.DRAFT, State.RETURNED}, State.SUBMITTED, "reports.submit_report"),
    "accept": ({State.SUBMITTED}, State.ACCEPTED, "reports.review_report"),
    "return": ({State.SUBMITTED}, State.RETURNED, "reports.review_report"),
}


WRONG_STATE = {
    "submit": gettext_lazy("Only a draft or returned report can be submitted; this one is %(state)s."),
    "accept": gettext_lazy("Only a submitted report can be accepted; this one is %(state)s."),
    "return": gettext_lazy("Only a submitted report can be returned; this one is %(state)s."),
}


class TransitionRefused(ValidationError):
    pass


def allowed_transitions(report: Report, user) -> list[str]:
    return [
        name
        for name, (sources, _target, perm) in TRANSITIONS.items()
        if report.state in sources and user.has_perm(perm, report)
    ]


@transaction.atomic
def transition(
    report: Report, user, name: str, expected_version: int, comment: str = "", on: dt.date | None = None
) -> Report:
    sources, target, perm = TRANSITIONS[name]
    if report.state not in sources:
        raise TransitionRefused(WRONG_STATE[name] % {"state": report.get_state_display()})
    if not user.has_perm(perm, report):
        raise PermissionDenied(_("You may not do this to this report."))
    on = on or timezone.localdate()
    if name == "return":
        if not comment.strip():
            raise TransitionRefused({"review_comment": _("Say why the report is returned.")})
        report.review_comment = comment.strip()
    if name == "submit":
        report.full_clean()
        report.submitted_on = on
    else:
        report.reviewed_on, report.reviewed_by = on, user
        if name == "accept" and comment.strip():
            report.review_comment = comment.strip()
    report.state = target
    save_versioned(report, expected_version)
    if target == State.ACCEPTED:
        _record_actuals(report)
    return report


def _record_actuals(report: Report) -> None:
    """The indicator values of an accepted report become the indicators' actuals for the period."""
    for value in report.indicator_values.select_related("indicator"):
        Actual.objects.update_or_create(
            indicator=value.indicator,
            period_end=report.period_end,
            defaults={
                "value": value.value,
                "reported_by": report.agency,
                "reported_on": report.submitted_on,
                "source": _("Report #%(id)s, accepted on %(date)s")
                % {"id": report.pk, "date": report.reviewed_on},
            },
        )


def submit(report, user, expected_version, on=None):
    return transition(report, user, "submit", expected_version, on=on)


def accept(report, user, expected_version, comment="", on=None):
    return transition(report, user, "accept", expected_version, comment=comment, on=on)


def return_for_rework(report, user, expected_version, comment, on=None):
    return transition(report, user, "return", expected_version, comment=comment, on=on)
