"""Facility kinds are a reference list the office extends (with translations), not a list in the code."""

import csv
import io
import json

import pytest
from django.urls import reverse

from baqylau.interop.oc4ids import export_package, import_oc4ids
from baqylau.interop.workbook import export_workbook, import_workbook
from baqylau.interop.workbook.exporter import csv_bytes
from baqylau.plans.models import Facility, Measure
from baqylau.reference.models import FacilityKind

REGIONAL_KINDS = [
    ("water_intake", "water intake", "водозабор", "су тартқыш"),
    ("pumping_station", "pumping station", "насосная станция", "сорғы станциясы"),
    ("substation", "substation", "подстанция", "қосалқы станция"),
    ("kindergarten", "kindergarten", "детский сад", "балабақша"),
]


def test_the_kinds_that_were_choices_are_rows_with_their_translations(demo):
    school = FacilityKind.objects.get(code="school")
    assert (school.name, school.name_ru, school.name_kk) == ("school", "школа", "мектеп")
    assert FacilityKind.objects.count() >= 14
    assert Facility.objects.get(code="KOS-2").kind.name_ru == "очистные сооружения"


def _rewrite(folder, sheet, header, rows):
    (folder / f"{sheet}.csv").write_bytes(csv_bytes(header, [[r.get(c, "") for c in header] for r in rows]))


def _read(folder, sheet):
    reader = csv.DictReader(
        io.StringIO((folder / f"{sheet}.csv").read_text(encoding="utf-8-sig"), newline="")
    )
    return list(reader.fieldnames), list(reader)


def test_a_workbook_with_the_regions_own_kinds_imports(demo, tmp_path):
    export_workbook(demo, tmp_path)
    _rewrite(
        tmp_path,
        "facility_kinds",
        ["code", "name", "name_ru", "name_kk"],
        [dict(zip(("code", "name", "name_ru", "name_kk"), kind, strict=True)) for kind in REGIONAL_KINDS],
    )
    header, rows = _read(tmp_path, "facilities")
    new = []
    for i, (code, *_names) in enumerate(REGIONAL_KINDS):
        new.append({**rows[0], "code": f"NEW-{i}", "name": f"New {code}", "kind": code})
    _rewrite(tmp_path, "facilities", header, rows + new)
    result = import_workbook(tmp_path, plan_code=demo.code)
    assert not result.problems, [str(p) for p in result.problems]
    assert result.created == {"facility_kinds": 4, "facilities": 4}
    assert FacilityKind.objects.get(code="substation").name_kk == "қосалқы станция"
    assert Facility.objects.get(plan=demo, code="NEW-2").kind_id == "substation"
    again = import_workbook(tmp_path, plan_code=demo.code)  # and it round-trips: nothing changes
    assert not again.created and not again.updated


def test_an_office_added_kind_travels_through_oc4ids(demo):
    FacilityKind.objects.create(code="substation", name="substation", name_ru="подстанция")
    facility = Facility.objects.get(code="KOS-2")
    facility.kind_id = "substation"
    facility.save()
    package = export_package([demo])
    exported = next(p for p in package["projects"] if p["identifiers"][0]["id"] == "facility/KOS-2")
    assert exported["additionalClassifications"][0]["id"] == "facility-kind/substation"
    kos = next(p for p in package["projects"] if p["identifiers"][0]["id"] == "facility/KOS-2")
    kos["identifiers"][0]["id"] = "facility/KOS-3"
    kos["additionalClassifications"][0] = {
        "scheme": "baqylau-facility-kind",
        "id": "facility-kind/water_intake",
        "description": "water intake",
    }
    package["projects"] = [kos]
    import_oc4ids(json.dumps(package).encode(), plan_code=demo.code)  # a kind the database lacks
    created = Facility.objects.get(plan=demo, code="KOS-3")
    assert created.kind_id == "water_intake" and created.kind.name == "water intake"


def test_the_api_lists_kinds_and_filters_facilities_by_kind(api, demo):
    kinds = api["viewer"].get("/api/v1/facility-kinds/").json()["results"]
    assert {"code": "school", "name_ru": "школа"}.items() <= next(
        k for k in kinds if k["code"] == "school"
    ).items()
    schools = api["viewer"].get("/api/v1/facilities/", {"kind": "school"}).json()["results"]
    assert schools and {f["kind"] for f in schools} == {"school"}
    assert api["viewer"].get("/api/v1/facilities/", {"kind": "castle"}).status_code == 400


@pytest.mark.parametrize(("username", "allowed"), [("office", True), ("energy", False), ("viewer", False)])
def test_only_the_office_adds_a_kind_in_the_admin(client, users, username, allowed):
    user = users[username]
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("admin:reference_facilitykind_add"),
        {"code": "clinic", "name": "clinic", "name_ru": "поликлиника"},
    )
    assert FacilityKind.objects.filter(code="clinic").exists() == allowed
    assert response.status_code == (302 if allowed else 403)


def test_a_kind_in_use_cannot_be_deleted(demo):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        FacilityKind.objects.get(code="school").delete()
    assert Measure.objects.filter(facilities__kind__code="school").exists()
