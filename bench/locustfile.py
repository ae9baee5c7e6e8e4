"""The load test's people (``make loadtest`` runs it through bench/loadtest.py, never alone).

Office staff read the dashboard, the registers, measure pages and the API; agency staff read their
own measures through the API and submit reports on them. Every request goes to the address in
``--host`` (127.0.0.1), as the reverse proxy would send it (``X-Forwarded-Proto: https``). Each
submitted report carries the run's marker, and the numbers of the accepted submissions are written to
``LOADTEST_SUBMITTED`` at the end, so the test can count them in the database.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading

from locust import HttpUser, between, events, task

PEOPLE = json.loads(os.environ["LOADTEST_PEOPLE"])  # {"office": [[name, password], ...], "agency": [...]}
PLAN = os.environ["LOADTEST_PLAN"]
MARKER = os.environ["LOADTEST_MARKER"]
MEASURES = json.loads(os.environ["LOADTEST_MEASURES"])  # codes of the plan's measures
SUBMITTED: list[int] = []
_lock = threading.Lock()
PROXY = {"X-Forwarded-Proto": "https"}


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)

    def send(self, method: str, path: str, name: str, **kwargs):
        headers = {**PROXY, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        with self.client.request(
            method, path, name=name, headers=headers, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code >= 300:  # no page of these redirects a signed-in person
                response.failure(f"{response.status_code}: {response.text[:200]}")
            return response


class OfficeStaff(Person):
    weight = 4

    def on_start(self):
        self.cookies = {}
        name, secret = random.choice(PEOPLE["office"])
        form = self.client.get("/accounts/login/", headers=PROXY, name="login page")
        self.cookies.update(form.cookies.get_dict())
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        answer = self.client.post(
            "/accounts/login/",
            data={"username": name, "password": secret, "csrfmiddlewaretoken": token},
            headers={
                **PROXY,
                "Origin": "https://" + self.host.split("://", 1)[1],
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            },
            allow_redirects=False,
            name="log in",
        )
        self.cookies.update(answer.cookies.get_dict())

    @task(3)
    def dashboard(self):
        self.send("GET", f"/?plan={PLAN}", "dashboard")

    @task(3)
    def register(self):
        page = random.randint(1, 20)
        self.send("GET", f"/measures/?plan={PLAN}&page={page}", "measures register")

    @task(3)
    def measure_page(self):
        self.send("GET", f"/measures/{PLAN}/{random.choice(MEASURES)}/", "measure page")

    @task(1)
    def instructions(self):
        self.send("GET", f"/instructions/?plan={PLAN}", "instructions register")

    @task(2)
    def api_list(self):
        self.send("GET", f"/api/v1/measures/?plan={PLAN}&page={random.randint(1, 10)}", "API measures list")


class AgencyStaff(Person):
    weight = 1

    def on_start(self):
        self.cookies = {}
        self.token = random.choice(PEOPLE["agency"])
        mine = self.send(
            "GET", f"/api/v1/measures/?plan={PLAN}&page_size=50", "API own measures", **self.auth()
        ).json()
        self.measures = [row["id"] for row in mine["results"]]

    def auth(self) -> dict:
        return {"headers": {"Authorization": f"Token {self.token}"}}

    @task(2)
    def read_own(self):
        self.send("GET", f"/api/v1/measures/?plan={PLAN}", "API own measures", **self.auth())

    @task(1)
    def report(self):
        if not self.measures:
            return
        draft = self.send(
            "POST",
            "/api/v1/reports/",
            "API report: create",
            json={
                "measure": random.choice(self.measures),
                "period_end": "2026-11-30",
                "narrative": f"{MARKER}: works continue",
                "progress": random.randint(1, 99),
            },
            **self.auth(),
        )
        if draft.status_code != 201:
            return
        report = draft.json()
        answer = self.send(
            "POST",
            f"/api/v1/reports/{report['id']}/submit/",
            "API report: submit",
            json={"version": report["version"]},
            **self.auth(),
        )
        if answer.status_code == 200:
            with _lock:
                SUBMITTED.append(report["id"])


@events.test_stop.add_listener
def _write_submitted(environment, **kwargs):
    with open(os.environ["LOADTEST_SUBMITTED"], "w") as out:
        json.dump(SUBMITTED, out)
