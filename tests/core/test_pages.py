from unittest import mock

from django.db import DatabaseError


def test_healthz_says_the_database_is_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "reachable"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("baqylau.core.views.connection.cursor", side_effect=DatabaseError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_home_says_how_many_of_the_declared_measures_are_recorded(client, demo):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    recorded = demo.measures.count()
    assert f"{recorded} of 118 measures recorded" in response.content.decode()


def test_home_query_count_does_not_grow_with_plans(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/")
