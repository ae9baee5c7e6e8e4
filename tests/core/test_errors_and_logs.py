"""Production's logs and error page: a failing request is logged as one JSON line with its traceback and
a reference, and the user sees the same reference on a page in their language; refused requests,
failed logins and lockouts are security events."""

import io
import json
import logging
from logging.config import dictConfig

import pytest
from django.test import Client

from baqylau.core.logs import logging_config


@pytest.fixture
def log_lines():
    """Production's logging configuration, writing to a buffer instead of stderr; the lines written."""
    buffer = io.StringIO()
    config = logging_config("INFO")
    config["handlers"]["stderr"]["stream"] = buffer
    saved = {name: logging.getLogger(name).handlers[:] for name in ["", *config["loggers"]]}
    dictConfig(config)

    def lines():
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield lines
    for name, handlers in saved.items():
        logging.getLogger(name).handlers = handlers


@pytest.fixture
def failing_healthz(monkeypatch):
    """A bug in a view (here /healthz, which needs no login): the one stand-in of these tests."""

    def broken():
        raise RuntimeError("a bug nobody has found yet")

    monkeypatch.setattr("baqylau.core.views.health", broken)


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("en", "The error has been recorded"),
        ("ru", "Ошибка записана"),
        ("kk", "Қате тіркелді"),
    ],
)
def test_a_server_error_is_logged_with_its_traceback_and_the_page_shows_its_reference(
    db, log_lines, failing_healthz, language, says
):
    client = Client(raise_request_exception=False)
    response = client.get("/healthz", headers={"accept-language": language})
    assert response.status_code == 500
    page = response.content.decode()
    reference = response["X-Request-Ref"]
    assert says in page and f'<strong class="reference">{reference}</strong>' in page
    assert f'lang="{language}"' in page
    error = next(line for line in log_lines() if line["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["ref"] == reference and error["status_code"] == 500
    assert error["path"] == "/healthz" and error["method"] == "GET"
    assert "RuntimeError: a bug nobody has found yet" in error["traceback"]
    assert "Traceback (most recent call last)" in error["traceback"]


def test_the_error_page_needs_no_database(db, django_assert_num_queries, rf):
    from baqylau.core.views import server_error

    request = rf.get("/")
    request.reference = "0A1B2C3D"
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500 and "0A1B2C3D" in response.content.decode()


def test_a_refused_page_is_a_security_event_with_the_user(client, users, log_lines):
    client.force_login(users["viewer"])
    assert client.get("/review/").status_code == 403
    event = next(line for line in log_lines() if line.get("event") == "forbidden")
    assert (event["event"], event["user"], event["path"], event["status_code"]) == (
        "forbidden",
        "viewer",
        "/review/",
        403,
    )
    assert event["level"] == "WARNING" and len(event["ref"]) == 8


def test_failed_logins_and_the_lockout_are_security_events(client, users, settings, log_lines):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "energy", "password": "wrong"})
    events = [line for line in log_lines() if line["logger"] == "baqylau.security"]
    kinds = [e["event"] for e in events]
    assert kinds.count("login_failed") == settings.AXES_FAILURE_LIMIT and "lockout" in kinds
    lockout = next(e for e in events if e["event"] == "lockout")
    assert lockout["user"] == "energy" and lockout["client"] == "127.0.0.1"
    assert "wrong" not in json.dumps(events)  # no password in the log


def test_behind_the_proxy_the_clients_address_is_the_proxys_header(client, users, settings, log_lines):
    settings.BAQYLAU_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    client.force_login(users["viewer"])
    client.get("/review/", headers={"x-real-ip": "10.20.30.40"})
    event = next(line for line in log_lines() if line.get("event") == "forbidden")
    assert event["client"] == "10.20.30.40"


def test_a_successful_login_is_logged(client, users, log_lines):
    client.post("/accounts/login/", {"username": "reviewer", "password": "baqylau-demo"})
    login = next(line for line in log_lines() if line.get("event") == "login")
    assert login["user"] == "reviewer" and login["level"] == "INFO"


def test_an_import_is_logged_from_the_upload_to_its_outcome(client, users, log_lines, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["office"])
    download = client.get("/plans/MNG-URGENT-2024/workbook.xlsx")
    workbook = b"".join(download.streaming_content)
    upload = client.post("/plans/import/", {"workbook": SimpleUploadedFile("plan.xlsx", workbook)})
    assert upload.status_code == 302
    tasks = [line for line in log_lines() if line["logger"] == "baqylau.tasks"]
    queued = next(line for line in tasks if line["message"].startswith("queued"))
    finished = next(line for line in tasks if line["message"].startswith("finished"))
    assert queued["task"] == finished["task"] == "baqylau.interop.tasks.run_workbook_import"
    assert queued["ref"] == upload["X-Request-Ref"]  # the upload's request queued it
    assert (finished["state"], finished["result"]) == ("SUCCESSFUL", "done")
    assert finished["task_id"] == queued["task_id"] and finished["task_args"] == queued["task_args"]
