"""Tokens for machines, sessions (with CSRF) for people; anonymous requests get 401, never the login page."""

import io
import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from baqylau.plans.models import Measure

ENDPOINTS = [
    ("get", "/api/v1/"),
    ("get", "/api/v1/plans/"),
    ("get", "/api/v1/measures/"),
    ("get", "/api/v1/facilities/"),
    ("get", "/api/v1/indicators/"),
    ("get", "/api/v1/events/"),
    ("get", "/api/v1/instructions/"),
    ("get", "/api/v1/reports/"),
    ("post", "/api/v1/reports/"),
    ("patch", "/api/v1/measures/1/"),
    ("post", "/api/v1/reports/1/accept/"),
    ("post", "/api/v1/instructions/1/deadline/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_gets_401_not_the_login_page(anonymous, demo, method, path):
    response = getattr(anonymous, method)(path, {}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_bad_token_is_401(demo):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/measures/").status_code == 401


def test_a_token_made_with_the_command_works(users):
    out = io.StringIO()
    call_command("drf_create_token", "viewer", stdout=out)
    key = re.search(r"\b[0-9a-f]{40}\b", out.getvalue()).group(0)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/measures/?page_size=1")
    assert response.status_code == 200
    assert response.json()["count"] == Measure.objects.count()


def test_people_use_their_session_and_writes_need_the_csrf_token(users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["office"])
    h00 = Measure.objects.get(code="H-00")
    assert client.get(f"/api/v1/measures/{h00.pk}/").status_code == 200

    body = {"budget_spent_kzt": "10", "version": h00.version}
    refused = client.patch(f"/api/v1/measures/{h00.pk}/", body, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/api/v1/", HTTP_ACCEPT="text/html")  # the browsable pages set the CSRF cookie
    token = client.cookies["csrftoken"].value
    allowed = client.patch(f"/api/v1/measures/{h00.pk}/", body, format="json", HTTP_X_CSRFTOKEN=token)
    assert allowed.status_code == 200, allowed.content


def test_tokens_need_no_csrf(api, demo):
    h00 = Measure.objects.get(code="H-00")
    client = api["office"]
    client.handler.enforce_csrf_checks = True
    response = client.patch(f"/api/v1/measures/{h00.pk}/", {"budget_spent_kzt": "10", "version": h00.version})
    assert response.status_code == 200


def test_the_schema_is_public_and_openapi_3(anonymous, demo):
    response = anonymous.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/measures/{id}/" in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}
    patch = schema["paths"]["/api/v1/measures/{id}/"]["patch"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(patch["responses"])


def _no_inline_script_or_cdn(html: str):
    for tag in re.findall(r"<script\b[^>]*>", html):
        if 'type="application/json"' in tag:
            continue  # data, not code
        src = re.search(r'src="([^"]+)"', tag)
        assert src, f"inline script: {tag}"
        assert src.group(1).startswith("/static/"), f"script from elsewhere: {tag}"
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


def test_the_docs_page_is_for_people_and_keeps_to_the_content_security_policy(client, users):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(users["viewer"])
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "PATCH /api/v1/measures/{id}/" in html
    assert "drf_create_token" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    _no_inline_script_or_cdn(html)


def test_the_browsable_api_keeps_to_the_content_security_policy(client, users):
    client.force_login(users["viewer"])
    response = client.get("/api/v1/measures/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    _no_inline_script_or_cdn(response.content.decode())
