"""The instruction pages from the users' side: the card, the tree, extensions, queues, the league table."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baqylau.instructions import workflow
from baqylau.instructions.models import Instruction

PLAN = "MNG-URGENT-2024"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_instruction_page_shows_its_card_tree_and_extension(users, english):
    page = logged_in(users["office"]).get(f"/instructions/{PLAN}/I-04/").content.decode()
    assert "Ministry of Transport" in page.split('id="responsible"')[1][:200]
    assert "akimat" in page.split('id="co-executors"')[1][:200].lower()
    assert f'href="/instructions/{PLAN}/I-04.1/"' in page  # the delegated sub-instruction
    extended = logged_in(users["office"]).get(f"/instructions/{PLAN}/I-07/").content.decode()
    assert "Illustrative: the college" in extended.split('id="extensions"')[1]
    assert "originally due 2024-12-31, extended once" in extended


def test_an_executor_requests_and_the_office_grants_from_the_page(users, english):
    akimat, office = logged_in(users["akimat"]), logged_in(users["office"])
    url = f"/instructions/{PLAN}/I-05/act/"
    response = akimat.post(
        url,
        {"action": "request_extension", "proposed_due": "2025-06-30", "reason": "land", "on": "2024-11-01"},
    )
    assert response.status_code == 302
    page = office.get(f"/instructions/{PLAN}/I-05/").content.decode()
    assert 'id="do-grant"' in page and "to move the deadline to" in page
    queue = office.get("/instructions/queue/", {"plan": PLAN}).content.decode()
    assert f'href="/instructions/{PLAN}/I-05/"' in queue.split("Extension requested")[-1]
    pending = Instruction.objects.get(code="I-05").extension_requests.get()
    office.post(url, {"action": "grant", "request": pending.pk, "on": "2024-11-05"})
    instruction = Instruction.objects.get(code="I-05")
    assert (instruction.due, instruction.original_due) == (dt.date(2025, 6, 30), dt.date(2024, 12, 31))


def test_a_refusal_on_the_page_says_why_and_changes_nothing(users, english):
    akimat = logged_in(users["akimat"])
    response = akimat.post(
        f"/instructions/{PLAN}/I-05/act/",
        {"action": "request_extension", "proposed_due": "2027-06-30", "reason": "late"},
        follow=True,
    )
    assert "before the deadline" in response.content.decode()
    assert not Instruction.objects.get(code="I-05").extension_requests.exists()
    assert (
        logged_in(users["viewer"]).post(f"/instructions/{PLAN}/I-05/act/", {"action": "start"}).status_code
        == 403
    )
    assert Instruction.objects.get(code="I-05").stage == "issued"


def test_another_agency_does_not_see_the_instruction_page(users):
    assert logged_in(users["energy"]).get(f"/instructions/{PLAN}/I-05/").status_code == 404


@pytest.mark.parametrize(
    ("control", "expected"),
    [("on_control", 11), ("extension_requested", 1), ("reported", 1), ("removed", 0)],
)
def test_the_register_filters_where_instructions_stand(users, control, expected):
    i = Instruction.objects.get(code="I-06")
    workflow.request_extension(i, users["akimat"], dt.date(2025, 6, 30), "time", on=dt.date(2024, 11, 1))
    r = Instruction.objects.get(code="I-02")
    workflow.report_execution(r, users["akimat"], r.version, "done", on=dt.date(2024, 11, 1))
    page = (
        logged_in(users["office"]).get("/instructions/", {"plan": PLAN, "control": control}).content.decode()
    )
    assert page.count(f'href="/instructions/{PLAN}/I-') == expected


def test_the_register_filters_by_issuer_and_responsible(users):
    client = logged_in(users["office"])
    page = client.get("/instructions/", {"responsible": "MOT"}).content.decode()
    assert page.count(f'href="/instructions/{PLAN}/I-') == 1
    page = client.get("/instructions/", {"issuer": "Deputy Prime Minister Kanat Bozumbayev"}).content.decode()
    assert page.count(f'href="/instructions/{PLAN}/I-') == 11


def test_the_discipline_page_shows_the_demo_league_table_and_its_chart(users, english):
    page = logged_in(users["office"]).get("/instructions/discipline/", {"plan": PLAN}).content.decode()
    assert 'id="discipline-chart"' in page and "<script>" not in page  # data, not inline code (CSP)
    league = page.split('id="league"')[1]
    assert "Mangystau region akimat" in league or "akimat" in league.lower()
    by_issuer = logged_in(users["office"]).get("/instructions/discipline/", {"by": "issuer"}).content.decode()
    assert "Deputy Prime Minister Kanat Bozumbayev" in by_issuer


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_the_register_and_the_page_cost_the_same_queries_at_any_size(users, demo):
    client = logged_in(users["office"])
    client.get("/instructions/")  # the store is brought up to date once
    few = _queries(client, "/instructions/", {"responsible": "MOT"})  # 1 row
    many = _queries(client, "/instructions/", {"responsible": "AKIMAT"})  # 9 rows
    assert few == many
    plain, delegated = (_queries(client, f"/instructions/{PLAN}/{c}/") for c in ("I-05", "I-04"))
    extended = _queries(client, f"/instructions/{PLAN}/I-07/")
    assert plain == extended and delegated <= plain + 1  # the tree: one query per level below


def test_a_recurring_instruction_shows_its_control_points(users, english):
    Instruction.objects.filter(code="I-05").update(report_every="quarter")
    page = logged_in(users["office"]).get(f"/instructions/{PLAN}/I-05/").content.decode()
    points = page.split('id="control-points"')[1].split("</ul>")[0]
    assert points.count("<li>") == 3  # 14 Sep, 14 Dec 2024 and the due date, 31 Dec
    assert "missed: no report" in points
