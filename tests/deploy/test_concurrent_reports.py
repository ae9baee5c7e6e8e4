"""Twenty agency staff submit their reports at the same moment, through the server as deployed (five
gunicorn processes): every one is accepted, on SQLite (WAL, busy timeout, immediate transactions) as
on PostgreSQL."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

SUBMITTERS = 20
AGENCY_STAFF = ["men-1", "men-2", "akimat-1", "akimat-2"]


def test_twenty_reports_submitted_at_once_are_all_accepted(site, browser):
    before = {row["pk"] for row in site.dump("reports.report")}
    people = [browser(AGENCY_STAFF[n % len(AGENCY_STAFF)]) for n in range(SUBMITTERS)]  # own sessions
    forms = []
    for n, person in enumerate(people):
        items = re.findall(r'href="(/reports/new/measure/\d+/)"', person.get("/inbox/").text)
        assert items, "an agency editor of the demo has measures to report on"
        path = items[n % len(items)]
        page = person.get(path)
        assert page.status_code == 200
        forms.append((person, path, person.csrf_token(page.text)))

    start = threading.Barrier(SUBMITTERS)

    def submit(n: int):
        person, path, token = forms[n]
        start.wait()
        return person.post(
            path,
            data={
                "csrfmiddlewaretoken": token,
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "narrative": f"Submitted together with nineteen others (#{n})",
                "progress": "40",
                "submit": "submit",
            },
        )

    with ThreadPoolExecutor(SUBMITTERS) as pool:
        answers = list(pool.map(submit, range(SUBMITTERS)))

    assert [a.status_code for a in answers] == [302] * SUBMITTERS, [a.text[:300] for a in answers]
    assert all(a.headers["Location"] == "/inbox/" for a in answers)
    new = [row for row in site.dump("reports.report") if row["pk"] not in before]
    assert len(new) == SUBMITTERS
    assert all(row["fields"]["state"] == "submitted" for row in new)
    narratives = {row["fields"]["narrative"] for row in new}
    assert narratives == {f"Submitted together with nineteen others (#{n})" for n in range(SUBMITTERS)}
