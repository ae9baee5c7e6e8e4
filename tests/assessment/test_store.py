"""The judgement store: what pages, the API and commands read for today is never stale.

Freshness from the user's side (a report accepted shows at once on every page and in the API; the
next day a measure whose due date passed is late), and consistency (the store after any sequence of
item-by-item changes equals a full re-judging of the plan, roll-ups included).
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baqylau.assessment import store
from baqylau.assessment.judgements import judge_plan
from baqylau.assessment.models import GroupRollup, InstructionVerdict, MeasureVerdict, StoreState
from baqylau.assessment.reading import PlanReader
from baqylau.instructions.models import Instruction
from baqylau.instructions.services import change_deadline
from baqylau.judging import group_totals
from baqylau.plans.models import Facility, Measure
from baqylau.reference.models import Sphere, Territory
from baqylau.reports import workflow
from baqylau.reports.models import Report

D = dt.date


def today():
    return timezone.localdate()


def stored(code):
    return MeasureVerdict.objects.get(measure__code=code)


def accepted_report(measure, users, progress, period_end=None):
    report = Report.objects.create(
        measure=measure,
        agency=measure.lead_agency,
        period_end=period_end or today() - dt.timedelta(days=1),
        narrative="Works under way.",
        progress=progress,
        author=users["office"],
    )
    workflow.submit(report, users["office"], report.version)
    workflow.accept(report, users["reviewer"], report.version)
    return report


def snapshot(plan):
    """The store's content, comparable across refreshes."""
    verdicts = sorted(
        MeasureVerdict.objects.filter(plan=plan).values_list(
            "measure_id",
            "status",
            "confidence",
            "progress",
            "planned",
            "forecast_finish",
            "is_leaf",
            "measure__digest__groups",
            "measure__digest__until",
            "measure__digest__forecast_finish",
            "measure__digest__left_day",
            "measure__digest__right_day",
        )
    )
    instructions = sorted(
        InstructionVerdict.objects.filter(plan=plan).values_list("instruction_id", "status", "due")
    )
    rollups = sorted(
        (r["kind"], r["grouping"], r["key"], r["total"], sorted(r["counts"].items()), round(r["weighted"], 6))
        for r in GroupRollup.objects.filter(plan=plan).values()
    )
    return verdicts, instructions, rollups


def test_the_store_holds_what_judging_the_plan_today_gives(demo):
    store.ensure_current(demo)
    judged = judge_plan(demo, today())
    assert StoreState.objects.get(plan=demo).as_of == today()
    for code, verdict in judged.measures.items():
        row = stored(code)
        assert (row.status, row.confidence, row.progress, row.planned, row.slip_days) == (
            verdict.status.value,
            verdict.confidence.value,
            verdict.progress,
            verdict.planned,
            verdict.slip_days,
        ), code
    reader = PlanReader(demo, today())
    assert reader.summary() == judged_summary(judged, "plan")[demo.code]
    assert reader.rollup("sphere") == judged_summary(judged, "sphere")


def judged_summary(judged, by):
    groups = store.measure_groups(judged.plan)
    keys = {code: groups[judged.measure_ids[code]][by] for code in judged.leaf_codes}
    return {k: t.summary() for k, t in sorted(group_totals(judged.leaves(), keys).items())}


def assert_same_summary(got, expected):
    """Counts exactly; sums of weights to the last few bits (totals moved item by item add up in another
    order than a sum from scratch: 66.78194842406877 against 66.78194842406879)."""
    assert (got.total, dict(got.counts), got.known, got.unknown, got.worst_confidence) == (
        expected.total,
        dict(expected.counts),
        expected.known,
        expected.unknown,
        expected.worst_confidence,
    )
    for name in ("progress", "weight", "unknown_weight_share"):
        assert getattr(got, name) == pytest.approx(getattr(expected, name), rel=1e-9)


def test_an_accepted_report_shows_at_once_on_every_page_and_in_the_api(demo, users, client):
    measure = Measure.objects.get(code="E-01")
    client.force_login(users["office"])
    assert stored("E-01").status == "at_risk"
    accepted_report(measure, users, 60)

    assert stored("E-01").status == "on_track"
    register = client.get("/measures/", {"status": "on_track"}).content.decode()
    assert "E-01" in register
    assert "E-01" not in client.get("/measures/", {"status": "at_risk"}).content.decode()
    page = client.get(f"/measures/{demo.code}/E-01/").content.decode()
    assert "on track" in page
    api = client.get("/api/v1/measures/", {"plan": demo.code, "status": "on_track"}).json()
    assert "E-01" in [row["code"] for row in api["results"]]
    detail = client.get(f"/api/v1/measures/{measure.pk}/").json()
    assert detail["judgement"]["status"] == "on_track" and detail["judgement"]["progress"] == 60
    dashboard = client.get("/").content.decode()
    assert "E-01" not in dashboard.split('id="h-late"')[1].split("</section>")[0]


def test_the_next_day_a_measure_due_today_turns_late_when_the_daily_refresh_runs(demo, users):
    due_today = Measure.objects.create(
        plan=demo, code="T-99", title="Due today", sphere=Sphere.objects.get(code="roads"),
        lead_agency=users["akimat"].profile.agency, start=today() - dt.timedelta(days=200), due=today(),
    )  # fmt: skip
    accepted_report(due_today, users, 99)
    assert stored("T-99").status in ("on_track", "at_risk")
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        out = io.StringIO()
        call_command("refresh_judgements", "--plan", demo.code, stdout=out)
        assert f"judged as of {timezone.localdate()}" in out.getvalue()
        assert stored("T-99").status == "late"
        assert StoreState.objects.get(plan=demo).as_of == timezone.localdate()


def test_a_reader_finding_yesterdays_judgements_judges_the_plan_first(demo, users, client):
    measure = Measure.objects.get(code="E-01")
    measure.due = today()
    measure.save()
    assert stored("E-01").status != "late"
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        client.force_login(users["viewer"])
        page = client.get(f"/measures/{demo.code}/E-01/")
        assert page.status_code == 200
        assert stored("E-01").status == "late" and stored("E-01").as_of == timezone.localdate()


def test_item_by_item_changes_leave_the_store_as_a_full_refresh_would(demo, users):
    store.ensure_current(demo)
    accepted_report(Measure.objects.get(code="E-01"), users, 60)
    accepted_report(Measure.objects.get(code="W-03"), users, 40)
    moved = Measure.objects.get(code="ED-03")
    moved.sphere = Sphere.objects.get(code="health")
    moved.save()
    moved.territories.add(Territory.objects.get(code="BEI"))
    kos = Facility.objects.get(code="KOS-2")
    kos.commission_actual = today() - dt.timedelta(days=3)
    kos.save()
    instruction = Instruction.objects.get(code="I-02")
    change_deadline(instruction, today() + dt.timedelta(days=30), "more time", today())
    incremental = snapshot(demo)

    store.refresh_plan(demo)
    assert snapshot(demo) == incremental
    assert InstructionVerdict.objects.get(instruction=instruction).status == "open"
    assert stored("W-01").status == "done"  # KOS-2 commissioned: its measure is complete


def test_a_rolled_back_change_leaves_the_store_as_it_was(demo, users):
    store.ensure_current(demo)
    before = snapshot(demo)
    with pytest.raises(RuntimeError), transaction.atomic():
        accepted_report(Measure.objects.get(code="E-01"), users, 60)
        assert stored("E-01").status == "on_track"
        raise RuntimeError("the writer fails after the report was accepted")
    assert snapshot(demo) == before


def test_a_new_plan_is_judged_on_first_read(demo):
    StoreState.objects.filter(plan=demo).delete()
    MeasureVerdict.objects.filter(plan=demo).delete()
    reader = PlanReader(demo, today())
    assert reader.summary().total == sum(1 for _ in judge_plan(demo, today()).leaves())
    assert MeasureVerdict.objects.filter(plan=demo).count() == demo.measures.count()


def test_accepting_a_report_re_judges_in_a_fixed_number_of_queries(demo, users):
    """The store's share of a write does not grow with the measure's reports (the first accept also
    reads the reviewer's role, which is then known)."""
    store.ensure_current(demo)
    measure = Measure.objects.get(code="E-01")
    counts = []
    for progress in (20, 40, 60):
        report = Report.objects.create(
            measure=measure, agency=measure.lead_agency, period_end=today(), narrative="n", progress=progress,
            state="submitted",
        )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            workflow.accept(report, users["reviewer"], report.version)
        counts.append(len(queries))
    assert counts[1] == counts[2]


def test_day_by_day_the_stored_verdicts_are_what_judging_from_the_facts_gives(db):
    """The daily step re-decides from the stored own figures; facts dated later (a report, a review,
    a commissioning, an execution) and the planned curve's next milestones are taken up on their day."""
    world = D(2026, 6, 1)
    call_command("synth", "--plans", "1", "--measures-per-plan", "150", "--seed", "11", "--today", str(world),
                 stdout=io.StringIO())  # fmt: skip
    plan = Measure.objects.filter(code__startswith="SYN-").first().plan
    leaves = list(Measure.objects.filter(plan=plan, children=None).order_by("code")[:4])
    report = dict(agency=leaves[0].lead_agency, narrative="later", state="accepted")
    Report.objects.create(measure=leaves[0], period_end=world + dt.timedelta(days=10), progress=70,
                          reviewed_on=world, **report)  # fmt: skip
    Report.objects.create(measure=leaves[1], period_end=world - dt.timedelta(days=5), progress=100,
                          reviewed_on=world + dt.timedelta(days=20), **report)  # fmt: skip
    Facility.objects.filter(measure=leaves[2]).update(commission_actual=world + dt.timedelta(days=30))
    Instruction.objects.filter(plan=plan, status="open").filter(pk=Instruction.objects.filter(
        plan=plan, status="open").order_by("code").values("pk")[:1]).update(
        status="executed", closed_on=world + dt.timedelta(days=15))  # fmt: skip
    store.refresh_plan(plan, world)

    def fields(j):
        return (j.status, j.confidence, j.progress, j.planned, j.forecast_finish, j.slip_days, j.stale,
                j.finished_on, j.last_report_on, j.days_since_report, j.children_known)  # fmt: skip

    reader = PlanReader.__new__(PlanReader)  # stored rows as judgements, whatever today is
    for step in range(0, 70, 3):
        day = world + dt.timedelta(days=step)
        store.advance_plan(plan, day)
        expected = judge_plan(plan, day)
        reader.__init__(plan, day)
        reader.stored = True
        got = reader.measures_by_id(expected.measure_ids.values())
        for code, pk in expected.measure_ids.items():
            assert fields(got[pk]) == fields(expected.measures[code]), (day, code)
        instructions = {v.instruction_id: v.status for v in InstructionVerdict.objects.filter(plan=plan)}
        assert instructions == {
            expected.instruction_ids[c]: j.status.value for c, j in expected.instructions.items()
        }, day
        assert_same_summary(PlanReader.summary(reader), judged_summary(expected, "plan")[plan.code])
    assert stored(leaves[1].code).status == "done"  # its 100% report counted once reviewed
