"""No N+1: the queries a list costs do not grow with its rows (a page of 50 costs what a page of 5 does)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import add_rows

LISTS = [
    "/api/v1/measures/?as_of=2025-06-30",
    "/api/v1/measures/?as_of=2025-06-30&status=at_risk&sphere=heat",
    "/api/v1/measures/?sphere=heat&agency=MEN&territory=AKT&q=extra",
    "/api/v1/instructions/?as_of=2025-06-30",
    "/api/v1/instructions/?as_of=2025-06-30&status=overdue",
    "/api/v1/facilities/",
    "/api/v1/indicators/",
    "/api/v1/events/",
    "/api/v1/reports/",
    "/api/v1/reports/?state=accepted&plan=MNG-URGENT-2024",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("role", ["office", "energy"])
def test_a_list_costs_the_same_queries_for_5_rows_and_for_50(
    api, many_rows, url, role, django_assert_max_num_queries
):
    client = api[role]
    with CaptureQueriesContext(connection) as small:
        response = client.get(f"{url}&page_size=5" if "?" in url else f"{url}?page_size=5")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
    with django_assert_max_num_queries(len(small)):
        response = client.get(f"{url}&page_size=50" if "?" in url else f"{url}?page_size=50")
    assert len(response.json()["results"]) == 50


# Each list of the demo plan and the most queries a page of it may cost at any size (session, user and
# role included; another date than today judges the plan from its facts, once).
PLAN_LISTS = {
    "/api/v1/measures/?plan=MNG-URGENT-2024": 10,
    "/api/v1/measures/?plan=MNG-URGENT-2024&as_of=2025-06-30": 32,
    "/api/v1/measures/?plan=MNG-URGENT-2024&status=at_risk": 12,
    "/api/v1/instructions/?plan=MNG-URGENT-2024": 12,
    "/api/v1/instructions/?plan=MNG-URGENT-2024&as_of=2025-06-30&status=overdue": 34,
    "/api/v1/reports/?plan=MNG-URGENT-2024": 7,
    "/api/v1/facilities/?plan=MNG-URGENT-2024": 5,
    "/api/v1/indicators/?plan=MNG-URGENT-2024": 7,
    "/api/v1/events/?plan=MNG-URGENT-2024": 5,
}


def _queries(client, url):
    client.get(url)  # a first reader of the day brings the judgement store up to date
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize("url", PLAN_LISTS)
@pytest.mark.parametrize("role", ["office", "energy"])
def test_a_list_costs_the_same_queries_on_a_plan_60_rows_larger(api, users, demo, url, role):
    # Rows for every role at both sizes (the Ministry of Energy executes none of the demo's instructions).
    add_rows(users, demo, "X")
    small, before = _queries(api[role], url)
    add_rows(users, demo, "Y")
    large, after = _queries(api[role], url)
    assert after["count"] > before["count"]
    assert large == small
    assert small <= PLAN_LISTS[url]
