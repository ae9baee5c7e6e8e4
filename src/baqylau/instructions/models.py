"""Visits and meetings, the instructions officials issue at them, their delegation, every change of a
deadline and every request for one."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from baqylau.core.audit import audited
from baqylau.core.codes import validate_code
from baqylau.core.dates import validate_plan_date
from baqylau.core.fields import (
    INSTRUCTION_TEXT_MAX,
    NOTE_MAX,
    Sourced,
    TranslatedTitle,
    Versioned,
    text_limit,
)
from baqylau.core.translation import TranslatedStrMixin
from baqylau.plans.models import Measure, Plan
from baqylau.reference.models import Agency


class Event(TranslatedTitle, Sourced):
    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        MEETING = "meeting", _("meeting")
        SESSION = "session", _("session")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="events")
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    date = models.DateField(_("date"), validators=[validate_plan_date])
    held_by = models.CharField(_("held by"), max_length=300, blank=True)
    held_by_ru = models.CharField(_("held by (ru)"), max_length=300, blank=True)
    held_by_kk = models.CharField(_("held by (kk)"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    place_ru = models.CharField(_("place (ru)"), max_length=300, blank=True)
    place_kk = models.CharField(_("place (kk)"), max_length=300, blank=True)
    history = audited()

    class Meta:
        ordering = ["plan", "date", "code"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="event_code_unique_in_plan")]


class InstructionQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Bulk writers (imports, fixtures) get the same original due as ``save`` gives."""
        objs = list(objs)
        for obj in objs:
            obj._issue_original()
        return super().bulk_create(objs, *args, **kwargs)


class Instruction(TranslatedStrMixin, Sourced, Versioned):
    class Status(models.TextChoices):
        """The administrative state; whether it is overdue or at risk is judged, not stored.

        Executed means removed from control (the controller accepted the execution)."""

        OPEN = "open", _("on control")
        EXECUTED = "executed", _("removed from control")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Stage(models.TextChoices):
        """Where an instruction on control stands in its workflow (``instructions/workflow.py``)."""

        ISSUED = "issued", _("issued")
        IN_PROGRESS = "in_progress", _("in progress")
        REPORTED = "reported", _("execution reported")
        RETURNED = "returned", _("returned for rework")

    class Every(models.TextChoices):
        """How often a recurring instruction is reported on until it is executed."""

        NEVER = "", _("once")
        WEEK = "week", _("weekly")
        MONTH = "month", _("monthly")
        QUARTER = "quarter", _("quarterly")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="instructions"
    )
    code = models.CharField(_("code"), max_length=40, validators=[validate_code])
    event = models.ForeignKey(
        Event,
        verbose_name=_("issued at"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="instructions",
    )
    issued_on = models.DateField(_("issued on"), validators=[validate_plan_date])
    issued_by = models.CharField(_("issued by"), max_length=300, blank=True)
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issuer (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_instructions",
        help_text=_("The user who issued it here; they may withdraw it."),
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("controller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="controlled_instructions",
        help_text=_("Who follows the instruction and decides on it; empty: the project office."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("delegated from"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="children",
    )
    text = models.TextField(_("text"), **text_limit(INSTRUCTION_TEXT_MAX))
    text_ru = models.TextField(_("text (ru)"), blank=True, **text_limit(INSTRUCTION_TEXT_MAX))
    text_kk = models.TextField(_("text (kk)"), blank=True, **text_limit(INSTRUCTION_TEXT_MAX))
    # Every executing agency, the responsible one included; the others are its co-executors.
    executors = models.ManyToManyField(Agency, verbose_name=_("executors"), related_name="instructions")
    responsible = models.ForeignKey(
        Agency,
        verbose_name=_("responsible executor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for_instructions",
        help_text=_("The first-named executor: it coordinates the co-executors and answers for the result."),
    )
    responsible_official = models.CharField(_("responsible official"), max_length=300, blank=True)
    term_days = models.PositiveIntegerField(_("term, days"), null=True, blank=True)
    original_due = models.DateField(
        _("original due"),
        validators=[validate_plan_date],
        help_text=_(
            "The deadline first ordered; never changed after issue. Discipline is measured against it."
        ),
    )
    due = models.DateField(_("current due"), validators=[validate_plan_date])
    report_every = models.CharField(
        _("report"), max_length=8, choices=Every.choices, blank=True, default=Every.NEVER
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.ISSUED)
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures"), blank=True, related_name="instructions"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, help_text=_("When it was accepted as executed, or withdrawn.")
    )
    history = audited(m2m_fields=[executors, measures])
    objects = InstructionQuerySet.as_manager()

    text_field = "text"

    class Meta:
        ordering = ["plan", "due", "code"]
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="instruction_code_unique_in_plan"),
            models.CheckConstraint(
                condition=Q(due__gte=F("issued_on")),
                name="instruction_due_not_before_issue",
                violation_error_message=_("The due date must not be before the date of issue."),
            ),
            models.CheckConstraint(
                condition=Q(original_due__gte=F("issued_on")),
                name="instruction_original_due_not_before_issue",
                violation_error_message=_("The original due date must not be before the date of issue."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="instruction_not_own_parent",
                violation_error_message=_("An instruction cannot be delegated from itself."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="instruction_closed_on_matches_status",
                violation_error_message=_(
                    "An open instruction has no closing date; an executed or withdrawn one needs it."
                ),
            ),
        ]

    def __str__(self) -> str:
        text = self.label
        return f"{self.code} — {text[:80]}{'…' if len(text) > 80 else ''}"

    # What was ordered at issue; later only the current due moves, by a kept DeadlineChange.
    FIXED_AT_ISSUE = ("issued_on", "term_days", "original_due")

    def _issue_original(self) -> None:
        if self.original_due is None and not self.pk:  # a new instruction: what is ordered is the original
            self.original_due = self.due

    def clean_fields(self, exclude=None):
        self._issue_original()
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        self._issue_original()
        super().save(*args, **kwargs)

    @property
    def initial_due(self) -> datetime.date:
        """The deadline as first ordered (kept for readers of the former name)."""
        return self.original_due

    @property
    def on_control(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def state(self) -> str:
        """The workflow state: the stage while on control, else executed (removed) or withdrawn."""
        return self.state_of(self.status, self.stage)

    @classmethod
    def state_of(cls, status: str, stage: str) -> str:
        """``state`` from the two stored values (for lists read as rows)."""
        return stage if status == cls.Status.OPEN else status

    def co_executors(self) -> list[Agency]:
        """The executors other than the responsible one (from the prefetched executors when there)."""
        return [a for a in self.executors.all() if a.pk != self.responsible_id]

    def clean(self):
        errors = {}
        self._issue_original()
        # A term ("one week") fixes the first deadline; later extensions are DeadlineChange rows.
        if self.term_days is not None and self.issued_on and self.original_due and not self.pk:
            expected = self.issued_on + datetime.timedelta(days=self.term_days)
            if self.original_due != expected:
                field = "due" if self.original_due == self.due else "original_due"
                errors[field] = _("Due must be %(date)s: issued on plus the term of %(days)s days.") % {
                    "date": expected.isoformat(),
                    "days": self.term_days,
                }
        if self.pk:
            stored = Instruction.objects.filter(pk=self.pk).values(*self.FIXED_AT_ISSUE).first()
            for name, value in (stored or {}).items():
                if getattr(self, name) != value:
                    errors[name] = _("What was ordered at issue does not change; it was %(value)s.") % {
                        "value": value if value is not None else "—"
                    }
        if self.parent_id:
            errors.update(self._parent_errors())
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self) -> dict:
        parent = self.parent
        if parent.plan_id != self.plan_id:
            return {"parent": _("A sub-instruction belongs to its parent's plan.")}
        seen, node = {self.pk}, parent
        while node is not None:  # the tree must not loop back to this instruction
            if node.pk in seen:
                return {"parent": _("Delegation cannot go in a circle.")}
            seen.add(node.pk)
            node = node.parent
        if self.due and self.due > parent.due:
            return {
                "due": _("A sub-instruction is due by its parent's due date, %(date)s.")
                % {"date": parent.due.isoformat()}
            }
        if self.issued_on and self.issued_on < parent.issued_on:
            return {
                "issued_on": _("A sub-instruction cannot be issued before its parent, %(date)s.")
                % {"date": parent.issued_on.isoformat()}
            }
        return {}


class DeadlineChange(models.Model):
    """An extension (or shortening) of an instruction's deadline, with its reason. Never edited."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="deadline_changes")
    changed_on = models.DateField(_("changed on"), validators=[validate_plan_date])
    old_due = models.DateField(_("old due"), validators=[validate_plan_date])
    new_due = models.DateField(_("new due"), validators=[validate_plan_date])
    reason = models.TextField(_("reason"), **text_limit(NOTE_MAX))
    decided_by = models.CharField(_("decided by"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = audited()

    class Meta:
        ordering = ["instruction", "changed_on", "pk"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="deadline_change_has_reason",
                violation_error_message=_("A deadline change needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(new_due=F("old_due")),
                name="deadline_change_changes_date",
                violation_error_message=_("A deadline change must move the date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instruction.code}: {self.old_due} → {self.new_due}"


class ExtensionRequest(models.Model):
    """An executor's request to move the deadline, made before it with a reason, and its decision."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("requested")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="extension_requests")
    requested_on = models.DateField(_("requested on"), validators=[validate_plan_date])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    due_then = models.DateField(_("due when requested"), validators=[validate_plan_date])
    proposed_due = models.DateField(_("proposed due"), validators=[validate_plan_date])
    reason = models.TextField(_("reason"), **text_limit(NOTE_MAX))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_comment = models.TextField(_("decision comment"), blank=True, **text_limit(NOTE_MAX))
    deadline_change = models.OneToOneField(
        DeadlineChange, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )
    history = audited()

    class Meta:
        ordering = ["instruction", "requested_on", "pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="extension_request_has_reason",
                violation_error_message=_("An extension request needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(proposed_due__gt=F("due_then")),
                name="extension_request_moves_later",
                violation_error_message=_("An extension moves the deadline later."),
            ),
            models.CheckConstraint(
                condition=Q(requested_on__lt=F("due_then")),
                name="extension_request_before_due",
                violation_error_message=_("An extension is requested before the deadline."),
            ),
            models.UniqueConstraint(
                fields=["instruction"],
                condition=Q(state="requested"),
                name="one_open_extension_request",
                violation_error_message=_(
                    "The instruction already has an extension request awaiting a decision."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instruction.code}: {self.due_then} → {self.proposed_due} ({self.state})"
