"""A measure's progress over time, as its page draws it: the planned curve from start to due, and
the accepted progress at each report date ending where today's judgement stands."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from baqylau.assessment.judgements import judge_plan
from baqylau.assessment.progress import planned_curve, progress_over_time
from baqylau.plans.models import Measure

D = dt.date
AS_OF = D(2026, 11, 28)


@pytest.mark.parametrize("code", ["W-03", "H-01", "W-00", "ED-02"])
def test_the_line_ends_where_the_judgement_stands(demo, code):
    measure = Measure.objects.get(plan=demo, code=code)
    line = progress_over_time(measure, AS_OF)
    judged = judge_plan(demo, AS_OF).measures[code]
    assert line, code
    assert [day for day, _ in line] == sorted(day for day, _ in line)
    assert all(day <= AS_OF for day, _ in line)
    assert line[-1][1] == pytest.approx(judged.progress)


def test_the_planned_curve_runs_from_zero_at_the_start_to_all_at_the_due_date(demo):
    measure = Measure.objects.get(plan=demo, code="ENV-02")
    curve = planned_curve(measure)
    assert curve[0] == (measure.start, 0.0) and curve[-1] == (measure.due, 100.0)
    assert [p for _, p in curve] == sorted(p for _, p in curve)  # a plan never goes backwards
    assert len(curve) > 2  # Koshkarata: the 2022 hectares are a milestone between


def test_a_measure_without_reports_has_an_empty_line(demo):
    measure = Measure.objects.get(plan=demo, code="ED-05")
    assert progress_over_time(measure, D(2024, 1, 2)) == []


def test_the_page_carries_the_chart_data(client, users, demo):
    client.force_login(users["viewer"])
    page = client.get(reverse("web:measure", args=[demo.code, "W-03"]))
    html = page.content.decode()
    start = html.index('id="progress-chart"')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert data["planned"][-1]["y"] == 100 and data["actual"]
    assert data["due"] > data["planned"][0]["x"]
