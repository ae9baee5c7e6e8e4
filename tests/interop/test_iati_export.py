"""IATI 2.03 export: every file is valid against the official schema, and says what the plan says."""

import datetime as dt
import socket
from decimal import Decimal

import pytest
from django.core.management import call_command
from lxml import etree

from baqylau.indicators.models import Indicator
from baqylau.interop.iati import IatiRefused, ReportingOrg, activity_status, completion_date, export_plans
from baqylau.interop.iati.codes import BQ, XML_LANG
from baqylau.interop.iati.schema import activities_schema, schema_problems, validate_bytes
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory

AS_OF = dt.date(2025, 11, 30)
GENERATED = dt.datetime(2025, 11, 30, 12, 0, tzinfo=dt.UTC)
D = dt.date


def export(*plans, **kwargs) -> bytes:
    return export_plans(plans, as_of=kwargs.pop("as_of", AS_OF), generated=GENERATED, **kwargs)


def activities(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(data)
    return {a.find("other-identifier").get("ref"): a for a in root.findall("iati-activity")}


def narratives(element) -> dict[str, str]:
    return {n.get(XML_LANG, "en"): n.text for n in element.findall("narrative")}


@pytest.fixture
def bare_plan(db):
    """A plan whose measure and facility fill only what the model requires."""
    region = Territory.objects.get(code="MNG")
    plan = Plan.objects.create(
        code="BARE", title="Bare plan", region=region, start=D(2025, 1, 1), end=D(2025, 12, 31)
    )
    measure = Measure.objects.create(
        plan=plan,
        code="B-1",
        title="Bare measure",
        sphere=Sphere.objects.create(code="culture", name="Culture"),
        lead_agency=Agency.objects.get(code="AKIMAT"),
        due=D(2025, 12, 31),
    )
    Facility.objects.create(plan=plan, code="F-1", name="Bare facility", kind_id="other", measure=measure)
    Indicator.objects.create(
        plan=plan, code="I-EMPTY", name="No baseline, no periods", unit="units", measure=measure
    )
    Indicator.objects.create(
        plan=plan, code="I-UNDATED", name="Undated baseline", unit="%", measure=measure, baseline_value=5
    )
    return plan


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_demo_export_is_valid_iati_203(demo, no_network):
    activities_schema.cache_clear()  # the schema and its includes load from the package, offline
    data = export(demo)
    tree = validate_bytes(data)  # raises on any schema error
    assert schema_problems(tree) == []
    root = tree.getroot()
    assert root.get("version") == "2.03" and root.get("generated-datetime") == "2025-11-30T12:00:00+00:00"
    assert len(root.findall("iati-activity")) == demo.measures.count()


def test_bare_plan_export_is_valid(bare_plan, no_network):
    data = export(bare_plan)
    assert activities_schema().validate(etree.fromstring(data).getroottree())
    activity = activities(data)["B-1"]
    assert [d.get("type") for d in activity.findall("activity-date")] == ["3"]  # only the due date
    assert activity.find("budget") is None and activity.find("location") is None
    indicators = {i.find("reference").get("code"): i for i in activity.findall("result/indicator")}
    assert indicators["I-EMPTY"].find("baseline") is None and indicators["I-EMPTY"].find("period") is None
    undated = indicators["I-UNDATED"].find("baseline")
    assert undated.get("value") == "5" and undated.get("iso-date") is None and undated.get("year") == "2025"
    assert indicators["I-UNDATED"].get("measure") == "2"  # percentage


def test_every_plan_and_one_plan_through_the_command(demo, bare_plan, tmp_path):
    everything = tmp_path / "all.xml"
    call_command("export_iati", "-o", str(everything), "--as-of", "2025-11-30")
    validate_bytes(everything.read_bytes())
    assert set(activities(everything.read_bytes())) >= {"W-01", "B-1"}
    one = tmp_path / "one.xml"
    call_command(
        "export_iati", "--plan", "BARE", "-o", str(one), "--reporting-org-ref", "KZ-BIN-123456789012"
    )
    activity = activities(one.read_bytes())["B-1"]
    assert activity.findtext("iati-identifier") == "KZ-BIN-123456789012-BARE-B-1"
    assert activity.find("reporting-org").get("ref") == "KZ-BIN-123456789012"


def test_export_of_an_unknown_plan_or_of_no_measure_is_refused(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no plan with code 'NOPE'"):
        call_command("export_iati", "--plan", "NOPE")
    with pytest.raises(IatiRefused, match="at least one activity"):
        export_plans([], as_of=AS_OF)


def test_identifier_titles_and_descriptions(demo):
    kos = activities(export(demo))["W-01"]
    assert kos.findtext("iati-identifier") == "XX-BAQYLAU-MNG-URGENT-2024-W-01"
    assert kos.get(XML_LANG) == "en" and kos.get("default-currency") == "KZT"
    title = narratives(kos.find("title"))
    assert title["ru"] == "Комплекс очистных сооружений КОС-2, Актау: вторая очередь (30 000 → 70 000 м³/сут)"
    assert title["kk"] == "КОС-2 тазарту құрылыстары кешені, Ақтау: екінші кезек (30 000 → 70 000 м³/тәул)"
    assert title["en"].startswith("KOS-2 wastewater treatment complex")
    descriptions = {d.get("type"): narratives(d) for d in kos.findall("description")}
    assert set(descriptions["1"]) == {"en", "ru", "kk"}
    assert descriptions["2"] == {"en": "facility put into operation"}


def test_participating_orgs_status_and_dates(demo):
    acts = activities(export(demo))
    kos = acts["W-01"]
    orgs = [(o.get("role"), o.get(BQ + "code"), o.get(BQ + "role")) for o in kos.findall("participating-org")]
    assert orgs == [("2", None, None), ("4", "AKIMAT", "lead"), ("4", "MIC", "co-executor")]
    assert kos.find("participating-org").get("ref") == ReportingOrg().ref
    assert kos.find("activity-status").get("code") == "2"  # implementation
    dates = {d.get("type"): d.get("iso-date") for d in kos.findall("activity-date")}
    assert dates == {"1": "2024-01-01", "3": "2025-12-31"}
    kenderli = acts["W-04"]  # accepted 100% report and commissioned facility on 27 Oct 2025
    assert kenderli.find("activity-status").get("code") == "3"
    assert {d.get("type"): d.get("iso-date") for d in kenderli.findall("activity-date")}["4"] == "2025-10-27"


def test_status_follows_the_as_of_date(demo):
    before = activities(export(demo, as_of=D(2023, 1, 1)))
    assert before["W-01"].find("activity-status").get("code") == "1"  # pipeline: before its start
    after = activities(export(demo, as_of=D(2028, 1, 1)))
    assert after["W-04"].find("activity-status").get("code") == "4"  # closed: the plan has ended
    assert after["W-01"].find("activity-status").get("code") == "2"  # late, still implementation


@pytest.mark.parametrize(
    ("start", "completed", "as_of", "code"),
    [
        (D(2024, 1, 1), None, D(2023, 12, 31), "1"),
        (D(2024, 1, 1), None, D(2024, 1, 1), "2"),
        (None, None, D(2020, 1, 1), "2"),
        (D(2024, 1, 1), D(2025, 1, 1), D(2025, 1, 1), "3"),
        (D(2024, 1, 1), D(2025, 1, 1), D(2028, 1, 1), "4"),
        (D(2024, 1, 1), D(2026, 1, 1), D(2025, 1, 1), "2"),  # completion after as_of is not known yet
    ],
)
def test_activity_status_mapping(start, completed, as_of, code):
    assert activity_status(start=start, completed_on=completed, plan_end=D(2027, 12, 31), as_of=as_of) == code


def test_completion_date_needs_a_full_report_or_every_facility_commissioned():
    as_of = D(2025, 12, 31)
    assert completion_date(full_reports=[], commissioned=[], as_of=as_of) is None
    assert completion_date(full_reports=[], commissioned=[D(2025, 5, 1), None], as_of=as_of) is None
    assert completion_date(full_reports=[], commissioned=[D(2025, 5, 1), D(2025, 6, 1)], as_of=as_of) == D(
        2025, 6, 1
    )
    assert completion_date(full_reports=[D(2025, 3, 1)], commissioned=[D(2025, 6, 1)], as_of=as_of) == D(
        2025, 3, 1
    )
    assert completion_date(full_reports=[D(2026, 3, 1)], commissioned=[], as_of=as_of) is None


def test_country_locations_and_sectors(demo):
    acts = activities(export(demo))
    kos = acts["W-01"]
    assert kos.find("recipient-country").get("code") == "KZ"
    assert kos.find("activity-scope").get("code") == "7"  # one city
    locations = {loc.get("ref"): loc for loc in kos.findall("location")}
    assert set(locations) == {"AKT", "facility/KOS-2"}
    akt = locations["AKT"]
    assert akt.find("point").get("srsName") == "http://www.opengis.net/def/crs/EPSG/0/4326"
    assert akt.findtext("point/pos") == "43.65 51.15"  # latitude then longitude
    assert akt.find("location-class").get("code") == "1" and akt.find("exactness").get("code") == "2"
    assert narratives(akt.find("name"))["kk"] == "Ақтау қаласы"
    assert locations["facility/KOS-2"].find("location-class").get("code") == "3"
    sectors = {s.get("vocabulary"): s for s in kos.findall("sector")}
    assert sectors["1"].get("code") == "14020" and sectors["99"].get("code") == "water"
    assert narratives(sectors["99"])["ru"] == "Водоснабжение"
    heat = activities(export(demo))["H-01"]
    assert {s.get("vocabulary"): s.get("code") for s in heat.findall("sector")} == {
        "1": "23620",
        "99": "heat",
    }


def test_budget_and_hierarchy(demo):
    acts = activities(export(demo))
    budget = acts["H-01"].find("budget")
    assert (budget.get("type"), budget.get("status")) == ("1", "1")
    assert budget.find("period-start").get("iso-date") == "2024-01-01"
    assert budget.find("period-end").get("iso-date") == "2026-12-31"
    value = budget.find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == ("8600000000", "KZT", "2024-01-01")
    assert acts["W-02"].get("hierarchy") == "2" and acts["W-00"].get("hierarchy") == "1"
    parent = [(r.get("type"), r.get("ref")) for r in acts["W-02"].findall("related-activity")]
    assert parent == [("1", "XX-BAQYLAU-MNG-URGENT-2024-W-00")]
    children = {
        r.get("ref").removeprefix("XX-BAQYLAU-MNG-URGENT-2024-")
        for r in acts["W-00"].findall("related-activity")
    }
    assert children == {"W-02", "W-03", "W-04"}


def test_results_indicators_baseline_targets_and_actuals(demo):
    heat = activities(export(demo))["H-01"]
    result = heat.find("result")
    assert result.get("type") == "1" and narratives(result.find("title"))["ru"].startswith("Замена 44 км")
    indicator = result.find("indicator")
    assert indicator.find("reference").get("code") == "HEAT-KM" and indicator.get("ascending") == "1"
    assert indicator.get(BQ + "unit") == "km"
    baseline = indicator.find("baseline")
    assert (baseline.get("year"), baseline.get("iso-date"), baseline.get("value")) == (
        "2024",
        "2024-01-01",
        "0",
    )
    periods = [
        (
            p.find("period-start").get("iso-date"),
            p.find("period-end").get("iso-date"),
            p.find("target").get("value") if p.find("target") is not None else None,
            p.find("actual").get("value") if p.find("actual") is not None else None,
        )
        for p in indicator.findall("period")
    ]
    assert periods == [
        ("2024-01-01", "2024-12-31", None, "11.5"),
        ("2025-01-01", "2025-09-30", None, "44"),
        ("2025-10-01", "2026-12-31", "44", None),
    ]
    reported = indicator.find("period/actual").find(BQ + "reported")
    assert (reported.get("by"), reported.get("on")) == ("AKIMAT", "2024-12-31")
    wear = activities(export(demo))["H-00"].find("result/indicator")
    assert wear.get("ascending") == "0" and wear.get("measure") == "2"  # lower is better, a percentage


def test_extension_keeps_what_iati_has_no_element_for(demo):
    Measure.objects.filter(plan=demo, code="W-01").update(budget_spent_kzt=Decimal("1200000000.50"), weight=2)
    ext = activities(export(demo))["W-01"].find(BQ + "measure")
    assert (ext.get("plan"), ext.get("code"), ext.get("weight")) == ("MNG-URGENT-2024", "W-01", "2")
    assert ext.get("budget-spent-kzt") == "1200000000.5"
    assert ext.findtext(BQ + "budget-source").startswith("3.2 bn KZT")
    assert "press release" in ext.findtext(BQ + "source")
