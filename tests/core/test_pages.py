from unittest import mock

from django.db import DatabaseError


def test_healthz_says_the_database_is_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "reachable"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("baqylau.core.health.connection.cursor", side_effect=DatabaseError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
