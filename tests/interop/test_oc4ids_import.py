"""OC4IDS 0.9.5 import: projects become facilities, all or nothing, idempotent; invalid packages are
refused with the JSON path of each problem."""

import copy
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from baqylau.interop.oc4ids import Oc4idsRefused, dumps, export_package, import_oc4ids
from baqylau.interop.oc4ids.schema import EXAMPLE
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory

AS_OF = dt.date(2025, 11, 30)
PUBLISHED = dt.datetime(2025, 11, 30, 12, 0, tzinfo=dt.UTC)


def snapshot() -> tuple:
    models = (Plan, Measure, Facility, Agency, Sphere, Territory)
    return (*(m.objects.count() for m in models), Facility.history.count(), Measure.history.count())


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def as_bytes(package: dict) -> bytes:
    return json.dumps(package, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def copy_plan(db):
    return Plan.objects.create(
        code="MNG-COPY",
        title="Copy",
        region=Territory.objects.get(code="MNG"),
        start=dt.date(2024, 1, 1),
        end=dt.date(2027, 12, 31),
    )


def test_the_bundled_example_imports_as_a_facility_with_its_measure(demo):
    done = import_oc4ids(EXAMPLE.read_bytes(), plan_code=demo.code)
    assert done.projects == 1
    assert done.result.created == {"agencies": 1, "measures": 1, "facilities": 1}
    facility = Facility.objects.get(plan=demo, code="m75-junctions-4-to-5-smart-motorway")
    assert (facility.name, facility.kind_id) == ("M75 Junctions 4 to 5 upgrade smart motorway", "road")
    # GeoJSON order is longitude, latitude; the example lists latitude first, and we do not guess.
    assert (facility.lon, facility.lat) == (52.2571843, -0.1163333)
    assert facility.commission_actual == dt.date(2018, 12, 10)  # in maintenance, completed 10 Dec 2018
    measure = facility.measure
    assert measure.code == facility.code and measure.sphere.code == "roads"
    assert (measure.start, measure.due) == (dt.date(2016, 1, 1), dt.date(2018, 12, 10))
    assert (
        measure.budget_planned_kzt is None
        and measure.budget_source == "OC4IDS budget: 40000000 GBP (not converted to KZT)"
    )
    assert (measure.lead_agency.code, measure.lead_agency.name) == ("GB-GOR-XX1234", "Motorways UK")
    assert "oc4ids-bu3kcz-m75-junctions-4-to-5-smart-motorway" in facility.source
    before = snapshot()
    assert import_oc4ids(EXAMPLE.read_bytes(), plan_code=demo.code).result.changed == 0
    assert snapshot() == before


def test_reimporting_our_own_export_changes_nothing(demo):
    package = export_package([demo], as_of=AS_OF, published=PUBLISHED)
    before = snapshot()
    done = import_oc4ids(dumps(package).encode("utf-8"), plan_code=demo.code)
    assert done.result.changed == 0, (done.result.created, done.result.updated)
    assert snapshot() == before


def test_export_import_export_into_another_plan(demo, copy_plan):
    first = export_package([demo], as_of=AS_OF, published=PUBLISHED)
    done = import_oc4ids(dumps(first).encode("utf-8"), plan_code=copy_plan.code)
    assert done.result.created["facilities"] == Facility.objects.filter(plan=demo).count()
    assert (
        done.result.created["measures"]
        == Measure.objects.filter(plan=demo, facilities__isnull=False).distinct().count()
    )
    for original in Facility.objects.filter(plan=demo).select_related("measure", "territory"):
        twin = Facility.objects.select_related("measure", "territory").get(plan=copy_plan, code=original.code)
        fields = (
            "name",
            "name_ru",
            "name_kk",
            "kind",
            "lat",
            "lon",
            "capacity_unit",
            "capacity_baseline",
            "capacity_target",
            "commission_planned",
            "commission_actual",
            "source",
            "estimate_note",
        )
        assert {f: getattr(twin, f) for f in fields} == {f: getattr(original, f) for f in fields}
        assert twin.territory == original.territory and twin.measure.code == original.measure.code
        measure, twin_measure = original.measure, twin.measure
        assert (twin_measure.title, twin_measure.title_kk, twin_measure.start, twin_measure.due) == (
            measure.title,
            measure.title_kk,
            measure.start,
            measure.due,
        )
        assert twin_measure.budget_planned_kzt == measure.budget_planned_kzt
        assert twin_measure.sphere == measure.sphere and twin_measure.lead_agency == measure.lead_agency
    college = Facility.objects.get(plan=copy_plan, code="BEINEU-HOSTEL")
    assert (
        college.measure == Facility.objects.get(plan=copy_plan, code="BEINEU-COLLEGE").measure
    )  # one measure
    second = export_package([copy_plan], as_of=AS_OF, published=PUBLISHED)
    assert [p["title_kk"] for p in second["projects"]] == [p["title_kk"] for p in first["projects"]]


def test_invalid_packages_are_refused_with_the_path_of_each_problem(demo):
    package = example()
    package["projects"][0]["status"] = "finished"
    package["projects"][0]["budget"]["amount"]["currency"] = "TENGE"
    del package["publisher"]
    before = snapshot()
    with pytest.raises(Oc4idsRefused) as refused:
        import_oc4ids(as_bytes(package), plan_code=demo.code)
    problems = refused.value.problems
    assert problems[0].startswith("/: 'publisher' is a required property")
    assert any(p.startswith("/projects/0/status: 'finished' is not one of") for p in problems)
    assert any(p.startswith("/projects/0/budget/amount/currency: 'TENGE' is not one of") for p in problems)
    assert refused.value.summary.startswith("Not a valid OC4IDS 0.9.5 project package (3 schema errors)")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<xml/>", "not JSON"),
        (b"[1, 2]", "not an object"),
        (b"\xff\xfe{", "not UTF-8"),
        (b'{"uri": "x"}', "is a required property"),
    ],
)
def test_non_packages_are_refused(demo, data, message):
    with pytest.raises(Oc4idsRefused, match=message):
        import_oc4ids(data, plan_code=demo.code)


def test_dates_are_checked_as_date_times(demo):
    package = example()
    package["publishedDate"] = "10 December 2018"
    with pytest.raises(Oc4idsRefused, match="/publishedDate: '10 December 2018' is not a 'date-time'"):
        import_oc4ids(as_bytes(package), plan_code=demo.code)


def test_valid_projects_that_leave_optional_fields_out_import_with_warnings(demo):
    """OC4IDS requires only a project's id: what a measure needs and the project leaves out gets a default
    (the plan's end, "unassigned" or --sphere / --agency), with a warning; nothing is refused."""
    package = example()
    second = copy.deepcopy(package["projects"][0])
    second["id"] = "oc4ids-bu3kcz-" + "x" * 45
    third = {"id": "other/project 3"}  # nothing but the id, and one that is no code
    package["projects"] += [second, third]
    done = import_oc4ids(as_bytes(package), plan_code=demo.code)
    warnings = "\n".join(done.warnings)
    assert "/projects/1/id: the facility code" in warnings and "is not a code" in warnings
    assert "/projects/2/title: the project has no title" in warnings
    assert "/projects/2: no public authority: the measure is led by agency 'unassigned'" in warnings
    assert "/projects/2: no sector: the measure is filed under sphere 'unassigned'" in warnings
    assert "/projects/2: no end date: the measure is due 2027-12-31 (the plan's end)" in warnings
    bare = Facility.objects.get(plan=demo, name="other/project 3")
    assert bare.measure.sphere.code == "unassigned" and bare.measure.due == demo.end
    assert "no end date" in bare.measure.estimate_note
    assert not import_oc4ids(as_bytes(package), plan_code=demo.code).result.changed  # stable codes


def test_the_defaults_the_user_names_are_used(demo):
    package = example()
    package["projects"] = [{"id": "bare-1"}]
    import_oc4ids(as_bytes(package), plan_code=demo.code, sphere_code="roads", agency_code="AKIMAT")
    measure = Facility.objects.get(plan=demo, code="bare-1").measure
    assert (measure.sphere.code, measure.lead_agency.code) == ("roads", "AKIMAT")
    with pytest.raises(Oc4idsRefused, match="There is no sphere 'nope'"):
        import_oc4ids(as_bytes(package), plan_code=demo.code, sphere_code="nope")


def test_a_project_for_an_existing_measure_only_writes_the_facility(demo):
    package = export_package([demo], as_of=AS_OF, published=PUBLISHED)
    kos = next(p for p in package["projects"] if p["identifiers"][0]["id"] == "facility/KOS-2")
    kos["description"] = "A different measure title"
    kos["forecasts"][0]["observations"][0]["measure"] = 75000
    package["projects"] = [kos]
    done = import_oc4ids(as_bytes(package), plan_code=demo.code)
    assert done.result.updated == {"facilities": 1}
    assert Facility.objects.get(plan=demo, code="KOS-2").capacity_target == Decimal("75000")
    assert Measure.objects.get(plan=demo, code="W-01").title.startswith("KOS-2 wastewater")


def test_the_import_command(demo, tmp_path):
    out = io.StringIO()
    call_command("import_oc4ids", str(EXAMPLE), "--plan", demo.code, stdout=out)
    assert "1 projects imported into plan MNG-URGENT-2024" in out.getvalue()
    out = io.StringIO()
    call_command("import_oc4ids", str(EXAMPLE), "--plan", demo.code, stdout=out)
    assert "nothing changed" in out.getvalue()
    with pytest.raises(CommandError, match="There is no plan 'NOPE'"):
        call_command("import_oc4ids", str(EXAMPLE), "--plan", "NOPE")
    bad = tmp_path / "bad.json"
    bad.write_text('{"projects": "none"}')
    with pytest.raises(CommandError, match="/projects: 'none' is not of type 'array'"):
        call_command("import_oc4ids", str(bad), "--plan", demo.code)


def test_an_export_from_before_the_id_prefixes_still_imports_unchanged(demo):
    package = export_package([demo], as_of=AS_OF, published=PUBLISHED)
    for project in package["projects"]:
        for item in project["identifiers"] + project["additionalClassifications"]:
            item["id"] = item["id"].split("/", 1)[1]
    done = import_oc4ids(as_bytes(package), plan_code=demo.code)
    assert not done.result.changed
