"""The pages as people use them, through the Django test client."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from baqylau.plans.models import Measure
from baqylau.reports.models import Report, ReportAttachment

AS_OF = "2026-11-28"


@pytest.fixture
def office(client, users):
    client.force_login(users["office"])
    return client


def test_every_page_needs_a_login(client, demo):
    for url in ("/", "/measures/", "/instructions/", "/water/", "/inbox/", "/review/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.parametrize("username", ["office", "reviewer", "energy", "akimat", "viewer"])
def test_every_role_reads_the_dashboard_and_registers(client, users, username):
    client.force_login(users[username])
    for url in ("/", "/measures/", "/instructions/", "/water/"):
        assert client.get(url, {"as_of": AS_OF}).status_code == 200, url


def test_dashboard_answers_what_is_late_and_why(office):
    html = office.get("/", {"as_of": AS_OF}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "16 of 118 measures recorded" in html
    assert "W-01" in html and "late: due date 2025-12-31 passed 332 days ago" in html
    assert "overdue: deadline 2024-06-21 passed 890 days ago" in html
    assert 'id="chart-water"' in html and 'id="chart-map"' in html


def test_register_filters_by_stored_fields_and_by_verdict(office):
    all_rows = office.get("/measures/", {"as_of": AS_OF}).context["total"]
    water = office.get("/measures/", {"as_of": AS_OF, "sphere": "water"})
    assert 0 < water.context["total"] < all_rows
    assert {r["measure"].sphere.code for r in water.context["page"].object_list} == {"water"}
    late = office.get("/measures/", {"as_of": AS_OF, "status": "late"})
    assert {r["judgement"].status.value for r in late.context["page"].object_list} == {"late"}
    found = office.get("/measures/", {"q": "Кендирли"})
    assert [r["measure"].code for r in found.context["page"].object_list] == ["W-04"]


def test_export_gives_the_current_view(office):
    response = office.get("/measures/", {"as_of": AS_OF, "sphere": "water", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["sphere"] for r in rows} == {"water"} and "status" in rows[0]
    xlsx = office.get("/measures/", {"as_of": AS_OF, "status": "late", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header, *body = list(sheet.values)
    assert "explanation" in header and body and all(row[header.index("status")] == "late" for row in body)


def test_measure_page_shows_judgement_history_and_facilities(office):
    html = office.get(
        "/measures/MNG-URGENT-2024/W-04/", {"as_of": AS_OF}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "done: completed on 2025-10-27" in html and "KENDERLI" in html and "Change history" in html


def test_agency_staff_see_only_their_measures(client, users):
    client.force_login(users["energy"])
    codes = {r["measure"].code for r in client.get("/measures/").context["page"].object_list}
    assert "H-00" in codes and "W-01" not in codes
    assert client.get("/measures/MNG-URGENT-2024/W-01/").status_code == 404


def test_energy_may_not_edit_or_report_on_an_akimat_measure(client, users):
    client.force_login(users["energy"])
    kos = Measure.objects.get(code="W-01")
    # Another agency's measure does not exist for it (as on the measure page and in the API): 404.
    assert client.get("/measures/MNG-URGENT-2024/W-01/edit/").status_code == 404
    assert client.post("/measures/MNG-URGENT-2024/W-01/edit/", {"completion_form": "x"}).status_code == 404
    assert client.get(f"/reports/new/measure/{kos.pk}/").status_code == 404
    assert (
        client.post(
            f"/reports/new/measure/{kos.pk}/", {"narrative": "x", "period_end": "2026-11-01"}
        ).status_code
        == 404
    )
    assert not Report.objects.filter(measure=kos, narrative="x").exists()
    assert client.get("/review/").status_code == 403


def test_report_submit_review_accept_changes_the_judgement(client, users):
    h00 = Measure.objects.get(code="H-00")  # led by the Ministry of Energy; done only through its child
    e01 = Measure.objects.get(code="E-01")  # KazAzot's: the energy user may not report on it
    assert client.force_login(users["energy"]) is None
    assert client.get(f"/reports/new/measure/{e01.pk}/").status_code == 404
    w03 = Measure.objects.get(code="W-03")  # MAEK's, the Ministry of Energy co-executes
    before = client.get(f"/measures/MNG-URGENT-2024/{w03.code}/").context["judgement"]
    assert before.status.value == "late"
    response = client.post(
        f"/reports/new/measure/{w03.pk}/",
        {
            "period_end": "2026-11-20",
            "narrative": "All 24,000 m³/day in service.",
            "progress": "100",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    report = Report.objects.get(measure=w03, narrative__startswith="All 24,000")
    assert report.state == "submitted" and report.author == users["energy"]
    # Submitted is not accepted: the judgement does not move yet.
    assert client.get(f"/measures/MNG-URGENT-2024/{w03.code}/").context["judgement"].status.value == "late"

    client.force_login(users["reviewer"])
    queue = client.get("/review/")
    row = next(row for row in queue.context["rows"] if row["report"] == report)
    assert not row["evidence"].sufficient  # a 100 % claim with nothing to show for it
    refused = client.post(
        f"/review/{report.pk}/",
        {"decision": "accept", "opened_version": report.version, "comment": ""},
        follow=True,
    )
    report.refresh_from_db()
    assert report.state == "submitted"
    assert "evidence" in " ".join(str(m) for m in refused.context["messages"]).lower()

    # The agency attaches the commissioning act; now the reviewer can accept.
    ReportAttachment.objects.create(
        report=report,
        file=SimpleUploadedFile("act.pdf", b"%PDF-1.4 act"),
        original_name="act.pdf",
        content_type="application/pdf",
        size=12,
        extension="pdf",
    )
    client.post(
        f"/review/{report.pk}/", {"decision": "accept", "opened_version": report.version, "comment": ""}
    )
    report.refresh_from_db()
    assert report.state == "accepted" and report.reviewed_by == users["reviewer"]
    after = client.get(f"/measures/MNG-URGENT-2024/{w03.code}/").context["judgement"]
    assert after.status.value == "done"
    assert h00.pk  # unchanged parent goal remains judged through its own children


def test_form_errors_name_the_field(client, users):
    client.force_login(users["energy"])
    h00 = Measure.objects.get(code="H-00")
    response = client.post(
        f"/reports/new/measure/{h00.pk}/", {"period_end": "", "narrative": "", "progress": "140"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Progress, %: Ensure this value is less than or equal to 100" in html
    assert "Narrative: This field is required." in html
    assert not Report.objects.filter(measure=h00, progress=140).exists()


def test_returned_report_goes_back_to_the_inbox(client, users):
    h00 = Measure.objects.get(code="H-00")
    report = Report.objects.create(
        measure=h00,
        agency=users["energy"].profile.agency,
        period_end=dt.date(2026, 9, 30),
        narrative="n",
        progress=50,
        state="submitted",
        author=users["energy"],
    )
    client.force_login(users["reviewer"])
    client.post(
        f"/review/{report.pk}/", {"decision": "return", "opened_version": report.version, "comment": ""}
    )
    assert Report.objects.get(pk=report.pk).state == "submitted"  # a return needs a comment
    client.post(
        f"/review/{report.pk}/",
        {"decision": "return", "opened_version": report.version, "comment": "Say which km were done."},
    )
    client.force_login(users["energy"])
    inbox = client.get("/inbox/").content.decode()
    assert "Say which km were done." in inbox and f"/reports/{report.pk}/edit/" in inbox


def test_two_tabs_editing_one_measure_conflict(client, users):
    client.force_login(users["akimat"])
    url = "/measures/MNG-URGENT-2024/W-01/edit/"
    version = client.get(url).context["form"]["opened_version"].value()
    first = {
        "opened_version": version,
        "completion_form": "tab one",
        "budget_spent_kzt": "",
        "budget_source": "",
    }
    second = {
        "opened_version": version,
        "completion_form": "tab two",
        "budget_spent_kzt": "5",
        "budget_source": "",
    }
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    html = response.content.decode()
    assert response.status_code == 200 and "changed after you opened it" in html and "tab two" in html
    assert Measure.objects.get(code="W-01").completion_form == "tab one"


def test_attachments_are_checked_and_served_as_downloads(client, users, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["energy"])
    h00 = Measure.objects.get(code="H-00")
    page = SimpleUploadedFile(
        "notes.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(
        f"/reports/new/measure/{h00.pk}/",
        {"period_end": "2026-10-31", "narrative": "n", "progress": "10", "attachment": page},
    )
    assert "does not contain what its name says" in response.content.decode()
    pdf = SimpleUploadedFile("act.pdf", b"%PDF-1.4 minimal", content_type="application/pdf")
    response = client.post(
        f"/reports/new/measure/{h00.pk}/",
        {"period_end": "2026-10-31", "narrative": "n", "progress": "10", "attachment": pdf},
    )
    assert response.status_code == 302
    attachment = Report.objects.get(measure=h00, narrative="n").attachments.get()
    download = client.get(f"/attachments/{attachment.pk}/")
    assert (
        download["Content-Disposition"].startswith("attachment")
        and download["Content-Type"] == "application/pdf"
    )
    assert download["X-Content-Type-Options"] == "nosniff"


def add_measures(plan, count):
    template = Measure.objects.get(code="W-01")
    for i in range(count):
        m = Measure.objects.create(
            plan=plan,
            code=f"X-{i:03}",
            title=f"extra {i}",
            sphere=template.sphere,
            lead_agency=template.lead_agency,
            start=template.start,
            due=template.due,
        )
        m.territories.set(template.territories.all())
        m.co_agencies.set(template.co_agencies.all())


@pytest.mark.parametrize(
    "url", ["/", "/measures/", "/instructions/", "/measures/MNG-URGENT-2024/W-00/", "/inbox/"]
)
def test_page_queries_do_not_grow_with_the_data(client, users, demo, url, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["office"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {"as_of": AS_OF}).status_code == 200
    add_measures(demo, 40)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, {"as_of": AS_OF}).status_code == 200
    assert len(large) == len(small), f"{url}: {len(small)} queries with the demo, {len(large)} with 40 more"


def test_filtered_dashboard_queries_do_not_grow_and_its_counts_agree(client, users, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["office"])
    params = {"as_of": AS_OF, "sphere": "water", "agency": "MEN"}
    client.get("/", params)  # the first request reads what is kept a while (the session, the names)
    with CaptureQueriesContext(connection) as small:
        response = client.get("/", params)
    assert response.status_code == 200 and response.context["filtered"]
    counts = dict(response.context["status_counts"])
    assert response.context["attention_total"] == counts["late"] + counts["at_risk"]
    assert all(row["measure"].sphere.code == "water" for row in response.context["attention"])
    add_measures(demo, 40)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/", params).status_code == 200
    assert len(large) == len(small)


def test_dashboard_headline_says_what_it_covers(client, users, demo):
    client.force_login(users["office"])
    response = client.get("/", {"as_of": AS_OF})
    summary = response.context["summary"]
    assert summary.unknown and summary.known
    text = response.content.decode()
    assert f"over {summary.known} of {summary.total} measures ({summary.unknown} without data)" in text


def test_a_measure_page_shows_the_latest_year_of_reports_and_links_to_all(client, users, demo):
    """A measure reported on every month for years: the page shows the latest twelve reports with their
    evidence at the same cost whatever the number, and links to the same page (date kept) with all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baqylau.web.measure_page import REPORTS_SHOWN

    measure = Measure.objects.get(plan=demo, code="W-01")
    url = f"/measures/{demo.code}/{measure.code}/"
    made = []

    def add(count):
        for _ in range(count):
            n = len(made)
            day = dt.date(2030, 1, 1) + dt.timedelta(days=31 * n)
            Report.objects.create(measure=measure, agency=measure.lead_agency, state="submitted", progress=1,
                                  period_end=day, narrative=f"r{n}")  # fmt: skip
            made.append(f'<p class="small">r{n}</p>')

    client.force_login(users["office"])
    add(REPORTS_SHOWN + 3)
    client.get(url, {"as_of": AS_OF})  # the first request of a session reads more (its user, the names)
    with CaptureQueriesContext(connection) as fewer:
        page = client.get(url, {"as_of": AS_OF}).content.decode()
    total = measure.reports.count()
    assert [m in page for m in made] == [False] * 3 + [True] * REPORTS_SHOWN  # the newest twelve
    assert f"Show all {total} reports" in page and f"?as_of={AS_OF}&amp;reports=all#h-reports" in page
    add(20)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url, {"as_of": AS_OF}).content.decode()
    assert len(more) == len(fewer)
    assert (
        f"Show all {total + 20} reports" in page and made[-1] in page and made[-REPORTS_SHOWN - 1] not in page
    )
    everything = client.get(url, {"as_of": AS_OF, "reports": "all"}).content.decode()
    assert "Show all" not in everything and all(m in everything for m in made)
