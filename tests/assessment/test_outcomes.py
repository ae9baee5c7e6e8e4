"""Declared outcomes from the user's side: the drinking-water goal is done when the water model says
every zone is provided, not when its plants are built; the heat-wear goal when the indicator reaches
its target. Changes to the model or the indicator show at once in the stored verdicts and pages."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from baqylau.assessment.judgements import explanation, judge_plan
from baqylau.assessment.models import MeasureVerdict
from baqylau.assessment.reading import PlanReader
from baqylau.indicators.models import Actual, Indicator
from baqylau.plans.models import Facility, Measure
from baqylau.waterbalance.models import WaterAssumption, WaterSource, WaterSourceStage

D = dt.date
TODAY = D(2026, 12, 1)


@pytest.fixture
def on_today():
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        yield


def stored(code):
    return MeasureVerdict.objects.get(measure__code=code)


def test_the_water_goal_is_not_done_while_the_model_shows_a_zone_short(demo, on_today):
    reader = PlanReader(demo, TODAY)
    goal = reader.measure(Measure.objects.get(plan=demo, code="W-00"))
    assert goal.status.value == "at_risk"
    assert goal.outcome.met_on is None
    text = explanation(goal, "en")
    assert "Tupkaragan" in text and "2027-06" in text and "m³/day" in text
    # The same verdict read in Kazakh names the zone in the reader's language, with its fallback.
    assert "2027-06" in explanation(goal, "kk") and explanation(goal, "kk") != text


def test_the_water_goal_is_met_once_no_zone_is_short_ahead(demo, on_today):
    consumers = WaterAssumption.objects.get(zone__code="TUP", kind="other_consumers")
    consumers.value = 0  # the one shortage ahead (Tupkaragan, June 2027) is 5.6 m³/day of 500
    consumers.save()
    goal = stored("W-00")
    assert goal.status == "done"
    # Met on the first day after the last short month (summer 2024), as the model counts it today.
    assert goal.finished_on == D(2024, 9, 1)
    assert goal.outcome["met_on"] == "2024-09-01"


def test_a_plant_outside_the_goal_moves_it_when_it_can_really_deliver(demo, on_today):
    """A third Caspiy stage built under another goal: while late and unfinished it delivers nothing
    and the water goal stays short; once commissioned the same goal is met, with no other write."""
    other = Measure.objects.create(
        plan=demo, code="X-01", title="Caspiy, third stage", sphere=Measure.objects.get(code="W-02").sphere,
        lead_agency=Measure.objects.get(code="W-02").lead_agency, start=D(2025, 1, 1), due=D(2026, 6, 30),
    )  # fmt: skip
    plant = Facility.objects.create(
        plan=demo, code="CASPIY-3", name="Caspiy third stage", kind=Facility.objects.get(code="CASPIY").kind,
        measure=other, commission_planned=D(2026, 6, 30),
    )  # fmt: skip
    WaterSourceStage.objects.create(
        water_source=WaterSource.objects.get(code="CASPIY"), position=2, capacity_m3_day=60_000,
        facility=plant, source="test",
    )  # fmt: skip
    assert stored("X-01").status == "late"
    assert stored("W-00").outcome["met_on"] is None  # a late plant delivers no water

    plant.commission_actual = D(2026, 11, 1)
    plant.save()
    assert stored("W-00").status == "done"


def test_the_same_verdict_from_the_store_and_from_the_facts(demo, on_today):
    computed = judge_plan(demo, TODAY).measures
    for code in ("W-00", "H-00"):
        verdict = stored(code)
        assert verdict.status == computed[code].status.value
        assert verdict.outcome["met_on"] == (
            computed[code].outcome.met_on and computed[code].outcome.met_on.isoformat()
        )


def test_the_heat_goal_waits_for_the_wear_indicator_not_for_its_pipes(demo, on_today):
    goal = stored("H-00")
    assert goal.status == "at_risk"  # the 44 km are replaced; no wear figure reported since
    assert goal.progress == 100
    reader = PlanReader(demo, TODAY)
    text = explanation(reader.measure(Measure.objects.get(plan=demo, code="H-00")), "en")
    assert "no actual reported yet" in text and "75 %" in text

    wear = Indicator.objects.get(plan=demo, code="HEAT-WEAR")
    Actual.objects.create(
        indicator=wear, period_end=D(2026, 6, 30), value=77, reported_by=wear.measure.lead_agency,
        reported_on=D(2026, 7, 10), source="test",
    )  # fmt: skip
    assert stored("H-00").status == "at_risk"
    assert stored("H-00").outcome["detail"]["actual"] == 77
    Actual.objects.create(
        indicator=wear, period_end=D(2026, 10, 31), value=74, reported_by=wear.measure.lead_agency,
        reported_on=D(2026, 11, 10), source="test",
    )  # fmt: skip
    goal = stored("H-00")
    assert goal.status == "done" and goal.finished_on == D(2026, 10, 31)


def test_the_measure_page_says_why_the_water_goal_is_not_done(client, users, demo, on_today):
    client.force_login(users["viewer"])
    goal = Measure.objects.get(plan=demo, code="W-00")
    page = client.get(reverse("web:measure", args=[demo.code, goal.code]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Tupkaragan" in page.content.decode()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"outcome_kind": "indicator"}, "outcome_indicator"),
        ({"outcome_kind": "water_provision", "outcome_target": 5}, "outcome_target"),
        ({"outcome_kind": "", "outcome_through": D(2027, 1, 1)}, "outcome_through"),
    ],
)
def test_an_outcome_that_does_not_hold_together_is_refused(demo, values, field):
    measure = Measure.objects.get(plan=demo, code="ED-01")
    for name, value in values.items():
        setattr(measure, name, value)
    with pytest.raises(ValidationError) as refused:
        measure.full_clean()
    assert field in refused.value.message_dict
