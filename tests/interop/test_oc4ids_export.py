"""OC4IDS 0.9.5 export: every package is valid against the official schema, resolved offline."""

import datetime as dt
import json
import socket

import pytest
from django.core.management import CommandError, call_command
from referencing.exceptions import Unresolvable

from baqylau.interop.oc4ids import (
    Oc4idsRefused,
    Publisher,
    dumps,
    export_package,
    package_validator,
    project_status,
    registry,
    schema_problems,
)
from baqylau.interop.oc4ids.codes import milestone_status, project_type
from baqylau.interop.oc4ids.schema import EXAMPLE, PACKAGE_SCHEMA, PROJECT_SCHEMA, codelist
from baqylau.plans.models import Facility, Measure, Plan
from baqylau.reference.models import Agency, Sphere, Territory

AS_OF = dt.date(2025, 11, 30)
PUBLISHED = dt.datetime(2025, 11, 30, 12, 0, tzinfo=dt.UTC)
D = dt.date


def export(*plans, **kwargs) -> dict:
    return export_package(plans, as_of=kwargs.pop("as_of", AS_OF), published=PUBLISHED, **kwargs)


def projects(package) -> dict[str, dict]:
    return {p["identifiers"][0]["id"].removeprefix("facility/"): p for p in package["projects"]}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the network was used")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def bare_plan(db):
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
    return plan


def test_the_bundled_example_is_valid(no_network):
    registry.cache_clear()
    package_validator.cache_clear()
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert schema_problems(example) == []


def test_the_registry_resolves_the_project_schema_locally_and_nothing_else(no_network):
    project_id = json.loads(PROJECT_SCHEMA.read_text())["id"]
    resolver = registry().resolver()
    assert resolver.lookup(project_id).contents["id"] == project_id
    assert (
        resolver.lookup(json.loads(PACKAGE_SCHEMA.read_text())["id"])
        .contents["title"]
        .startswith("Schema for")
    )
    with pytest.raises(Unresolvable):
        resolver.lookup("https://standard.open-contracting.org/infrastructure/schema/0__9__5/elsewhere.json")


def test_demo_export_is_valid_oc4ids(demo, no_network):
    package = export(demo)
    assert schema_problems(package) == []
    assert schema_problems(json.loads(dumps(package))) == []  # and as JSON text
    assert package["version"] == "0.9" and package["publishedDate"] == "2025-11-30T12:00:00Z"
    assert len(package["projects"]) == Facility.objects.filter(plan=demo).count()
    assert len({p["id"] for p in package["projects"]}) == len(package["projects"])


def test_bare_plan_export_is_valid(bare_plan, no_network):
    package = export(bare_plan)
    assert schema_problems(package) == []
    bare = package["projects"][0]
    assert bare["id"] == "oc4ids-baqylau-BARE-F-1"
    assert (
        "locations" not in bare and "budget" not in bare and "sector" not in bare and "forecasts" not in bare
    )
    assert bare["period"] == {"endDate": "2025-12-31T00:00:00Z"}


def test_a_plan_without_facilities_is_refused(db):
    region = Territory.objects.get(code="MNG")
    empty = Plan.objects.create(
        code="EMPTY", title="Empty", region=region, start=D(2025, 1, 1), end=D(2025, 12, 31)
    )
    with pytest.raises(Oc4idsRefused, match="at least one project"):
        export(empty)


def test_a_project_says_what_the_plan_says(demo):
    kos = projects(export(demo))["KOS-2"]
    assert (
        kos["title"] == "KOS-2 wastewater treatment complex"
        and kos["title_ru"] == "Комплекс очистных сооружений КОС-2"
    )
    assert kos["description_kk"].startswith("КОС-2 тазарту құрылыстары кешені")
    assert kos["identifiers"] == [
        {"id": "facility/KOS-2", "scheme": "baqylau-facility"},
        {"id": "measure/W-01", "scheme": "baqylau-measure"},
        {"id": "plan/MNG-URGENT-2024", "scheme": "baqylau-plan"},
    ]
    assert (kos["status"], kos["type"], kos["sector"]) == ("implementation", "expansion", ["waterAndWaste"])
    assert kos["period"] == {
        "startDate": "2024-01-01T00:00:00Z",
        "endDate": "2025-12-31T00:00:00Z",
        "durationInDays": 730,
    }
    assert kos["budget"]["amount"] == {"amount": 3200000000, "currency": "KZT"}
    location = kos["locations"][0]
    assert location["geometry"] == {"type": "Point", "coordinates": [51.2, 43.62]}  # GeoJSON: lon, lat
    assert location["gazetteer"] == {"scheme": "baqylau-territory", "identifiers": ["AKT"]}
    assert location["address"] == {
        "region": "Mangystau region",
        "countryName": "Kazakhstan",
        "locality": "Aktau city",
    }
    roles = {p["id"]: p["roles"] for p in kos["parties"]}
    assert roles == {"AKIMAT": ["publicAuthority"], "MIC": ["coExecutor"]}
    assert kos["publicAuthority"] == {"id": "AKIMAT", "name": "Akimat of Mangystau region"}
    capacity = kos["forecasts"][0]
    assert capacity["id"] == "capacity"
    assert capacity["observations"][0]["measure"] == 70000 and capacity["observations"][0]["unit"] == {
        "name": "m³/day"
    }
    assert {o["id"]: o["measure"] for o in kos["metrics"][0]["observations"]} == {"baseline": 30000}
    assert set(codelist("projectSector.csv")) >= {
        s for p in export(demo)["projects"] for s in p.get("sector", [])
    }


def test_commissioned_capacity_progress_and_milestones(demo):
    all_projects = projects(export(demo))
    kenderli = all_projects["KENDERLI"]
    assert kenderli["status"] == "completion" and kenderli["completion"] == {
        "endDate": "2025-10-27T00:00:00Z"
    }
    metrics = {m["id"]: m for m in kenderli["metrics"]}
    assert {o["id"]: o["measure"] for o in metrics["capacity"]["observations"]} == {
        "baseline": 0,
        "commissioned": 50000,
    }
    assert [o["measure"] for o in metrics["physicalProgress"]["observations"]] == [100]
    commissioning = kenderli["milestones"][0]
    assert (commissioning["code"], commissioning["status"], commissioning["dateMet"]) == (
        "commissioning",
        "met",
        "2025-10-27T00:00:00Z",
    )
    heat = all_projects["HEAT-MAIN-AKT"]
    assert heat["type"] == "replacement"
    indicator = {m["id"]: m for m in heat["metrics"]}["indicator/HEAT-KM"]
    assert [o["measure"] for o in indicator["observations"]] == [11.5, 44]
    assert indicator["title_ru"] == "Заменено магистральных теплосетей, нарастающим итогом"
    landfill = all_projects["ZHA-LANDFILL"]
    instruction = {m["id"]: m for m in landfill["milestones"]}["instruction/I-02"]
    assert instruction["title_kk"].startswith("Жаңаөзендегі") and instruction["status"] == "notMet"
    assert instruction["dueDate"] == "2024-12-31T00:00:00Z"


def test_shared_budgets_say_so(demo):
    college = projects(export(demo))["BEINEU-COLLEGE"]
    assert "budget" not in college  # ED-03 has no budget in the demo
    Measure.objects.filter(plan=demo, code="ED-03").update(budget_planned_kzt=1_000_000)
    college = projects(export(demo))["BEINEU-COLLEGE"]
    assert "shared by its 2 facilities" in college["budget"]["description"]


@pytest.mark.parametrize(
    ("start", "completed", "as_of", "status"),
    [
        (D(2024, 1, 1), None, D(2023, 6, 1), "preparation"),
        (D(2024, 1, 1), None, D(2024, 6, 1), "implementation"),
        (None, None, D(2024, 6, 1), "implementation"),
        (D(2024, 1, 1), D(2025, 1, 1), D(2025, 6, 1), "completion"),
        (D(2024, 1, 1), D(2025, 1, 1), D(2024, 6, 1), "implementation"),
    ],
)
def test_project_status_mapping(start, completed, as_of, status):
    assert project_status(start=start, completed_on=completed, as_of=as_of) == status
    assert status in codelist("projectStatus.csv")


def test_project_type_and_milestone_status():
    assert project_type("heat_network", 0, 44) == "replacement"
    assert project_type("reclamation", None, 1344) == "rehabilitation"
    assert project_type("desalination", 20000, 40000) == "expansion"
    assert project_type("school", 0, 600) == "construction"
    assert milestone_status(due=D(2025, 1, 1), met=D(2024, 12, 1), as_of=D(2025, 6, 1)) == "met"
    assert milestone_status(due=D(2025, 1, 1), met=None, as_of=D(2025, 6, 1)) == "notMet"
    assert milestone_status(due=D(2026, 1, 1), met=None, as_of=D(2025, 6, 1)) == "scheduled"


def test_the_export_command(demo, bare_plan, tmp_path):
    path = tmp_path / "package.json"
    call_command("export_oc4ids", "--plan", "BARE", "-o", str(path), "--prefix", "oc4ids-ab12cd")
    package = json.loads(path.read_text(encoding="utf-8"))
    assert schema_problems(package) == [] and package["projects"][0]["id"] == "oc4ids-ab12cd-BARE-F-1"
    call_command("export_oc4ids", "-o", str(path), "--as-of", "2025-11-30")
    assert {p["identifiers"][2]["id"] for p in json.loads(path.read_text())["projects"]} == {
        "plan/BARE",
        f"plan/{demo.code}",
    }
    with pytest.raises(CommandError, match="no plan with code 'NOPE'"):
        call_command("export_oc4ids", "--plan", "NOPE")


def test_publisher_settings(settings):
    settings.BAQYLAU_OC4IDS = {"name": "Mangystau project office", "prefix": "oc4ids-zz99zz"}
    assert Publisher.configured() == Publisher(name="Mangystau project office", prefix="oc4ids-zz99zz")
    assert Publisher.configured("oc4ids-aa11aa").prefix == "oc4ids-aa11aa"
