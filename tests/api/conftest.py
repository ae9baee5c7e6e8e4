"""What the API tests share: a demo plan grown by 60 more of everything (bulk-created: these tests are
about the API's reading, not the models' history)."""

import datetime as dt

import pytest

from baqylau.assessment import store
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import DeadlineChange, Event, Instruction
from baqylau.plans.models import Facility, Measure
from baqylau.reference.models import Agency, Sphere, Territory
from baqylau.reports.models import Report, ReportActual

D = dt.date
EXTRA = 60


def add_rows(users, demo, prefix="X"):
    """60 more of everything, each with its related rows, on the Ministry of Energy's side; codes begin
    with ``prefix``."""
    men, akimat = Agency.objects.get(code="MEN"), Agency.objects.get(code="AKIMAT")
    sphere, territory = Sphere.objects.get(code="heat"), Territory.objects.get(code="AKT")
    event = Event.objects.filter(plan=demo).first()
    numbers = range(EXTRA)
    measures = Measure.objects.bulk_create(
        Measure(
            plan=demo, code=f"{prefix}-{n:03}", title=f"Extra measure {n}", sphere=sphere, lead_agency=men,
            start=D(2024, 1, 1), due=D(2026, 12, 31),
        )
        for n in numbers
    )  # fmt: skip
    Measure.territories.through.objects.bulk_create(
        Measure.territories.through(measure=m, territory=territory) for m in measures
    )
    Measure.co_agencies.through.objects.bulk_create(
        Measure.co_agencies.through(measure=m, agency=akimat) for m in measures
    )
    Facility.objects.bulk_create(
        Facility(plan=demo, code=f"{prefix}F-{n:03}", name=f"Facility {n}", kind_id="other", measure=m)
        for n, m in zip(numbers, measures, strict=True)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=demo, code=f"{prefix}I-{n:03}", name=f"Indicator {n}", unit="km", measure=m,
            baseline_value=0, baseline_date=D(2024, 1, 1),
        )
        for n, m in zip(numbers, measures, strict=True)
    )  # fmt: skip
    Target.objects.bulk_create(
        Target(indicator=i, period_end=end, value=value)
        for i in indicators
        for end, value in ((D(2025, 12, 31), 10), (D(2026, 12, 31), 20))
    )
    Actual.objects.bulk_create(
        Actual(indicator=i, period_end=D(2025, 12, 31), value=8, reported_by=men) for i in indicators
    )
    instructions = Instruction.objects.bulk_create(
        Instruction(
            plan=demo,
            code=f"{prefix}N-{n:03}",
            event=event,
            issued_on=D(2024, 6, 14),
            text=f"Do {n}",
            due=D(2024, 12, 31),
        )
        for n in numbers
    )
    Instruction.executors.through.objects.bulk_create(
        Instruction.executors.through(instruction=i, agency=a) for i in instructions for a in (men, akimat)
    )
    Instruction.measures.through.objects.bulk_create(
        Instruction.measures.through(instruction=i, measure=m)
        for i, m in zip(instructions, measures, strict=True)
    )
    DeadlineChange.objects.bulk_create(
        DeadlineChange(
            instruction=i, changed_on=D(2024, 12, 1), old_due=D(2024, 12, 1), new_due=D(2024, 12, 31),
            reason="more time",
        )
        for i in instructions
    )  # fmt: skip
    Event.objects.bulk_create(
        Event(plan=demo, code=f"{prefix}E-{n:03}", title=f"Meeting {n}", date=D(2024, 7, 1)) for n in numbers
    )
    reports = Report.objects.bulk_create(
        Report(
            measure=m, agency=men, period_end=D(2025, 12, 31), narrative="done some", progress=40,
            state="accepted", reviewed_on=D(2026, 1, 5), author=users["energy"],
            reviewed_by=users["reviewer"],
        )
        for m in measures
    )  # fmt: skip
    ReportActual.objects.bulk_create(
        ReportActual(report=r, indicator=i, value=8) for r, i in zip(reports, indicators, strict=True)
    )
    store.refresh_plan(demo)  # bulk writes raise no signals: a bulk writer tells the judgement store


@pytest.fixture
def many_rows(users, demo):
    add_rows(users, demo)
