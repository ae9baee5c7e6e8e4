"""The synthetic generator: marked synthetic, shaped like a national plan, judged, and removable."""

import io

import pytest
from django.core.management import CommandError, call_command

from baqylau.assessment.models import MeasureVerdict, StoreState
from baqylau.indicators.models import Actual, Indicator, Target
from baqylau.instructions.models import Instruction
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reports.models import Report, ReportActual


def synth(*args) -> str:
    out = io.StringIO()
    call_command("synth", *args, "--today", "2026-12-01", stdout=out)
    return out.getvalue()


def test_a_national_plan_is_marked_synthetic_shaped_and_judged(db):
    text = synth("--plans", "2", "--measures-per-plan", "100", "--seed", "7")
    assert "generated 2 synthetic plan(s)" in text
    plan = Plan.objects.get(code="SYN-7-01")
    assert "synthetic" in plan.title.lower() and "seed 7" in plan.source
    measures = Measure.objects.filter(plan=plan)
    assert measures.count() == 100
    assert all(m.source.startswith("synthetic") for m in measures)
    goals = measures.filter(parent__isnull=True)
    assert 0 < goals.count() < 10 and measures.filter(parent__parent__isnull=False).exists()  # three levels
    indicators = Indicator.objects.filter(plan=plan)
    assert indicators.count() == 300
    assert Target.objects.filter(indicator__plan=plan).count() == 300 * 48  # monthly over four years
    assert 0 < Actual.objects.filter(indicator__plan=plan).count() < 300 * 48  # only months that have passed
    assert Instruction.objects.filter(plan=plan).count() == 250
    leaves = measures.filter(children=None).count()
    assert Facility.objects.filter(plan=plan, lat__isnull=False).count() == leaves
    states = set(Report.objects.filter(measure__plan=plan).values_list("state", flat=True))
    assert {"accepted", "submitted"} <= states
    # Judged once, at the end: every measure has its verdict, in a realistic mix.
    assert StoreState.objects.get(plan=plan).measures == 100
    statuses = set(MeasureVerdict.objects.filter(plan=plan).values_list("status", flat=True))
    assert {"done", "late"} <= statuses and statuses & {"on_track", "at_risk"}


def test_the_same_seed_gives_the_same_plan_and_is_refused_twice(db):
    synth("--plans", "1", "--measures-per-plan", "40", "--seed", "3")
    first = list(Report.objects.filter(measure__plan__code="SYN-3-01").values_list("period_end", "progress"))
    with pytest.raises(CommandError, match="exist already"):
        synth("--plans", "1", "--measures-per-plan", "40", "--seed", "3")
    synth("--plans", "1", "--measures-per-plan", "40", "--seed", "3", "--replace")
    again = list(Report.objects.filter(measure__plan__code="SYN-3-01").values_list("period_end", "progress"))
    assert sorted(first) == sorted(again)


def test_the_rsr_profile_is_the_peers_workload(db):
    synth("--profile", "rsr", "--scale", "1", "--seed", "5")
    plan = Plan.objects.get(code="SYN-5-RSR1")
    assert Measure.objects.filter(plan=plan).count() == 21
    assert Indicator.objects.filter(plan=plan).count() == 21 * 50
    assert Target.objects.filter(indicator__plan=plan).count() == 21 * 50 * 12
    accepted = Report.objects.filter(measure__plan=plan, state="accepted")
    assert accepted.count() == 21 * 12 * 2
    waiting = Report.objects.filter(measure__plan=plan, state="submitted")
    assert waiting.count() == 21
    assert ReportActual.objects.filter(report__in=waiting).count() == 21 * 50


def test_remove_deletes_only_synthetic_plans(demo):
    synth("--plans", "1", "--measures-per-plan", "30", "--seed", "9")
    out = io.StringIO()
    call_command("synth", "--remove", "--seed", "9", stdout=out)
    assert "removed 1" in out.getvalue()
    assert not Plan.objects.filter(code__startswith="SYN-9-").exists()
    assert not Measure.objects.filter(code__startswith="SYN-", plan__code__startswith="SYN-9").exists()
    assert Plan.objects.filter(code=demo.code).exists() and demo.measures.count() == 16
