"""Reading through the API: judgements as of a date in the request's language, filters like the register
pages, and each agency seeing only its own items (accounts/rules.py, visible_*)."""

import datetime as dt

import pytest
from django.test import RequestFactory

from baqylau.accounts.rules import visible_instructions, visible_measures, visible_reports
from baqylau.assessment.judgements import judge_plan
from baqylau.assessment.reading import PlanReader
from baqylau.instructions.models import Instruction
from baqylau.instructions.services import change_deadline
from baqylau.plans.filters import MeasureFilter
from baqylau.plans.models import Measure
from baqylau.reports.models import Report

D = dt.date
AS_OF = D(2025, 6, 30)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def codes(response):
    return [row["code"] for row in results(response)]


def test_measures_carry_their_judgement_as_of_the_date_asked(api, demo):
    rows = {
        r["code"]: r for r in results(api["office"].get(f"/api/v1/measures/?as_of={AS_OF}&page_size=100"))
    }
    judged = judge_plan(demo, AS_OF)
    assert set(rows) == set(judged.measures)
    for code, row in rows.items():
        verdict = judged.measures[code]
        judgement = row["judgement"]
        assert judgement["as_of"] == AS_OF.isoformat()
        assert (judgement["status"], judgement["confidence"]) == (
            verdict.status.value,
            verdict.confidence.value,
        )
        assert judgement["slip_days"] == verdict.slip_days
        assert judgement["explanation"]
        for key in ("progress", "planned", "forecast_finish", "stale", "last_report_on", "gap"):
            assert key in judgement


def test_the_as_of_date_changes_the_judgement(api, demo):
    early = api["office"].get("/api/v1/measures/?as_of=2023-06-30&page_size=100")
    late = api["office"].get("/api/v1/measures/?as_of=2026-06-30&page_size=100")
    early_status = {r["code"]: r["judgement"]["status"] for r in results(early)}
    late_status = {r["code"]: r["judgement"]["status"] for r in results(late)}
    assert early_status["H-00"] == "not_started"
    assert early_status != late_status


def test_today_is_the_default_as_of(api, demo):
    from django.utils import timezone

    row = results(api["office"].get("/api/v1/measures/?page_size=1"))[0]
    assert row["judgement"]["as_of"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("language", "word"), [("en", "planned"), ("ru", "план"), ("kk", "жоспар")], ids=["en", "ru", "kk"]
)
def test_explanations_and_labels_in_the_request_language(api, demo, language, word):
    h01 = Measure.objects.get(code="H-01")
    response = api["office"].get(f"/api/v1/measures/{h01.pk}/?as_of={AS_OF}", HTTP_ACCEPT_LANGUAGE=language)
    body = response.json()
    assert response["Content-Language"] == language
    assert word in body["judgement"]["explanation"].lower()
    expected_label = {"en": h01.title, "ru": h01.title_ru, "kk": h01.title_kk}[language] or h01.title
    assert body["label"] == expected_label


def _register_codes(user, demo, params, as_of=AS_OF):
    """What the measures register page shows for the same filters."""
    request = RequestFactory().get("/measures/", params)
    filterset = MeasureFilter(request.GET, queryset=visible_measures(user, Measure.objects.filter(plan=demo)))
    rows = PlanReader(demo, as_of).measure_rows(
        filterset.qs, params.get("status", ""), params.get("confidence", "")
    )
    return sorted(row["measure"].code for row in rows)


@pytest.mark.parametrize(
    "params",
    [
        {"sphere": "water"},
        {"territory": "AKT"},
        {"agency": "MEN"},
        {"q": "school"},
        {"status": "late"},
        {"status": "at_risk"},
        {"confidence": "red"},
        {"sphere": "education", "status": "late"},
    ],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
@pytest.mark.parametrize("role", ["office", "akimat"])
def test_measures_filter_like_the_register_page(api, users, demo, params, role):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    got = codes(api[role].get(f"/api/v1/measures/?plan={demo.code}&as_of={AS_OF}&page_size=500&{query}"))
    assert sorted(got) == _register_codes(users[role], demo, params)


def test_judged_filters_page_over_the_matching_rows(api, demo):
    everything = codes(api["office"].get(f"/api/v1/measures/?as_of={AS_OF}&status=at_risk&page_size=500"))
    assert len(everything) >= 3
    first = api["office"].get(f"/api/v1/measures/?as_of={AS_OF}&status=at_risk&page_size=2").json()
    second = api["office"].get(f"/api/v1/measures/?as_of={AS_OF}&status=at_risk&page_size=2&page=2").json()
    assert first["count"] == len(everything)
    assert [r["code"] for r in first["results"] + second["results"]] == everything[:4]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sphere=no-such-sphere", "sphere"),
        ("territory=XX", "territory"),
        ("agency=NOBODY", "agency"),
        ("plan=NO-PLAN", "plan"),
        ("status=fine", "status"),
        ("confidence=purple", "confidence"),
        ("as_of=yesterday", "as_of"),
        ("as_of=0001-01-01", "as_of"),
        ("page_size=0", "page_size"),
        ("page_size=501", "page_size"),
        ("page=first", "page"),
    ],
)
def test_bad_filters_are_400_with_the_field_named(api, demo, query, field):
    response = api["office"].get(f"/api/v1/measures/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_each_agency_sees_only_its_own_measures(api, users, demo):
    for role in ("office", "reviewer", "viewer", "energy", "akimat"):
        got = codes(api[role].get("/api/v1/measures/?page_size=500"))
        assert sorted(got) == sorted(visible_measures(users[role]).values_list("code", flat=True)), role
    assert sorted(codes(api["energy"].get("/api/v1/measures/"))) == ["H-00", "H-01", "W-00", "W-03"]


def test_another_agencys_measure_is_not_found(api, demo):
    kazazot = Measure.objects.get(code="E-01")
    assert api["energy"].get(f"/api/v1/measures/{kazazot.pk}/").status_code == 404
    assert api["viewer"].get(f"/api/v1/measures/{kazazot.pk}/").status_code == 200


def test_unknown_items_are_404_in_json(api, demo):
    for url in ("/api/v1/measures/999999/", "/api/v1/reports/999999/", "/api/v1/no-such-thing/", "/api/v1/x"):
        response = api["office"].get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"


def test_instructions_with_judgement_and_deadline_changes(api, users, demo):
    instruction = Instruction.objects.get(code="I-01")
    first_due = instruction.due
    change_deadline(instruction, D(2024, 7, 15), "the ministries asked for more time", D(2024, 6, 20), "DPM")
    row = api["office"].get(f"/api/v1/instructions/{instruction.pk}/?as_of=2024-07-01").json()
    assert row["initial_due"] == first_due.isoformat()
    assert row["due"] == "2024-07-15"
    assert row["deadline_changes"] == [
        {
            "changed_on": "2024-06-20",
            "old_due": first_due.isoformat(),
            "new_due": "2024-07-15",
            "reason": "the ministries asked for more time",
            "decided_by": "DPM",
        }
    ]
    judged = judge_plan(demo, D(2024, 7, 1)).instructions["I-01"]
    assert row["judgement"]["status"] == judged.status.value
    assert row["judgement"]["days_to_due"] == 14


def test_instructions_filter_like_the_register_and_by_judged_status(api, users, demo):
    all_rows = results(api["office"].get(f"/api/v1/instructions/?as_of={AS_OF}&page_size=100"))
    by_status = {}
    for row in all_rows:
        by_status.setdefault(row["judgement"]["status"], []).append(row["code"])
    for status, expected in by_status.items():
        got = codes(api["office"].get(f"/api/v1/instructions/?as_of={AS_OF}&status={status}&page_size=100"))
        assert got == expected
    executors = codes(api["office"].get("/api/v1/instructions/?executor=MOH&page_size=100"))
    assert sorted(executors) == ["I-08", "I-10"]
    assert codes(api["office"].get("/api/v1/instructions/?due_before=2024-06-30")) == ["I-01"]


def test_each_agency_sees_only_the_instructions_it_executes(api, users, demo):
    for role in ("office", "viewer", "energy", "akimat"):
        got = codes(api[role].get("/api/v1/instructions/?page_size=100"))
        assert sorted(got) == sorted(visible_instructions(users[role]).values_list("code", flat=True)), role
    assert codes(api["energy"].get("/api/v1/instructions/")) == []


def test_indicators_nest_their_targets_and_actuals(api, demo):
    rows = results(api["office"].get(f"/api/v1/indicators/?plan={demo.code}&page_size=100"))
    with_targets = [r for r in rows if r["targets"]]
    assert with_targets, "the demo has indicator targets"
    target = with_targets[0]["targets"][0]
    assert set(target) == {"period_end", "value", "source", "estimate_note"}
    with_actuals = [r for r in rows if r["actuals"]]
    assert with_actuals and set(with_actuals[0]["actuals"][0]) >= {"period_end", "value", "reported_by"}


def test_an_agency_sees_facilities_and_indicators_of_its_own_measures(api, users, demo):
    own = set(visible_measures(users["energy"]).values_list("pk", flat=True))
    facilities = results(api["energy"].get("/api/v1/facilities/?page_size=100"))
    assert facilities and all(f["measure"] in own for f in facilities)
    indicators = results(api["energy"].get("/api/v1/indicators/?page_size=100"))
    assert all(i["measure"] is None or i["measure"] in own for i in indicators)
    assert len(results(api["office"].get("/api/v1/facilities/?page_size=100"))) > len(facilities)


def test_reports_are_visible_to_their_agency_only(api, users, demo):
    for role in ("office", "reviewer", "viewer", "energy", "akimat"):
        got = [r["id"] for r in results(api[role].get("/api/v1/reports/?page_size=100"))]
        assert sorted(got) == sorted(visible_reports(users[role]).values_list("pk", flat=True)), role
    accepted = results(api["office"].get("/api/v1/reports/?state=accepted&plan=MNG-URGENT-2024"))
    assert accepted and all(r["state"] == "accepted" for r in accepted)
    assert Report.objects.filter(state="accepted").count() == len(accepted)


def test_plans_events_and_reference_lists(api, demo):
    assert codes(api["viewer"].get("/api/v1/plans/")) == [demo.code]
    events = results(api["viewer"].get(f"/api/v1/events/?plan={demo.code}"))
    assert events and all(e["plan"] == demo.code for e in events)
    assert "water" in codes(api["viewer"].get("/api/v1/spheres/"))
    assert "MNG" in codes(api["viewer"].get("/api/v1/territories/"))
    assert "AKIMAT" in codes(api["viewer"].get("/api/v1/agencies/?page_size=100"))


def test_a_measure_s_judgement_carries_its_likelihood_of_delivery(api, demo):
    from baqylau.plans.models import Measure

    open_one = Measure.objects.get(plan=demo, code="W-03")  # late, not done: it has a likelihood
    body = api["viewer"].get(f"/api/v1/measures/{open_one.pk}/").json()["judgement"]
    assert 0 <= body["likelihood"] <= 1
    assert body["finish_low"] <= body["finish_high"]
    done = Measure.objects.get(plan=demo, code="W-04")
    assert api["viewer"].get(f"/api/v1/measures/{done.pk}/").json()["judgement"]["likelihood"] is None
