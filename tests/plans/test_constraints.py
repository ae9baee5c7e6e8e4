"""The database refuses data that cannot be true, and the model says why in words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from baqylau.instructions.models import DeadlineChange, Instruction
from baqylau.plans.models import Facility, Measure
from baqylau.reports.models import Report

D = dt.date


def refused(obj, message: str, constraint: str):
    """Both doors are shut: full_clean names the reason, and a raw save hits the database constraint."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in str(excinfo.value)
    with pytest.raises(IntegrityError) as db_error, transaction.atomic():
        obj.save()
    assert constraint in str(db_error.value) or "UNIQUE" in str(db_error.value).upper()


@pytest.fixture
def measure(demo):
    return Measure.objects.get(code="W-01")


def copy_of(measure, **changes):
    fields = {
        f.attname: getattr(measure, f.attname) for f in Measure._meta.concrete_fields if not f.primary_key
    }
    return Measure(**{**fields, **changes})


def test_measure_code_is_unique_within_its_plan(measure):
    with pytest.raises(ValidationError, match="already exists"):
        copy_of(measure).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_of(measure).save()


def test_due_not_before_start(measure):
    refused(
        copy_of(measure, code="X-1", start=D(2025, 1, 2), due=D(2025, 1, 1)),
        "must not be before the start",
        "measure_due_not_before_start",
    )


def test_due_on_the_start_day_is_allowed(measure):
    copy_of(measure, code="X-2", start=D(2025, 1, 1), due=D(2025, 1, 1)).full_clean()


@pytest.mark.parametrize(
    ("field", "constraint"),
    [
        ("weight", "measure_weight_non_negative"),
        ("budget_planned_kzt", "measure_budget_planned_non_negative"),
        ("budget_spent_kzt", "measure_budget_spent_non_negative"),
    ],
)
def test_weights_and_budgets_not_negative(measure, field, constraint):
    refused(copy_of(measure, code="X-3", **{field: -1}), "must not be negative", constraint)


@pytest.mark.parametrize("field", ["capacity_baseline", "capacity_target"])
def test_capacities_not_negative(measure, field):
    kos = Facility.objects.get(code="KOS-2")
    bad = Facility(plan=kos.plan, measure=measure, code="X-F", name="x", kind_id="other", **{field: -5})
    refused(bad, "must not be negative", f"facility_{field}_non_negative")


@pytest.mark.parametrize("progress", [Decimal("-0.01"), Decimal("100.01")])
def test_progress_within_0_100(measure, progress):
    report = Report(
        measure=measure,
        agency=measure.lead_agency,
        period_end=D(2025, 1, 1),
        narrative="n",
        progress=progress,
    )
    refused(report, "Ensure this value is", "report_progress_within_0_100")  # the field says so first


def test_report_is_on_exactly_one_item(measure):
    instruction = Instruction.objects.get(code="I-01")
    both = Report(
        measure=measure,
        instruction=instruction,
        agency=measure.lead_agency,
        period_end=D(2025, 1, 1),
        narrative="n",
    )
    refused(both, "exactly one", "report_on_exactly_one_item")


def test_returned_report_needs_a_comment(measure):
    report = Report(
        measure=measure,
        agency=measure.lead_agency,
        period_end=D(2025, 1, 1),
        narrative="n",
        state=Report.State.RETURNED,
    )
    refused(report, "needs a comment", "report_returned_with_comment")


def test_instruction_due_not_before_issue(demo):
    instruction = Instruction(plan=demo, code="X-I", issued_on=D(2025, 5, 1), due=D(2025, 4, 30), text="t")
    refused(instruction, "before the date of issue", "instruction_due_not_before_issue")


def test_instruction_due_must_follow_from_its_term(demo):
    instruction = Instruction(
        plan=demo, code="X-J", issued_on=D(2025, 5, 1), term_days=7, due=D(2025, 5, 9), text="t"
    )
    with pytest.raises(ValidationError, match="2025-05-08"):
        instruction.full_clean(exclude=["executors"])


def test_deadline_change_needs_a_reason(demo):
    change = DeadlineChange(
        instruction=Instruction.objects.get(code="I-01"),
        changed_on=D(2024, 6, 20),
        old_due=D(2024, 6, 21),
        new_due=D(2024, 7, 21),
        reason="",
    )
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        change.save()
    assert "deadline_change_has_reason" in str(excinfo.value)
