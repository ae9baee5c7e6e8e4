"""Writing through the API: the permission matrix, lost updates (409), the review workflow, bad input.

H-00 is led by the Ministry of Energy (``energy``) with the akimat co-executing: the akimat sees the
ministry's reports on it but may not write them. E-01 is KazAzot's, seen by neither agency editor. I-02 is
executed by the akimat (and MENR), not by the Ministry of Energy.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baqylau.instructions.models import Instruction
from baqylau.plans.models import Measure
from baqylau.reports.models import Report, ReportActual, ReportAttachment

D = dt.date
ROLES = ("office", "reviewer", "energy", "akimat", "viewer")


@pytest.fixture
def h00(demo):
    return Measure.objects.get(code="H-00")


@pytest.fixture
def draft(users, h00):
    """A draft report of the Ministry of Energy on H-00."""
    return Report.objects.create(
        measure=h00,
        agency=users["energy"].profile.agency,
        period_end=D(2025, 12, 31),
        narrative="Wear reduced on the main network.",
        progress=60,
        author=users["energy"],
    )


@pytest.fixture
def submitted(draft):
    Report.objects.filter(pk=draft.pk).update(state="submitted", submitted_on=D(2026, 1, 5))
    draft.refresh_from_db()
    return draft


def url(kind, obj, action=""):
    return f"/api/v1/{kind}/{obj.pk}/" + (f"{action}/" if action else "")


# --- the permission matrix: every role against every write endpoint ------------------------------------
# 2xx allowed; 403 refused; 404: the item is not visible to the role, so for it the item does not exist.

MATRIX = {
    "patch measure, execution field": {
        "office": 200, "energy": 200, "akimat": 200, "reviewer": 403, "viewer": 403,
    },
    "patch measure, plan field": {
        "office": 200, "energy": 403, "akimat": 403, "reviewer": 403, "viewer": 403,
    },
    "patch another agency's measure": {
        "office": 200, "energy": 404, "akimat": 404, "reviewer": 403, "viewer": 403,
    },
    "create report": {"office": 201, "energy": 201, "akimat": 201, "reviewer": 403, "viewer": 403},
    "update draft report": {"office": 200, "energy": 200, "akimat": 403, "reviewer": 403, "viewer": 403},
    "submit report": {"office": 200, "energy": 200, "akimat": 403, "reviewer": 403, "viewer": 403},
    "accept report": {"office": 200, "reviewer": 200, "energy": 403, "akimat": 403, "viewer": 403},
    "return report": {"office": 200, "reviewer": 200, "energy": 403, "akimat": 403, "viewer": 403},
    "change deadline": {"office": 200, "akimat": 403, "energy": 404, "reviewer": 403, "viewer": 403},
}  # fmt: skip


def perform(endpoint, client, h00, draft, submitted_report=None):
    if endpoint == "patch measure, execution field":
        return client.patch(url("measures", h00), {"budget_spent_kzt": "1500000.00", "version": h00.version})
    if endpoint == "patch measure, plan field":
        return client.patch(url("measures", h00), {"due": "2028-06-30", "version": h00.version})
    if endpoint == "patch another agency's measure":
        kazazot = Measure.objects.get(code="E-01")
        return client.patch(
            url("measures", kazazot), {"budget_source": "investment", "version": kazazot.version}
        )
    if endpoint == "create report":
        body = {"measure": h00.pk, "period_end": "2026-03-31", "narrative": "Q1", "progress": 65}
        return client.post("/api/v1/reports/", body)
    if endpoint == "update draft report":
        return client.patch(url("reports", draft), {"progress": 62, "version": draft.version})
    if endpoint == "submit report":
        return client.post(url("reports", draft, "submit"), {"version": draft.version})
    if endpoint in ("accept report", "return report"):
        Report.objects.filter(pk=draft.pk).update(state="submitted", submitted_on=D(2026, 1, 5))
        action = endpoint.split()[0]
        return client.post(url("reports", draft, action), {"version": draft.version, "comment": "Give km."})
    if endpoint == "change deadline":
        instruction = Instruction.objects.get(code="I-02")
        body = {"new_due": "2025-03-31", "reason": "Winter works", "version": instruction.version}
        return client.post(url("instructions", instruction, "deadline"), body)
    raise AssertionError(endpoint)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_permission_matrix(api, h00, draft, endpoint, role):
    response = perform(endpoint, api[role], h00, draft)
    assert response.status_code == MATRIX[endpoint][role], response.content
    if response.status_code >= 400:
        assert "detail" in response.json()


def test_a_refused_write_changes_nothing(api, h00, draft):
    before = (h00.due, h00.version)
    assert perform("patch measure, plan field", api["energy"], h00, draft).status_code == 403
    h00.refresh_from_db()
    assert (h00.due, h00.version) == before
    assert perform("accept report", api["energy"], h00, draft).status_code == 403
    draft.refresh_from_db()
    assert draft.state == "submitted"  # as the test put it; not accepted


def test_the_refusal_names_the_fields_only_the_office_may_change(api, h00):
    response = api["akimat"].patch(url("measures", h00), {"due": "2028-06-30", "weight": 2, "version": 1})
    assert response.status_code == 403
    assert "due" in response.json()["detail"] and "weight" in response.json()["detail"]


def test_no_role_no_access(api, users, demo):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    stranger = get_user_model().objects.create_user("stranger", password="x-long-password")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=stranger).key}")
    for path in ("/api/v1/plans/", "/api/v1/measures/", "/api/v1/reports/"):
        assert client.get(path).status_code == 403


# --- lost updates ---------------------------------------------------------------------------------------


def test_a_stale_version_is_refused_with_409_saying_who_changed_what(api, h00):
    read_by_energy = api["energy"].get(url("measures", h00)).json()["version"]
    read_by_office = api["office"].get(url("measures", h00)).json()["version"]
    first = api["office"].patch(url("measures", h00), {"due": "2028-06-30", "version": read_by_office})
    assert first.status_code == 200
    assert first.json()["version"] == read_by_office + 1

    second = api["energy"].patch(url("measures", h00), {"budget_spent_kzt": "5", "version": read_by_energy})
    assert second.status_code == 409
    body = second.json()
    assert body["code"] == "edit_conflict"
    assert body["current_version"] == read_by_office + 1
    assert body["changes"][0]["user"] == "office"
    assert "due" in body["changes"][0]["fields"]
    assert "office changed due" in body["detail"]
    h00.refresh_from_db()
    assert h00.budget_spent_kzt is None  # nothing of the stale write was saved
    assert h00.due == D(2028, 6, 30)

    again = api["energy"].patch(
        url("measures", h00), {"budget_spent_kzt": "5", "version": body["current_version"]}
    )
    assert again.status_code == 200


def test_stale_versions_are_refused_on_reports_and_deadlines(api, draft, demo):
    stale = draft.version
    assert api["energy"].patch(url("reports", draft), {"progress": 61, "version": stale}).status_code == 200
    assert api["energy"].patch(url("reports", draft), {"progress": 70, "version": stale}).status_code == 409
    assert api["energy"].post(url("reports", draft, "submit"), {"version": stale}).status_code == 409
    draft.refresh_from_db()
    assert (draft.progress, draft.state) == (61, "draft")

    instruction = Instruction.objects.get(code="I-02")
    body = {"new_due": "2025-03-31", "reason": "Winter", "version": instruction.version}
    assert api["office"].post(url("instructions", instruction, "deadline"), body).status_code == 200
    body["new_due"] = "2025-06-30"
    response = api["office"].post(url("instructions", instruction, "deadline"), body)
    assert response.status_code == 409 and response.json()["code"] == "edit_conflict"
    instruction.refresh_from_db()
    assert instruction.due == D(2025, 3, 31)
    assert instruction.deadline_changes.count() == 1


# --- the review workflow --------------------------------------------------------------------------------


def test_agency_reports_reviewer_accepts_and_the_judgement_changes(api, users, demo):
    w03 = Measure.objects.get(code="W-03")  # MAEK leads, the Ministry of Energy co-executes; 25% and late
    today = timezone.localdate()
    measure_url = f"{url('measures', w03)}?as_of={today}"
    before = api["viewer"].get(measure_url).json()["judgement"]
    assert before["status"] != "done"

    created = api["energy"].post(
        "/api/v1/reports/",
        {
            "measure": w03.pk,
            "period_end": today.isoformat(),
            "narrative": "Plant in service.",
            "progress": 100,
        },
    )
    assert created.status_code == 201, created.content
    report = created.json()
    assert (report["state"], report["agency"], report["author"]) == ("draft", "MEN", "energy")
    assert api["viewer"].get(measure_url).json()["judgement"] == before  # a draft says nothing yet

    submitted = api["energy"].post(f"/api/v1/reports/{report['id']}/submit/", {"version": report["version"]})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert api["viewer"].get(measure_url).json()["judgement"] == before  # nor does a submitted one

    # Completion without evidence is refused and changes nothing.
    refused = api["reviewer"].post(
        f"/api/v1/reports/{report['id']}/accept/",
        {"version": submitted.json()["version"], "comment": "Fine."},
    )
    assert refused.status_code == 400 and "evidence" in refused.content.decode().lower()
    assert Report.objects.get(pk=report["id"]).state == "submitted"

    # The evidence goes up through the API too, while the report is a draft or returned.
    late_upload = api["energy"].post(
        f"/api/v1/reports/{report['id']}/attachments/",
        {"file": SimpleUploadedFile("act.pdf", b"%PDF-1.4 act")},
        format="multipart",
    )
    assert late_upload.status_code == 409  # submitted: nothing changes it now
    returned = api["reviewer"].post(
        f"/api/v1/reports/{report['id']}/return/",
        {"version": submitted.json()["version"], "comment": "Attach the commissioning act."},
    )
    assert returned.status_code == 200, returned.content
    disguised = api["energy"].post(
        f"/api/v1/reports/{report['id']}/attachments/",
        {"file": SimpleUploadedFile("act.pdf", b"<html>not a pdf</html>")},
        format="multipart",
    )
    assert disguised.status_code == 400 and "file" in disguised.json()
    uploaded = api["energy"].post(
        f"/api/v1/reports/{report['id']}/attachments/",
        {"file": SimpleUploadedFile("act.pdf", b"%PDF-1.4 act")},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.content
    assert [a["original_name"] for a in uploaded.json()["attachments"]] == ["act.pdf"]
    submitted = api["energy"].post(
        f"/api/v1/reports/{report['id']}/submit/", {"version": uploaded.json()["version"]}
    )
    assert submitted.status_code == 200, submitted.content
    assert ReportAttachment.objects.filter(report_id=report["id"]).count() == 1
    accepted = api["reviewer"].post(
        f"/api/v1/reports/{report['id']}/accept/",
        {"version": submitted.json()["version"], "comment": "Fine."},
    )
    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["state"], accepted.json()["reviewed_by"]) == ("accepted", "reviewer")

    after = api["viewer"].get(measure_url).json()["judgement"]
    assert (after["status"], after["progress"]) == ("done", 100.0)
    assert after["last_report_on"] == today.isoformat()
    assert after["explanation"] != before["explanation"]


def test_return_needs_a_comment_then_the_agency_reworks_and_resubmits(api, submitted):
    missing = api["reviewer"].post(url("reports", submitted, "return"), {"version": submitted.version})
    assert missing.status_code == 400
    assert "comment" in missing.json()
    returned = api["reviewer"].post(
        url("reports", submitted, "return"),
        {"version": submitted.version, "comment": "Give the km replaced."},
    )
    assert returned.status_code == 200
    body = returned.json()
    assert (body["state"], body["review_comment"]) == ("returned", "Give the km replaced.")

    edited = api["energy"].patch(
        url("reports", submitted), {"narrative": "12 km replaced.", "version": body["version"]}
    )
    assert edited.status_code == 200
    resubmitted = api["energy"].post(
        url("reports", submitted, "submit"), {"version": edited.json()["version"]}
    )
    assert resubmitted.status_code == 200 and resubmitted.json()["state"] == "submitted"


def test_wrong_state_is_409(api, draft, submitted):
    response = api["reviewer"].post(url("reports", draft, "accept"), {"version": draft.version})
    assert response.status_code == 200  # `submitted` moved the same report on
    accepted = response.json()
    for role, action in (("energy", "submit"), ("office", "accept"), ("reviewer", "return")):
        again = api[role].post(
            url("reports", draft, action), {"version": accepted["version"], "comment": "x"}
        )
        assert again.status_code == 409, (role, action)
        assert again.json()["code"] == "wrong_state"
    edit = api["office"].patch(
        url("reports", draft), {"narrative": "late edit", "version": accepted["version"]}
    )
    assert edit.status_code == 409 and edit.json()["code"] == "wrong_state"


def test_instruction_reports_say_executed(api, demo):
    instruction = Instruction.objects.get(code="I-05")
    body = {"instruction": instruction.pk, "period_end": "2024-12-20", "narrative": "Done.", "executed": True}
    created = api["akimat"].post("/api/v1/reports/", body)
    assert created.status_code == 201
    assert (created.json()["instruction"], created.json()["item_code"]) == (instruction.pk, "I-05")


# --- deadlines ------------------------------------------------------------------------------------------


def test_a_deadline_change_keeps_the_old_date_and_the_reason(api, demo):
    instruction = Instruction.objects.get(code="I-02")
    old_due = instruction.due
    response = api["office"].post(
        url("instructions", instruction, "deadline"),
        {"new_due": "2025-03-31", "reason": "Winter works", "changed_on": "2024-12-20", "decided_by": "DPM",
         "version": instruction.version},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["due"], body["initial_due"], body["version"]) == ("2025-03-31", old_due.isoformat(), 2)
    assert body["deadline_changes"] == [
        {"changed_on": "2024-12-20", "old_due": old_due.isoformat(), "new_due": "2025-03-31",
         "reason": "Winter works", "decided_by": "DPM"}
    ]  # fmt: skip


# --- history: every write records who, and that it came through the API ---------------------------------


def test_writes_are_recorded_with_the_user_and_the_api_interface(api, users, h00, draft):
    assert (
        api["energy"]
        .patch(url("measures", h00), {"budget_spent_kzt": "7", "version": h00.version})
        .status_code
        == 200
    )
    record = h00.history.order_by("-history_id").first()
    assert (record.history_user, record.history_interface) == (users["energy"], "api")

    created = api["energy"].post(
        "/api/v1/reports/",
        {"measure": h00.pk, "period_end": "2026-03-31", "narrative": "Q1", "progress": 65,
         "indicator_values": [{"indicator": h00.indicators.get().code, "value": 3}]},
    )  # fmt: skip
    report = Report.objects.get(pk=created.json()["id"])
    record = report.history.order_by("-history_id").first()
    assert (record.history_user, record.history_interface) == (users["energy"], "api")
    value = ReportActual.history.filter(report_id=report.pk).get()
    assert (value.history_user, value.history_interface) == (users["energy"], "api")

    api["energy"].post(url("reports", report, "submit"), {"version": created.json()["version"]})
    api["reviewer"].post(url("reports", report, "accept"), {"version": report.version + 1})
    record = report.history.order_by("-history_id").first()
    assert (record.state, record.history_user, record.history_interface) == (
        "accepted",
        users["reviewer"],
        "api",
    )

    instruction = Instruction.objects.get(code="I-02")
    api["office"].post(
        url("instructions", instruction, "deadline"),
        {"new_due": "2025-03-31", "reason": "Winter", "version": instruction.version},
    )
    change = instruction.deadline_changes.get().history.get()
    assert (change.history_user, change.history_interface) == (users["office"], "api")
    record = instruction.history.order_by("-history_id").first()
    assert (record.history_user, record.history_interface) == (users["office"], "api")


# --- bad input: 400 with the field named, never 500 ------------------------------------------------------

BAD_MEASURE_PATCHES = [
    ({"budget_spent_kzt": "-5"}, "budget_spent_kzt"),
    ({"weight": -1}, "weight"),
    ({"weight": "heavy"}, "weight"),
    ({"due": "not a date"}, "due"),
    ({"due": "2023-01-01"}, "due"),  # before the start
    ({"due": "0001-01-01"}, "due"),
    ({"due": None}, "due"),
    ({"title": ""}, "title"),
    ({"title": 12}, "title"),
    ({"title": "x" * 501}, "title"),
    ({"code": "H-99"}, "code"),  # not writable
    ({"lead_agency": "MEN"}, "lead_agency"),  # not writable
    ({"budget_spent_kzt": "5", "version": "1"}, "version"),  # a string, not a number
    ({"budget_spent_kzt": "5", "version": 0}, "version"),
]


@pytest.mark.parametrize(("body", "field"), BAD_MEASURE_PATCHES, ids=[f for _b, f in BAD_MEASURE_PATCHES])
def test_bad_measure_input_is_400_with_the_field_named(api, h00, body, field):
    response = api["office"].patch(url("measures", h00), {"version": h00.version, **body})
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_patch_without_a_version_is_a_conflict_and_without_changes_is_400(api, h00):
    missing = api["office"].patch(url("measures", h00), {"budget_spent_kzt": "5"})
    assert missing.status_code == 409 and missing.json()["code"] == "edit_conflict"
    assert missing.json()["current_version"] == h00.version and "not sent" in missing.json()["detail"]
    nothing = api["office"].patch(url("measures", h00), {"version": h00.version})
    assert nothing.status_code == 400 and "non_field_errors" in nothing.json()


BAD_REPORTS = [
    ({"progress": -5}, "progress"),
    ({"progress": 150}, "progress"),
    ({"progress": "lots"}, "progress"),
    ({"progress": True}, "progress"),
    ({"period_end": None}, "period_end"),
    ({"period_end": "31.12.2025"}, "period_end"),
    ({"period_start": "2026-01-01", "period_end": "2025-12-31"}, "period_end"),
    ({"narrative": ""}, "narrative"),
    ({"measure": 999999}, "measure"),  # unknown
    ({"measure": "H-00"}, "measure"),  # wrong type: an id is a number
    ({"executed": True}, "executed"),  # a measure reports progress
    ({"executed": "yes"}, "executed"),
    ({"indicator_values": [{"indicator": "NOPE", "value": 1}]}, "indicator_values"),
    ({"indicator_values": [{"indicator": "X", "value": "many"}]}, "indicator_values"),
    ({"indicator_values": {"X": 1}}, "indicator_values"),
    ({"agency": "AKIMAT"}, "agency"),  # not writable: the reporting agency is the user's
]


@pytest.mark.parametrize(
    ("change", "field"), BAD_REPORTS, ids=[f"{f}-{i}" for i, (_c, f) in enumerate(BAD_REPORTS)]
)
def test_bad_report_input_is_400_with_the_field_named(api, h00, change, field):
    body = {"measure": h00.pk, "period_end": "2026-03-31", "narrative": "Q1", "progress": 65, **change}
    response = api["energy"].post("/api/v1/reports/", body)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_an_indicator_value_needs_its_indicator_and_value_also_in_a_patch(api, draft):
    for value in ({}, {"indicator": "X"}, {"value": 1}):
        response = api["energy"].patch(
            url("reports", draft), {"indicator_values": [value], "version": draft.version}
        )
        assert response.status_code == 400 and "indicator_values" in response.json()


def test_missing_fields_are_named(api, demo):
    response = api["energy"].post("/api/v1/reports/", {})
    assert response.status_code == 400
    assert {"period_end", "narrative"} <= set(response.json())
    response = api["energy"].post("/api/v1/reports/", {"measure": Measure.objects.get(code="H-00").pk})
    assert {"period_end", "narrative"} <= set(response.json())


def test_a_report_is_on_one_item_exactly(api, demo):
    both = {
        "measure": Measure.objects.get(code="H-00").pk,
        "instruction": Instruction.objects.get(code="I-05").pk,
        "period_end": "2026-03-31",
        "narrative": "Q1",
    }
    assert api["office"].post("/api/v1/reports/", both).status_code == 400
    on_instruction = {"instruction": Instruction.objects.get(code="I-05").pk, "period_end": "2024-12-20"}
    response = api["akimat"].post("/api/v1/reports/", {**on_instruction, "narrative": "x", "progress": 50})
    assert response.status_code == 400 and "progress" in response.json()


def test_an_agency_cannot_report_on_items_it_does_not_see(api, demo):
    kazazot = Measure.objects.get(code="E-01")
    body = {"measure": kazazot.pk, "period_end": "2026-03-31", "narrative": "Q1"}
    response = api["energy"].post("/api/v1/reports/", body)
    assert response.status_code == 400 and "measure" in response.json()  # as if it did not exist
    assert not Report.objects.filter(measure=kazazot, narrative="Q1").exists()


BAD_DEADLINES = [
    ({"new_due": "2024-06-01"}, "new_due"),  # before the instruction was issued
    ({"new_due": "2024-12-31"}, "new_due"),  # already the deadline
    ({"new_due": "soon"}, "new_due"),
    ({"reason": ""}, "reason"),
    ({"reason": "   "}, "reason"),
    ({"reason": None}, "reason"),
    ({"changed_on": "2024-13-01"}, "changed_on"),
    ({"decided_by": "x" * 301}, "decided_by"),
]  # a missing version is a conflict (409): tests/security/test_hostile_input.py


@pytest.mark.parametrize(
    ("change", "field"), BAD_DEADLINES, ids=[f"{f}-{i}" for i, (_c, f) in enumerate(BAD_DEADLINES)]
)
def test_bad_deadline_input_is_400_with_the_field_named(api, demo, change, field):
    instruction = Instruction.objects.get(code="I-02")
    body = {"new_due": "2025-03-31", "reason": "Winter works", "version": instruction.version, **change}
    response = api["office"].post(url("instructions", instruction, "deadline"), body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not instruction.deadline_changes.exists()


@pytest.mark.parametrize(
    "raw",
    ["{not json", "[1, 2]", '"a string"', "null", "42"],
    ids=["malformed", "list", "string", "null", "number"],
)
def test_a_body_that_is_not_an_object_is_400(api, h00, raw):
    response = api["office"].generic("PATCH", url("measures", h00), raw, content_type="application/json")
    assert response.status_code == 400


def test_only_json_bodies_are_read(api, h00):
    response = api["office"].patch(
        url("measures", h00), "version=1&weight=2", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
