"""The judgement store: today's verdict on every measure and instruction, and the roll-ups.

Derived data, written only by ``store.py`` (never edited, not audited: the audit history is of the
facts it is derived from). Pages, the API, commands and briefings read "today" from here; "as of"
another date is computed (``judgements.py``).
"""

from django.db import models

from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure, Plan

# Worst first: what a list of "what needs attention" sorts by.
MEASURE_STATUS_RANK = {"late": 0, "at_risk": 1, "on_track": 2, "not_started": 3, "done": 4}
INSTRUCTION_STATUS_RANK = {
    "overdue": 0,
    "at_risk": 1,
    "open": 2,
    "not_issued": 3,
    "executed": 4,
    "withdrawn": 5,
}


class StoreState(models.Model):
    """When a plan's judgements were last computed, and as of which date."""

    plan = models.OneToOneField(Plan, primary_key=True, on_delete=models.CASCADE, related_name="store_state")
    as_of = models.DateField()
    refreshed_at = models.DateTimeField()
    measures = models.PositiveIntegerField(default=0)
    instructions = models.PositiveIntegerField(default=0)
    full_refresh_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.plan_id} as of {self.as_of}"


class MeasureVerdict(models.Model):
    """A measure's judgement as of ``as_of``: the fields of ``judging.MeasureJudgement``."""

    measure = models.OneToOneField(
        Measure, primary_key=True, on_delete=models.CASCADE, related_name="verdict"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    status = models.CharField(max_length=12)
    status_rank = models.PositiveSmallIntegerField()
    confidence = models.CharField(max_length=12)
    confidence_score = models.PositiveSmallIntegerField()  # 0 green .. 4 red
    progress = models.FloatField(null=True)
    planned = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    behind = models.BooleanField(default=False)
    forecast_finish = models.DateField(null=True)
    forecast_note = models.CharField(max_length=30, blank=True)
    slip_days = models.IntegerField(null=True)
    finished_on = models.DateField(null=True)
    last_report_on = models.DateField(null=True)
    stale = models.BooleanField(default=False)
    report_count = models.PositiveIntegerField(default=0)
    forecast_points = models.PositiveIntegerField(default=0)
    progress_source = models.CharField(max_length=10)
    children_total = models.PositiveIntegerField(default=0)
    children_known = models.PositiveIntegerField(default=0)
    unknown_weight_share = models.FloatField(null=True)
    start = models.DateField(null=True)
    due = models.DateField()
    weight = models.FloatField()
    is_leaf = models.BooleanField()
    outcome = models.JSONField(null=True)  # the declared outcome as judged: {"kind", "met_on", "detail"}
    # Likelihood of finishing by the due date (open measures; ``judging.likelihood``), its 80% interval
    # of the finish date, and the reference class it rests on ({"level", "sphere", "agency", ...}).
    likelihood = models.FloatField(null=True)
    finish_low = models.DateField(null=True)
    finish_high = models.DateField(null=True)
    likelihood_basis = models.JSONField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["plan", "status_rank", "due"], name="verdict_attention"),
            models.Index(fields=["plan", "is_leaf", "status"], name="verdict_leaf_status"),
        ]

    def __str__(self) -> str:
        return f"measure {self.measure_id}: {self.status} as of {self.as_of}"


class ReferenceStats(models.Model):
    """What the plan's resolved measures say about delivering on time, by reference class
    (``judging.likelihood.ReferenceTable`` as JSON), learned as of ``as_of`` with the daily step."""

    plan = models.OneToOneField(Plan, primary_key=True, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    resolved = models.PositiveIntegerField(default=0)  # measures due before as_of it learned from
    table = models.JSONField(default=dict)  # its own "as_of" is the day it was learned
    # Each resolved measure's standing (``judging.likelihood.Standing`` as JSON) the table was made of:
    # the next day's table is these plus the newly resolved measures'. Read only by the daily step.
    standings = models.JSONField(default=list)
    # A write touched a resolved measure since: the next daily step learns the table anew.
    stale = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"reference classes of plan {self.plan_id} as of {self.as_of} ({self.resolved} measures)"


class MeasureDigest(models.Model):
    """What a measure's own facts said when last read (``judging.OwnFigures``), and its groups.

    Dates are ordinals (-1 for none). These stay true until ``until``: as days pass, the store
    re-decides the verdict from them without reading the facts again, and reads a measure's facts
    again once a new fact comes due (a report dated or reviewed later, a commissioning dated later,
    the next milestone of its planned curve).
    """

    measure = models.OneToOneField(Measure, primary_key=True, on_delete=models.CASCADE, related_name="digest")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    parent_measure = models.BigIntegerField(null=True)
    start = models.IntegerField()
    due = models.IntegerField()
    weight = models.FloatField()
    completed = models.IntegerField()
    has_report = models.BooleanField()
    last_report = models.IntegerField()
    progress = models.FloatField(null=True)
    report_count = models.IntegerField()
    completion_day = models.IntegerField()
    forecast_finish = models.IntegerField()
    forecast_note = models.SmallIntegerField()
    forecast_points = models.IntegerField()
    left_day = models.IntegerField()
    left_planned = models.FloatField(null=True)
    right_day = models.IntegerField()
    right_planned = models.FloatField(null=True)
    until = models.IntegerField()
    # The groups the measure counts in ({"plan": [..], "sphere": [..], "territory": [..], "agency": [..]}):
    # when its verdict or its groups change, the store moves it out of exactly these.
    groups = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["plan", "until"], name="digest_due_again")]

    def __str__(self) -> str:
        return f"digest of measure {self.measure_id} until {self.until}"


class InstructionVerdict(models.Model):
    """An instruction's judgement as of ``as_of``: the fields of ``judging.InstructionJudgement``."""

    instruction = models.OneToOneField(
        Instruction, primary_key=True, on_delete=models.CASCADE, related_name="verdict"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField()
    status = models.CharField(max_length=12)
    status_rank = models.PositiveSmallIntegerField()
    issued_on = models.DateField()
    due = models.DateField()
    executed_on = models.DateField(null=True)
    withdrawn_on = models.DateField(null=True)
    last_report_on = models.DateField(null=True)
    original_due = models.DateField(null=True)  # the deadline first ordered (null: the due)
    extensions = models.PositiveSmallIntegerField(default=0)
    open_children = models.PositiveIntegerField(default=0)  # sub-instructions holding a parent back
    groups = models.JSONField(default=dict)
    own_until = models.IntegerField()  # the first day a fact not yet known comes due (an ordinal)

    class Meta:
        indexes = [models.Index(fields=["plan", "status_rank", "due"], name="instruction_verdict_attention")]

    def __str__(self) -> str:
        return f"instruction {self.instruction_id}: {self.status} as of {self.as_of}"


class GroupRollup(models.Model):
    """A group's additive totals (``judging.GroupTotals``) for today: plan, sphere, territory, agency."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)  # measure, instruction
    grouping = models.CharField(max_length=12)  # plan, sphere, territory, agency
    key = models.CharField(max_length=40)
    total = models.IntegerField(default=0)
    counts = models.JSONField(default=dict)
    confidence_counts = models.JSONField(default=dict)
    weight = models.FloatField(default=0)
    weight_known = models.FloatField(default=0)
    weighted = models.FloatField(default=0)
    known = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "grouping", "key"], name="group_rollup_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.grouping} {self.key}: {self.total}"
