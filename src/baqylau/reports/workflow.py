"""The review workflow of a report: draft -> submitted -> accepted, or returned (with a comment) -> ...

Every transition checks the permission rules (``accounts/rules.py``) and the current state, and saves
with optimistic locking, so a page, the admin and the API cannot take a report where it may not go.
Only accepted reports feed the judgements. A claim of completion (100%, or "executed") is accepted
only with evidence (``evidence.py``): a document, every facility commissioned, or an indicator at its
target; it may be submitted without, so the reviewer can add the commissioning dates or return it.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baqylau.assessment import store
from baqylau.core.audit import bulk_history
from baqylau.core.bulk import bulk_update
from baqylau.core.locking import save_versioned
from baqylau.indicators.models import Actual

from .evidence import claims_completion, evidence_for
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
    elif name == "accept" and claims_completion(report):  # only a claim of completion needs evidence
        evidence = evidence_for([report], on)[report.pk]
        if evidence.blocks_acceptance:
            raise TransitionRefused(evidence.refusal())
    if name != "submit":
        report.reviewed_on, report.reviewed_by = on, user
        if name == "accept" and comment.strip():
            report.review_comment = comment.strip()
    report.state = target
    with store.batch():  # the verdict is judged once, after the actuals are in
        save_versioned(report, expected_version)
        if target == State.ACCEPTED:
            _record_actuals(report, user)
    return report


def _record_actuals(report: Report, user) -> None:
    """The indicator values of an accepted report become the indicators' actuals for the period.

    In bulk, with their history: a fixed number of queries however many values the report carries.
    """
    values = dict(report.indicator_values.values_list("indicator_id", "value"))
    if not values:
        return
    existing = {
        a.indicator_id: a
        for a in Actual.objects.filter(indicator_id__in=values, period_end=report.period_end)
    }
    facts = {
        "reported_by": report.agency,
        "reported_on": report.submitted_on,
        "source": _("Report #%(id)s, accepted on %(date)s") % {"id": report.pk, "date": report.reviewed_on},
    }
    created, updated = [], []
    for indicator_id, value in values.items():
        actual = existing.get(indicator_id)
        if actual is None:
            created.append(
                Actual(indicator_id=indicator_id, period_end=report.period_end, value=value, **facts)
            )
            continue
        actual.value = value
        for name, fact in facts.items():
            setattr(actual, name, fact)
        updated.append(actual)
    if created:
        bulk_history(Actual.objects.bulk_create(created), "+", user)
    if updated:
        bulk_update(updated, ["value", *facts])
        bulk_history(updated, "~", user)
    # Bulk writes raise no signals: the outcomes that name these indicators are told here.
    store.touched_indicators(values)


def submit(report, user, expected_version, on=None):
    return transition(report, user, "submit", expected_version, on=on)


def accept(report, user, expected_version, comment="", on=None):
    return transition(report, user, "accept", expected_version, comment=comment, on=on)


def return_for_rework(report, user, expected_version, comment, on=None):
    return transition(report, user, "return", expected_version, comment=comment, on=on)
