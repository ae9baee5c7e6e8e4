"""Instruction control through the API: the same workflow and refusals as the pages."""

import datetime as dt

from baqylau.instructions.models import Instruction

PLAN = "MNG-URGENT-2024"


def _i(code="I-05"):
    return Instruction.objects.get(code=code)


def _url(code, action):
    return f"/api/v1/instructions/{_i(code).pk}/{action}/"


def test_an_instruction_carries_its_control_fields(api):
    body = api["office"].get(f"/api/v1/instructions/{_i('I-04').pk}/").json()
    assert (body["responsible"], body["co_executors"], body["children"]) == ("MOT", ["AKIMAT"], ["I-04.1"])
    assert (body["controller"], body["state"], body["original_due"]) == (None, "issued", "2024-12-31")
    child = api["office"].get(f"/api/v1/instructions/{_i('I-04.1').pk}/").json()
    assert child["parent"] == "I-04"
    extended = api["office"].get(f"/api/v1/instructions/{_i('I-07').pk}/").json()
    assert (extended["original_due"], extended["due"]) == ("2024-12-31", "2025-12-31")


def test_request_grant_report_accept_through_the_api(api):
    r = api["akimat"].post(
        _url("I-05", "request-extension"),
        {"proposed_due": "2025-06-30", "reason": "land", "on": "2024-11-01"},
    )
    assert r.status_code == 201, r.json()
    pending = r.json()["extension_requests"][0]
    assert pending["state"] == "requested"
    r = api["office"].post(
        _url("I-05", "decide-extension"), {"request": pending["id"], "decision": "grant", "on": "2024-11-02"}
    )
    assert r.status_code == 200 and r.json()["due"] == "2025-06-30"
    version = _i().version
    r = api["akimat"].post(
        _url("I-05", "transition"),
        {"action": "report", "comment": "bought", "on": "2025-03-01", "version": version},
    )
    assert r.status_code == 200 and r.json()["state"] == "reported"
    r = api["office"].post(
        _url("I-05", "transition"), {"action": "accept", "on": "2025-03-02", "version": version + 1}
    )
    assert r.status_code == 200 and r.json()["status"] == "executed"
    table = (
        api["office"]
        .get("/api/v1/discipline/", {"plan": PLAN, "from": "2024-12-01", "to": "2024-12-31"})
        .json()
    )
    akimat = next(row for row in table["rows"] if row["key"] == "AKIMAT")
    assert akimat["after_extension"] == 1 and akimat["on_time"] == 0


def test_refusals_say_why(api):
    version = _i().version
    wrong_state = api["office"].post(_url("I-05", "transition"), {"action": "accept", "version": version})
    assert wrong_state.status_code == 409
    no_comment = api["akimat"].post(_url("I-05", "transition"), {"action": "report", "version": version})
    assert no_comment.status_code == 400 and "comment" in no_comment.json()
    stale = api["akimat"].post(_url("I-05", "transition"), {"action": "start", "version": version + 5})
    assert stale.status_code == 409
    not_executor = api["viewer"].post(_url("I-05", "transition"), {"action": "start", "version": version})
    assert not_executor.status_code == 403
    late = api["akimat"].post(
        _url("I-05", "request-extension"), {"proposed_due": "2027-06-30", "reason": "x"}
    )
    assert late.status_code == 400 and "on" in late.json()
    assert (
        api["energy"].post(_url("I-05", "transition"), {"action": "start", "version": version}).status_code
        == 404
    )
    assert _i().state == "issued" and not _i().extension_requests.exists()


def test_a_decision_by_a_non_controller_is_refused(api):
    r = api["akimat"].post(
        _url("I-05", "request-extension"),
        {"proposed_due": "2025-06-30", "reason": "land", "on": "2024-11-01"},
    )
    pending = r.json()["extension_requests"][0]["id"]
    for name in ("akimat", "reviewer", "viewer"):
        refused = api[name].post(_url("I-05", "decide-extension"), {"request": pending, "decision": "grant"})
        assert refused.status_code == 403, name
    no_reason = api["office"].post(
        _url("I-05", "decide-extension"), {"request": pending, "decision": "refuse"}
    )
    assert no_reason.status_code == 400
    assert _i().due == dt.date(2024, 12, 31)
