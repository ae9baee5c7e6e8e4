"""The demo plan holds the seed's facts, with their sources, and loads idempotently."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from baqylau.demo.loader import load_mangystau
from baqylau.indicators.models import Indicator
from baqylau.instructions.models import Event, Instruction
from baqylau.plans.models import Facility, Measure
from baqylau.reference.models import Agency, Population, Territory
from baqylau.reports.models import Report

D = dt.date


def facility(code):
    return Facility.objects.get(code=code)


def test_plan_declares_118_measures_and_records_what_is_public(demo):
    assert demo.declared_measures == 118
    recorded = demo.measures.count()
    assert 0 < recorded < 118
    assert demo.start == D(2024, 1, 1) and demo.end == D(2027, 12, 31)


def test_load_into_an_empty_database_creates_everything(demo):
    Report.objects.all().delete()
    Instruction.objects.all().delete()
    demo.delete()
    result = load_mangystau()
    assert result.created["measures"] == 16 and result.created["instructions"] == 11
    # Water stages outlive the plan (their facility link was cleared) and are linked again.
    assert set(result.updated) <= {"water source stages"}


def test_second_load_changes_nothing(demo):
    history_before = sum(m.history.model.objects.count() for m in (Measure, Facility, Instruction, Report))
    result = load_mangystau()
    assert result.changed == 0
    history_after = sum(m.history.model.objects.count() for m in (Measure, Facility, Instruction, Report))
    assert history_after == history_before


def test_load_demo_command_reports_nothing_changed_when_loaded(demo, capsys):
    call_command("load_demo")
    assert "nothing changed" in capsys.readouterr().out


def test_kos2_second_stage(demo):
    kos = facility("KOS-2")
    assert (kos.capacity_baseline, kos.capacity_target, kos.capacity_unit) == (30_000, 70_000, "m³/day")
    assert kos.commission_planned.year == 2025
    assert kos.measure.budget_planned_kzt == Decimal("3200000000")


def test_heat_main_replacement_44_of_47_km_with_yearly_actuals(demo):
    heat = facility("HEAT-MAIN-AKT")
    assert heat.capacity_target == 44 and heat.measure.start.year == 2024 and heat.measure.due.year == 2026
    assert heat.commission_actual == D(2025, 9, 30)  # finished September 2025, a year early
    actuals = dict(Indicator.objects.get(code="HEAT-KM").actuals.values_list("period_end", "value"))
    assert actuals == {D(2024, 12, 31): Decimal("11.5"), D(2025, 9, 30): Decimal("44")}


def test_water_plants(demo):
    caspiy = facility("CASPIY")
    assert (caspiy.capacity_baseline, caspiy.capacity_target) == (20_000, 40_000)
    assert caspiy.commission_planned == D(2024, 9, 30)
    assert set(caspiy.measure.territories.values_list("code", flat=True)) == {"MUN", "KAR", "TUP"}
    assert facility("MAEK-DS").capacity_target == 24_000
    kenderli = facility("KENDERLI")
    assert kenderli.capacity_target == 50_000 and kenderli.commission_actual == D(2025, 10, 27)


def test_industry_education_housing_environment(demo):
    assert Indicator.objects.get(code="JOBS-AZOT").targets.get().value == 700
    assert facility("SCHOOLS-2024").capacity_target == 12_900
    assert facility("SCHOOLS-2025").capacity_target == 9_100
    assert dict(Indicator.objects.get(code="SCHOOLS").targets.values_list("period_end", "value")) == {
        D(2024, 12, 31): 13,
        D(2025, 12, 31): 21,
    }
    assert facility("BEINEU-COLLEGE").capacity_target == 600
    assert facility("BEINEU-HOSTEL").capacity_target == 200
    assert facility("ZHA-18APT").capacity_target == 18
    assert Measure.objects.filter(code="HO-01", title__icontains="rental housing").exists()
    assert facility("ZHA-LANDFILL").territory.code == "ZHA"
    assert facility("KOSHKARATA").capacity_target == 1_344
    assert Indicator.objects.get(code="DOCTOR-GAP").baseline_value == 228
    assert Indicator.objects.get(code="TALENTED-CHILDREN").targets.get().value == 1_000
    assert Instruction.objects.filter(text__icontains="lyceums").exists()
    assert Instruction.objects.filter(text__icontains="roads", executors__code="MOT").exists()


def test_visit_and_meeting_with_every_instruction_of_the_seed(demo):
    meeting = Event.objects.get(code="EV-2024-MEETING")
    assert Event.objects.get(code="EV-2024-VISIT").kind == "visit"
    one_week = Instruction.objects.get(code="I-01")
    assert one_week.event == meeting and one_week.term_days == 7
    assert one_week.due == meeting.date + dt.timedelta(days=7)
    assert Instruction.objects.count() == 11
    for instruction in Instruction.objects.prefetch_related("executors"):
        assert instruction.executors.exists(), instruction.code
        assert instruction.due >= instruction.issued_on


def test_territories_with_populations_and_centres(demo):
    settled = Territory.objects.filter(parent__code="MNG")
    assert settled.count() == 7
    assert all(t.lat and t.lon for t in settled)
    assert Population.objects.get(territory__code="AKT", on=D(2023, 1, 1)).people == 263_893
    assert Population.objects.get(territory__code="MNG", on=D(2025, 12, 1)).people == 818_345
    assert Territory.objects.get(code="BEI").is_estimate  # its centre is approximate


def test_agencies_named_in_the_seed(demo):
    codes = set(Agency.objects.values_list("code", flat=True))
    assert {"MNE", "MEN", "MIC", "MENR", "AKIMAT", "KAZAZOT", "MAEK", "KMG"} <= codes


@pytest.mark.parametrize("model", [Measure, Facility, Indicator, Instruction, Event, Report, Agency])
def test_every_fact_carries_its_source(demo, model):
    assert not model.objects.filter(source="").exists()


def test_estimates_are_flagged_not_presented_as_fact(demo):
    # The seed gives no day for the visit and no deadline but "one week": those values are estimates.
    assert Event.objects.get(code="EV-2024-VISIT").is_estimate
    assert "placeholder" in Instruction.objects.get(code="I-02").estimate_note
    # Derived progress is marked as derived.
    assert "derived" in Report.objects.get(measure__code="H-01", period_end=D(2024, 12, 31)).estimate_note
    # Dates the sources state exactly are not flagged.
    assert not Facility.objects.get(code="KENDERLI").estimate_note.startswith("commission_actual")


def test_titles_in_three_languages(demo):
    for measure in Measure.objects.all():
        assert measure.title and measure.title_ru and measure.title_kk, measure.code
