"""Export -> import round-trips: into the same database (nothing changes), into an empty one (the
same plan comes back, and exporting it again gives the same files), and as a copy under a new code."""

import csv
import io

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from baqylau.interop.workbook import SHEETS, export_workbook, import_workbook
from baqylau.plans.models import Measure, Plan

SHEET_NAMES = sorted(s.name for s in SHEETS)


def history_rows() -> int:
    """Rows in every audit-history table of the domain (many-to-many snapshots included)."""
    total = 0
    for model in apps.get_models(include_auto_created=True):
        if model.__name__.startswith("Historical") and model._meta.app_label != "simple_history":
            total += model._default_manager.count()
    return total


def empty_the_database() -> None:
    """Delete every row of every Baqylau table, as in a database just migrated.

    Foreign keys are checked at commit, which never comes: the test's transaction is rolled back,
    so the demo plan is back for the next test.
    """
    tables = [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("baqylau.")
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def check_foreign_keys() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.check_constraints()


def xlsx_rows(path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def csv_files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("target", ["plan.xlsx", "plan.zip", "plan"])
def test_reimporting_an_export_changes_nothing(demo, tmp_path, target):
    export_workbook(demo, tmp_path / target)
    before = history_rows()
    result = import_workbook(tmp_path / target)
    assert result.ok and result.written, [str(p) for p in result.problems]
    assert (result.created, result.updated) == ({}, {})
    assert result.rows["measures"] == demo.measures.count()
    assert history_rows() == before


def test_round_trip_into_an_empty_database(demo, tmp_path):
    export_workbook(demo, tmp_path / "first.xlsx")
    export_workbook(demo, tmp_path / "first")
    measures = demo.measures.count()
    empty_the_database()
    assert not Plan.objects.exists() and history_rows() == 0

    result = import_workbook(tmp_path / "first.xlsx")  # no --plan: the plan sheet says which
    assert result.ok and result.written, [str(p) for p in result.problems]
    check_foreign_keys()
    assert result.created["measures"] == measures and result.created["plan"] == 1
    assert result.updated == {}
    plan = Plan.objects.get()
    assert plan.code == "MNG-URGENT-2024" and plan.declared_measures == 118
    export_workbook(plan, tmp_path / "second.xlsx")
    export_workbook(plan, tmp_path / "second")
    assert csv_files(tmp_path / "second") == csv_files(tmp_path / "first")
    assert xlsx_rows(tmp_path / "second.xlsx") == xlsx_rows(tmp_path / "first.xlsx")

    history = history_rows()
    again = import_workbook(tmp_path / "first")
    assert (again.created, again.updated) == ({}, {})
    assert history_rows() == history


def test_the_history_of_an_imported_measure_shows_its_territories(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    empty_the_database()
    assert import_workbook(tmp_path / "plan").ok
    record = Measure.history.get(code="W-02")
    assert record.history_type == "+" and record.history_change_reason == "Workbook import: plan"
    assert sorted(t.territory.code for t in record.territories.all()) == ["KAR", "MUN", "TUP"]


def test_a_copy_under_a_new_plan_code(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    plan_csv = tmp_path / "plan" / "plan.csv"
    plan_csv.write_bytes(plan_csv.read_bytes().replace(b"MNG-URGENT-2024", b"MNG-COPY"))
    result = import_workbook(tmp_path / "plan", plan_code="MNG-COPY")
    assert result.ok, [str(p) for p in result.problems]
    assert result.created["measures"] == demo.measures.count()
    assert "territories" not in result.created and "territories" not in result.updated  # shared, unchanged
    copy = Plan.objects.get(code="MNG-COPY")
    export_workbook(copy, tmp_path / "copy")
    for name in SHEET_NAMES:
        original = (tmp_path / "plan" / f"{name}.csv").read_bytes()
        assert (tmp_path / "copy" / f"{name}.csv").read_bytes() == original, name
    assert Measure.objects.get(plan=demo, code="W-01").pk != Measure.objects.get(plan=copy, code="W-01").pk


# Text a workbook can hold: anything but control characters, surrogates and the two XML non-characters.
holdable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=holdable_text, title_kk=holdable_text)
@pytest.mark.parametrize("target", ["plan.xlsx", "plan"])
def test_any_unicode_title_survives_the_round_trip(demo, tmp_path_factory, target, title, title_kk):
    Measure.objects.filter(plan=demo, code="W-01").update(title=title, title_kk=title_kk)
    path = tmp_path_factory.mktemp("unicode") / target
    export_workbook(demo, path)
    Measure.objects.filter(plan=demo, code="W-01").update(title="changed", title_kk="")
    result = import_workbook(path)
    assert result.ok, [str(p) for p in result.problems]
    assert result.updated == {"measures": 1}
    measure = Measure.objects.get(plan=demo, code="W-01")
    assert (measure.title, measure.title_kk) == (title, title_kk)


def test_the_export_lists_what_the_plan_uses(demo, tmp_path):
    export_workbook(demo, tmp_path / "plan")
    read = {
        name: list(csv.DictReader(io.StringIO((tmp_path / "plan" / f"{name}.csv").read_text("utf-8-sig"))))
        for name in SHEET_NAMES
    }
    assert [r["code"] for r in read["plan"]] == ["MNG-URGENT-2024"]
    assert {r["code"] for r in read["territories"]} >= {"MNG", "AKT", "ZHA", "BEI"}
    assert {r["code"] for r in read["spheres"]} == set(demo.measures.values_list("sphere__code", flat=True))
    kos = next(r for r in read["facilities"] if r["code"] == "KOS-2")
    assert (kos["capacity_baseline"], kos["capacity_target"], kos["measure"]) == ("30000", "70000", "W-01")
    one_week = next(r for r in read["instructions"] if r["code"] == "I-01")
    assert (one_week["term_days"], one_week["due"], one_week["executors"]) == (
        "7",
        "2024-06-21",
        "AKIMAT;MNE",
    )


def test_the_texts_a_page_shows_in_three_languages_travel_in_the_workbook(demo, tmp_path):
    """Completion forms, units, event hosts and places have _ru and _kk columns; they come back."""
    from baqylau.indicators.models import Indicator
    from baqylau.instructions.models import Event
    from baqylau.plans.models import Facility

    export_workbook(demo, tmp_path / "plan")
    header = {
        name: (tmp_path / "plan" / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        for name in ("measures", "facilities", "indicators", "events")
    }
    assert {"completion_form_ru", "completion_form_kk"} <= set(header["measures"])
    assert {"capacity_unit_ru", "capacity_unit_kk"} <= set(header["facilities"])
    assert {"unit_ru", "unit_kk"} <= set(header["indicators"])
    assert {"held_by_ru", "held_by_kk", "place_ru", "place_kk"} <= set(header["events"])

    empty_the_database()
    result = import_workbook(tmp_path / "plan")
    assert result.ok and result.written, [str(p) for p in result.problems]
    assert Measure.objects.get(code="W-04").completion_form_kk == "зауыт пайдалануға берілді"
    assert Facility.objects.filter(capacity_unit="m³/day").exclude(capacity_unit_kk="м³/тәул").count() == 0
    assert (
        Indicator.objects.filter(unit="places").values_list("unit_ru", flat=True).distinct().get() == "мест"
    )
    event = Event.objects.filter(place="Aktau").get()
    assert (event.place_kk, event.held_by_ru) == ("Ақтау", "Заместитель Премьер-Министра Канат Бозумбаев")
