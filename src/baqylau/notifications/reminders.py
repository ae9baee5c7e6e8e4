"""The reminder rules: which message goes to whom on a day. The judgements say what is open and when a
report is owed (``PlanReader``, as of the day); nothing is judged here.

- an open instruction, and an open measure, N days before its due date (per plan: ``ReminderSchedule``,
  by default 7 and 1) and on the first day overdue, to the executing agencies' contacts;
- a measure awaiting a report (its last accepted report, or its start, plus the plan's reporting
  interval) N days before the report is owed and on the first day it is overdue;
- an extension requested → the project office; decided → the executors (``extension_requested`` and
  ``extension_decided``, for the extension workflow to call);
- the weekly digest to the office on the plan's digest weekday: what became late, what is due next
  week, reports waiting for review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from baqylau.assessment.reading import PlanReader
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure, Plan
from baqylau.reference.models import Agency
from baqylau.reports.models import Report

from .delivery import plan_notification
from .models import Notification, ReminderSchedule
from .recipients import agency_recipients, item_agencies, office_recipients

DEFAULT_DAYS = (7, 1)
DIGEST_WEEKDAY = 0  # Monday
Rule = Notification.Rule


@dataclass(frozen=True)
class Due:
    """One reminder the rules call for: ``days`` before ``due`` (negative: overdue by so many days)."""

    rule: str
    item: Measure | Instruction
    due: dt.date
    days: int

    @property
    def item_key(self) -> str:
        kind = "measure" if isinstance(self.item, Measure) else "instruction"
        return f"{kind}:{self.item.code}"


def schedule_of(plan: Plan) -> tuple[tuple[int, ...], int]:
    """(days before a due date, digest weekday) of the plan."""
    schedule = ReminderSchedule.objects.filter(plan=plan).first()
    if schedule is None:
        return DEFAULT_DAYS, DIGEST_WEEKDAY
    return tuple(schedule.days_before) or DEFAULT_DAYS, schedule.digest_weekday


def link_to(item) -> str:
    base = settings.BAQYLAU_SITE_URL.rstrip("/")
    if isinstance(item, Measure):
        return base + reverse("web:measure", args=[item.plan.code, item.code])
    return base + reverse("web:instructions") + f"?plan={item.plan.code}#{item.code}"


def due_reminders(plan: Plan, day: dt.date, reader: PlanReader | None = None) -> list[Due]:
    """Every reminder the rules call for on ``day``."""
    days_before, _weekday = schedule_of(plan)
    reader = reader or PlanReader(plan, day)
    found: list[Due] = []

    def check(rule_soon, rule_over, item, due):
        left = (due - day).days
        if left in days_before:
            found.append(Due(rule_soon, item, due, left))
        elif left == -1:
            found.append(Due(rule_over, item, due, left))

    instructions = Instruction.objects.filter(plan=plan).select_related("plan")
    for row in reader.instruction_rows(
        instructions.prefetch_related("executors"), status=("open", "at_risk", "overdue")
    ):
        check(Rule.DUE_SOON, Rule.OVERDUE, row["instruction"], row["judgement"].due)

    measures = Measure.objects.filter(plan=plan, children__isnull=True).select_related("plan")
    interval = dt.timedelta(days=plan.reporting_interval_days)
    for row in reader.measure_rows(measures.prefetch_related("co_agencies")):
        measure, judgement = row["measure"], row["judgement"]
        if judgement.status.value in ("done", "not_started"):
            continue  # done and not-yet-started measures owe nothing
        check(Rule.DUE_SOON, Rule.OVERDUE, measure, measure.due)
        anchor = judgement.last_report_on or measure.start
        if anchor is not None:
            check(Rule.REPORT_DUE_SOON, Rule.REPORT_OVERDUE, measure, anchor + interval)
    return found


# --- the texts, in the recipient's language --------------------------------------------------------------


def reminder_text(due: Due) -> tuple[str, str]:
    """(subject, body) in the active language."""
    item = due.item
    params = {"code": item.code, "title": item.label, "due": due.due.isoformat(), "days": due.days}
    is_measure = isinstance(item, Measure)
    if due.rule == Rule.DUE_SOON:
        subject = (
            ngettext(
                "Measure %(code)s is due in %(days)s day (%(due)s)",
                "Measure %(code)s is due in %(days)s days (%(due)s)",
                due.days,
            )
            if is_measure
            else ngettext(
                "Instruction %(code)s is due in %(days)s day (%(due)s)",
                "Instruction %(code)s is due in %(days)s days (%(due)s)",
                due.days,
            )
        ) % params
        action = _("Report its execution in Baqylau before the due date.")
    elif due.rule == Rule.OVERDUE:
        subject = (
            _("Measure %(code)s is overdue: it was due on %(due)s")
            if is_measure
            else _("Instruction %(code)s is overdue: it was due on %(due)s")
        ) % params
        action = _("Report its execution, or what stands in the way, in Baqylau today.")
    elif due.rule == Rule.REPORT_DUE_SOON:
        subject = (
            ngettext(
                "A report on measure %(code)s is due in %(days)s day (%(due)s)",
                "A report on measure %(code)s is due in %(days)s days (%(due)s)",
                due.days,
            )
            % params
        )
        action = _("Submit a report with its progress in Baqylau before then.")
    else:
        subject = _("The report on measure %(code)s is overdue: it was due on %(due)s") % params
        action = _("Without a new report the measure counts as at risk. Submit one in Baqylau.")
    body = f"{item.code} — {item.label}\n\n{action}"
    return subject, body


def send_due_reminders(plan: Plan, day: dt.date, reader: PlanReader | None = None) -> list[Notification]:
    """Write and queue the day's reminders of ``plan``; those already written are skipped."""
    sent = []
    for due in due_reminders(plan, day, reader):
        for contact in agency_recipients(due.item, item_agencies(due.item)):
            with translation.override(contact.language):
                subject, body = reminder_text(due)
            notification = plan_notification(
                rule=due.rule,
                plan=plan,
                item_key=due.item_key,
                day=day,
                contact=contact,
                subject=subject,
                body=body,
                link=link_to(due.item),
            )
            if notification is not None:
                sent.append(notification)
    return sent


# --- extensions: called by the extension workflow ---------------------------------------------------------


def extension_requested(
    instruction: Instruction, new_due: dt.date, reason: str, requested_by: Agency | None, day: dt.date
) -> list[Notification]:
    """An executor asked to move an instruction's deadline: the project office is told."""
    sent = []
    for contact in office_recipients():
        with translation.override(contact.language):
            params = {
                "code": instruction.code,
                "due": instruction.due.isoformat(),
                "new": new_due.isoformat(),
                "agency": requested_by.label if requested_by else "—",
            }
            subject = _("Extension requested for instruction %(code)s: %(due)s → %(new)s") % params
            body = (
                f"{instruction.code} — {instruction.label}\n\n"
                + _("%(agency)s asks to move the deadline from %(due)s to %(new)s.") % params
                + "\n"
                + _("Reason: %(reason)s") % {"reason": reason}
            )
        n = plan_notification(
            rule=Rule.EXTENSION_REQUESTED,
            plan=instruction.plan,
            item_key=f"instruction:{instruction.code}",
            day=day,
            contact=contact,
            subject=subject,
            body=body,
            link=link_to(instruction),
        )
        if n is not None:
            sent.append(n)
    return sent


def extension_decided(
    instruction: Instruction, granted: bool, new_due: dt.date | None, comment: str, day: dt.date
) -> list[Notification]:
    """The office granted or refused an extension: the executing agencies are told."""
    sent = []
    for contact in agency_recipients(instruction, item_agencies(instruction)):
        with translation.override(contact.language):
            params = {"code": instruction.code, "due": instruction.due.isoformat()}
            if granted:
                subject = _("Extension granted for instruction %(code)s: now due %(new)s") % {
                    **params,
                    "new": (new_due or instruction.due).isoformat(),
                }
            else:
                subject = _("Extension refused for instruction %(code)s: still due %(due)s") % params
            body = f"{instruction.code} — {instruction.label}\n\n{comment}".rstrip()
        n = plan_notification(
            rule=Rule.EXTENSION_DECIDED,
            plan=instruction.plan,
            item_key=f"instruction:{instruction.code}",
            day=day,
            contact=contact,
            subject=subject,
            body=body,
            link=link_to(instruction),
        )
        if n is not None:
            sent.append(n)
    return sent


# --- the office's weekly digest -----------------------------------------------------------------------------


@dataclass
class Digest:
    newly_late: list[Measure]
    due_next_week: list[tuple[dt.date, object]]  # (due, measure or instruction), by date
    awaiting_review: int


def digest_of(plan: Plan, day: dt.date, reader: PlanReader | None = None) -> Digest:
    reader = reader or PlanReader(plan, day)
    week_ago = PlanReader(plan, day - dt.timedelta(days=7))
    leaves = Measure.objects.filter(plan=plan, children__isnull=True).select_related("plan")
    was_late = {r["measure"].pk for r in week_ago.measure_rows(leaves, status="late")}
    newly_late = [
        r["measure"] for r in reader.measure_rows(leaves, status="late") if r["measure"].pk not in was_late
    ]
    next_week = (day + dt.timedelta(days=1), day + dt.timedelta(days=7))
    due = [
        (r["judgement"].due, r["instruction"])
        for r in reader.instruction_rows(
            Instruction.objects.filter(plan=plan).select_related("plan"), status=("open", "at_risk")
        )
        if next_week[0] <= r["judgement"].due <= next_week[1]
    ]
    due += [
        (r["measure"].due, r["measure"])
        for r in reader.measure_rows(leaves.filter(due__range=next_week))
        if r["judgement"].status.value != "done"
    ]
    waiting = Report.objects.filter(
        Q(measure__plan=plan) | Q(instruction__plan=plan), state=Report.State.SUBMITTED
    ).count()
    return Digest(newly_late, sorted(due, key=lambda d: (d[0], d[1].code)), waiting)


def digest_text(plan: Plan, day: dt.date, digest: Digest) -> tuple[str, str]:
    subject = _("Weekly digest of %(plan)s, %(date)s") % {"plan": plan.code, "date": day.isoformat()}
    lines = [plan.label, ""]
    lines.append(_("Became late this week: %(count)s") % {"count": len(digest.newly_late)})
    lines += [f"  {m.code} — {m.label}" for m in digest.newly_late]
    lines.append("")
    lines.append(_("Due next week: %(count)s") % {"count": len(digest.due_next_week)})
    lines += [f"  {due.isoformat()}  {item.code} — {item.label[:120]}" for due, item in digest.due_next_week]
    lines.append("")
    lines.append(_("Reports waiting for review: %(count)s") % {"count": digest.awaiting_review})
    return subject, "\n".join(lines)


def send_digest(plan: Plan, day: dt.date, reader: PlanReader | None = None, force: bool = False):
    """The office's digest, on the plan's digest weekday (or any day with ``force``)."""
    _days, weekday = schedule_of(plan)
    if day.weekday() != weekday and not force:
        return []
    digest = digest_of(plan, day, reader)
    link = settings.BAQYLAU_SITE_URL.rstrip("/") + reverse("web:dashboard") + f"?plan={plan.code}"
    sent = []
    for contact in office_recipients():
        with translation.override(contact.language):
            subject, body = digest_text(plan, day, digest)
        n = plan_notification(
            rule=Rule.DIGEST,
            plan=plan,
            item_key="digest",
            day=day,
            contact=contact,
            subject=subject,
            body=body,
            link=link,
        )
        if n is not None:
            sent.append(n)
    return sent
