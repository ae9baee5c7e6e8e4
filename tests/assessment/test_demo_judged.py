"""The demo plan judged at three dates, with what a reader of the facts expects."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from baqylau.assessment.judgements import judge_plan
from baqylau.assessment.reading import PlanReader
from baqylau.plans.models import Measure
from baqylau.reports.models import Report

D = dt.date


def judged_on(plan, on):
    return judge_plan(plan, on)


def test_mid_2024_just_after_the_visit(demo):
    j = judged_on(demo, D(2024, 7, 1))
    assert j.instructions["I-01"].status.value == "overdue"  # one week from 14 June 2024
    assert j.instructions["I-02"].status.value == "open"
    assert j.measures["ED-05"].status.value == "not_started"
    assert j.measures["H-01"].status.value == "at_risk" and j.measures["H-01"].stale  # no report in 6 months
    assert j.measures["W-04"].status.value == "at_risk"  # Kenderli, due end of 2024, silent


def test_autumn_2025(demo):
    j = judged_on(demo, D(2025, 10, 1))
    heat = j.measures["H-01"]
    assert heat.status.value == "done" and heat.finished_on == D(2025, 9, 30)
    assert heat.slip_days < -400  # more than a year before the due date
    assert j.measures["W-04"].status.value == "late"  # Kenderli not yet commissioned (27 Oct)
    assert j.measures["W-03"].status.value == "at_risk" and j.measures["W-03"].progress == 25
    assert j.measures["ED-02"].gap == pytest.approx(62.5 - 87.5, abs=0.1)
    assert j.instructions["I-01"].status.value == "overdue"


def test_today_2026_11_28(demo):
    j = judged_on(demo, D(2026, 11, 28))
    kenderli = j.measures["W-04"]
    assert kenderli.status.value == "done" and kenderli.finished_on == D(2025, 10, 27)
    assert kenderli.slip_days == (D(2025, 10, 27) - D(2024, 12, 31)).days
    assert j.measures["W-01"].status.value == "late"  # KOS-2: promised by end of 2025, no completion reported
    assert not j.measures["W-01"].stale or j.measures["W-01"].last_report_on == D(2025, 10, 31)
    assert j.measures["W-00"].children_total == 3
    assert j.instructions["I-01"].status.value == "overdue"
    assert all(i.status.value == "overdue" for i in j.instructions.values())


def test_every_judgement_explains_itself_in_three_languages(demo):
    from baqylau.assessment.judgements import explanation

    j = judged_on(demo, D(2026, 11, 28))
    for verdict in [*j.measures.values(), *j.instructions.values()]:
        texts = {lang: explanation(verdict, lang) for lang in ("en", "ru", "kk")}
        assert all(texts.values()) and len(set(texts.values())) == 3, verdict.key


def test_only_accepted_reports_known_by_the_date_count(demo, users):
    measure = Measure.objects.get(code="W-03")
    report = Report.objects.create(
        measure=measure,
        agency=measure.lead_agency,
        period_end=D(2026, 6, 30),
        narrative="All plants in service.",
        progress=100,
        state="submitted",
    )
    assert judged_on(demo, D(2026, 11, 28)).measures["W-03"].status.value == "late"
    Report.objects.filter(pk=report.pk).update(state="accepted", reviewed_on=D(2026, 7, 10))
    assert judged_on(demo, D(2026, 7, 5)).measures["W-03"].status.value == "late"  # accepted only on 10 July
    assert judged_on(demo, D(2026, 11, 28)).measures["W-03"].status.value == "done"


def test_rollups_count_every_leaf_once_and_add_up(demo):
    j = judged_on(demo, D(2026, 11, 28))
    leaves = j.leaves()
    assert {m.key for m in leaves}.isdisjoint({"W-00", "H-00"})
    reader = PlanReader(demo, D(2026, 11, 28))
    summary = reader.summary()
    assert summary.total == len(leaves) == sum(summary.counts.values())
    by_sphere = reader.rollup("sphere")
    assert sum(s.total for s in by_sphere.values()) == len(leaves)
    water = by_sphere["water"]
    assert water.counts["done"] == 2 and water.counts["late"] == 2  # Caspiy, Kenderli; KOS-2, MAEK
    by_territory = reader.rollup("territory")
    assert by_territory["ZHA"].total >= 3  # a measure in several territories counts in each


def test_judging_a_plan_takes_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    # 6 for the plan's facts, 1 for its declared outcomes, 3 for the indicator outcomes, 11 for the
    # water model behind the drinking-water goal, 1 for the reference classes (sphere, agency) of the
    # likelihood: however many measures or goals the plan has.
    with django_assert_max_num_queries(22):
        judge_plan(demo, D(2026, 11, 28))


def test_more_outcome_goals_take_no_more_queries(demo, django_assert_max_num_queries):
    from baqylau.indicators.models import Indicator

    for code, indicator in (("ED-01", "SCHOOLS"), ("HO-01", None), ("E-01", None)):
        measure = Measure.objects.get(plan=demo, code=code)
        measure.outcome_kind = "indicator" if indicator else "water_provision"
        measure.outcome_indicator = Indicator.objects.filter(code=indicator).first()
        measure.save()
    with django_assert_max_num_queries(22):
        judged = judge_plan(demo, D(2026, 11, 28))
    assert judged.measures["ED-01"].outcome.kind == "indicator"
    assert judged.measures["HO-01"].outcome.kind == "water_provision"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_status_command_json(demo):
    rows = json.loads(run("status", "--as-of", "2026-11-28", "--format", "json", "--language", "en"))
    by_code = {r["code"]: r for r in rows}
    assert len([r for r in rows if r["kind"] == "measure"]) == demo.measures.count()
    assert len([r for r in rows if r["kind"] == "instruction"]) == demo.instructions.count()
    assert by_code["W-04"]["status"] == "done" and by_code["W-04"]["confidence"] == "green"
    assert by_code["I-01"]["explanation"].startswith("overdue: deadline 2024-06-21 passed 890 days ago")
    assert by_code["W-03"]["explanation"].startswith("late: due date 2025-12-31")
    # Open measures carry their likelihood of delivery and its 80% finish interval; done ones none.
    open_ones = [r for r in rows if r["kind"] == "measure" and r["likelihood"] is not None]
    assert open_ones and all(0 <= r["likelihood"] <= 1 for r in open_ones)
    assert all(r["finish_low"] <= r["finish_high"] for r in open_ones)
    assert by_code["W-04"]["likelihood"] is None


def test_status_command_table_in_russian(demo):
    text = run("status", "--as-of", "2026-11-28", "--language", "ru")
    assert "W-04" in text and "просроч" in text.lower()


def test_rollup_command(demo):
    rows = json.loads(run("rollup", "--by", "agency", "--as-of", "2026-11-28", "--format", "json"))
    akimat = next(r for r in rows if r["agency"] == "AKIMAT")
    assert (
        akimat["total"]
        == akimat["done"] + akimat["not_started"] + akimat["on_track"] + akimat["at_risk"] + akimat["late"]
    )
    assert run("rollup", "--by", "plan", "--as-of", "2026-11-28").count("MNG-URGENT-2024") == 1


def test_measures_json_gains_status_and_confidence(demo):
    rows = {r["code"]: r for r in json.loads(run("measures", "--format", "json", "--as-of", "2025-10-01"))}
    assert rows["H-01"]["status"] == "done" and rows["H-01"]["confidence"] == "green"
    assert rows["W-04"]["status"] == "late" and rows["W-04"]["as_of"] == "2025-10-01"


def test_bad_as_of_is_refused(demo):
    with pytest.raises(CommandError, match="not a date"):
        run("status", "--as-of", "28.11.2026")


def test_heat_network_command_shows_km_against_plan_and_wear(demo):
    rows = {r["year"]: r for r in json.loads(run("heat_network", "--format", "json"))}
    assert rows[2024]["actual_km"] == 11.5 and rows[2025]["cumulative_actual_km"] == 44
    assert rows[2025]["city_wear_pct"] == pytest.approx(75, abs=1)  # "75% expected after the project"
    assert rows[2025]["main_wear_pct"] < rows[2023]["main_wear_pct"]
