"""A plan whose sheet outgrows Excel's 1,048,576 rows is never written as a truncated workbook.

The limit is lowered for the test (a real national plan has 2.9 million targets); the rule is the same.
"""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from baqylau.interop.workbook import exporter


@pytest.fixture
def small_sheets(monkeypatch):
    monkeypatch.setattr(exporter, "XLSX_MAX_ROWS", 5)


def test_the_command_refuses_and_names_the_sheet_and_the_way_out(demo, small_sheets, tmp_path):
    target = tmp_path / "plan.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command("export_plan", "--plan", demo.code, "-o", str(target), stdout=io.StringIO())
    message = str(refused.value)
    assert "sheet has" in message and "rows" in message and "CSV" in message
    assert not target.exists()  # nothing half-written
    call_command("export_plan", "--plan", demo.code, "-o", str(tmp_path / "plan.zip"), stdout=io.StringIO())
    assert zipfile.ZipFile(tmp_path / "plan.zip").namelist()


def test_the_download_falls_back_to_csv_files(client, users, demo, small_sheets):
    client.force_login(users["office"])
    response = client.get(f"/plans/{demo.code}/workbook.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="{demo.code}.zip"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert "measures.csv" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_an_ordinary_plan_downloads_as_xlsx(client, users, demo):
    client.force_login(users["office"])
    response = client.get(f"/plans/{demo.code}/workbook.xlsx")
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    assert b"".join(response.streaming_content)[:2] == b"PK"
