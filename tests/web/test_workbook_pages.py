"""The plan workbook on the pages: upload with every problem at once, progress, download."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from baqylau.interop.models import WorkbookImportJob
from baqylau.plans.models import Measure


@pytest.fixture
def office(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(users["office"])
    return client


def exported(client) -> bytes:
    response = client.get("/plans/MNG-URGENT-2024/workbook.xlsx")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_download_then_upload_the_same_workbook_changes_nothing(office):
    data = exported(office)
    response = office.post("/plans/import/", {"workbook": SimpleUploadedFile("plan.xlsx", data), "plan": ""})
    job = WorkbookImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/import/{job.pk}/"
    assert job.status == "done" and job.result["ok"] and not any(job.result["updated"].values())
    page = office.get(f"/plans/import/{job.pk}/").content.decode()
    assert "hx-trigger" not in page  # finished: the page stops polling
    # An unchanged re-import says so, in its label and its sentence, here and in the list of imports.
    assert '<strong class="job-outcome">nothing changed</strong>' in page
    assert "Nothing changed: the workbook holds what Baqylau already has." in page and "Imported." not in page
    assert "plan.xlsx</a> — nothing changed" in office.get("/plans/import/").content.decode()


def test_a_bad_workbook_lists_every_problem_and_writes_nothing(office):
    book = load_workbook(io.BytesIO(exported(office)))
    sheet = book["measures"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("due") + 1, value="not a date")
    sheet.cell(row=3, column=header.index("lead_agency") + 1, value="NO-SUCH-AGENCY")
    buffer = io.BytesIO()
    book.save(buffer)
    before = list(Measure.objects.values_list("code", "due", "lead_agency_id"))
    office.post("/plans/import/", {"workbook": SimpleUploadedFile("bad.xlsx", buffer.getvalue())})
    job = WorkbookImportJob.objects.get()
    problems = {(p["sheet"], p["row"], p["column"]) for p in job.result["problems"]}
    assert {("measures", 2, "due"), ("measures", 3, "lead_agency")} <= problems
    assert list(Measure.objects.values_list("code", "due", "lead_agency_id")) == before
    page = office.get(f"/plans/import/{job.pk}/").content.decode()
    assert "nothing was written" in page and "NO-SUCH-AGENCY" in page
    assert '<strong class="job-outcome">failed validation</strong>' in page  # not "done"


def test_a_file_that_is_not_a_workbook_is_refused_with_a_sentence(office):
    office.post(
        "/plans/import/", {"workbook": SimpleUploadedFile("plan.xlsx", b"\x89PNG\r\n\x1a\nnot a workbook")}
    )
    job = WorkbookImportJob.objects.get()
    assert job.status == "refused" and job.message


def test_a_running_import_shows_its_progress_and_keeps_polling(office, users):
    job = WorkbookImportJob.objects.create(
        upload="imports/x.xlsx",
        original_name="big.xlsx",
        user=users["office"],
        status="running",
        stage="checking",
        done=2500,
        total=10000,
    )
    page = office.get(f"/plans/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="25"' in page and "2500 / 10000" in page


def test_too_large_a_file_is_refused_before_it_is_read(office, settings):
    settings.BAQYLAU_IMPORT_MAX_BYTES = 10
    response = office.post("/plans/import/", {"workbook": SimpleUploadedFile("plan.xlsx", b"0" * 100)})
    assert "the limit is" in response.content.decode() and not WorkbookImportJob.objects.exists()


@pytest.mark.parametrize("username", ["energy", "akimat", "reviewer", "viewer"])
def test_only_the_office_imports_and_downloads_the_plan(client, users, username):
    client.force_login(users[username])
    assert client.get("/plans/import/").status_code == 403
    assert client.post("/plans/import/", {"workbook": SimpleUploadedFile("p.xlsx", b"x")}).status_code == 403
    assert client.get("/plans/MNG-URGENT-2024/workbook.xlsx").status_code == 403
