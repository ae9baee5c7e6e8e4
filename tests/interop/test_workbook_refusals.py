"""Files that are not a plan workbook are refused with one clear line, exit code 1 and no traceback."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from baqylau.interop.workbook import WorkbookRefused, export_workbook, import_workbook
from baqylau.plans.models import Measure, Plan

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
# The header of an OLE compound file: how Excel stores a password-protected .xlsx (and an old .xls).
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 482


def import_plan(*args) -> None:
    call_command("import_plan", *[str(a) for a in args])


@pytest.fixture
def nothing_written(demo):
    before = (Plan.objects.count(), Measure.objects.count(), Measure.history.count())
    yield
    assert (Plan.objects.count(), Measure.objects.count(), Measure.history.count()) == before


def test_a_picture_renamed_to_xlsx(tmp_path, nothing_written):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(PNG)
    with pytest.raises(CommandError, match=r"^plan\.xlsx is not a plan workbook: give an \.xlsx file"):
        import_plan(path)


def test_random_bytes(tmp_path, nothing_written):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(CommandError, match="is not a plan workbook"):
        import_plan(path)


def test_a_password_protected_workbook(tmp_path, nothing_written):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(OLE + os.urandom(2048))
    with pytest.raises(CommandError, match=r"password-protected \(encrypted\).*remove the password"):
        import_plan(path)


def test_an_empty_workbook(tmp_path, nothing_written):
    Workbook().save(tmp_path / "plan.xlsx")
    with pytest.raises(CommandError, match=r"^plan\.xlsx is empty: it has no rows to import\.$"):
        import_plan(tmp_path / "plan.xlsx")


def test_a_required_sheet_missing_is_named(demo, tmp_path, nothing_written):
    export_workbook(demo, tmp_path / "plan")
    (tmp_path / "plan" / "facilities.csv").unlink()
    (tmp_path / "plan" / "events.csv").unlink()
    with pytest.raises(CommandError, match=r"lacks the required sheet\(s\): facilities, events\.$"):
        import_plan(tmp_path / "plan")


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(demo, tmp_path, settings, nothing_written):
    export_workbook(demo, tmp_path / "plan.xlsx")
    settings.BAQYLAU_IMPORT_MAX_BYTES = 1000
    with pytest.raises(
        CommandError, match=r"^The file is .*KB; the largest file accepted is 1000\s+bytes\.$"
    ):
        import_plan(tmp_path / "plan.xlsx")
    # An upload is refused the same way.
    with open(tmp_path / "plan.xlsx", "rb") as upload, pytest.raises(WorkbookRefused) as refusal:
        import_workbook(upload)
    assert refusal.value.code == "too_large"


def test_a_damaged_xlsx(demo, tmp_path, nothing_written):
    export_workbook(demo, tmp_path / "plan.xlsx")
    data = (tmp_path / "plan.xlsx").read_bytes()
    (tmp_path / "plan.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match=r"^plan\.xlsx is damaged: .* cannot be unpacked"):
        import_plan(tmp_path / "plan.xlsx")


def test_an_xlsx_whose_content_is_broken(tmp_path, nothing_written):
    with zipfile.ZipFile(tmp_path / "plan.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "not xml at all")
    with pytest.raises(CommandError, match=r"^plan\.xlsx could not be read as an \.xlsx workbook"):
        import_plan(tmp_path / "plan.xlsx")


def test_a_zip_without_csv_files(tmp_path, nothing_written):
    with zipfile.ZipFile(tmp_path / "plan.zip", "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(CommandError, match="is not a plan workbook"):
        import_plan(tmp_path / "plan.zip")


def test_csv_that_is_not_utf8(demo, tmp_path, nothing_written):
    export_workbook(demo, tmp_path / "plan")
    path = tmp_path / "plan" / "measures.csv"
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("cp1251", errors="replace"))
    with pytest.raises(
        CommandError, match=r'measures\.csv is not UTF-8 text .*save it from Excel as "CSV UTF-8"'
    ):
        import_plan(tmp_path / "plan")


def test_no_plan_sheet_and_no_plan_named(demo, tmp_path, nothing_written):
    export_workbook(demo, tmp_path / "plan")
    (tmp_path / "plan" / "plan.csv").unlink()
    with pytest.raises(CommandError, match=r"no plan sheet: name the plan it belongs to with --plan CODE"):
        import_plan(tmp_path / "plan")
    with pytest.raises(CommandError, match=r"no plan with code NOPE.*known plans: MNG-URGENT-2024"):
        import_plan(tmp_path / "plan", "--plan", "NOPE")
    import_plan(tmp_path / "plan", "--plan", "MNG-URGENT-2024")  # format 1 without the plan sheet


def test_a_missing_file(tmp_path, nothing_written):
    with pytest.raises(CommandError, match="There is no file"):
        import_plan(tmp_path / "nowhere.xlsx")


@pytest.mark.parametrize(
    ("content", "message"),
    [(PNG, "is not a plan workbook"), (OLE, "is password-protected")],
)
def test_the_console_command_prints_one_line_and_no_traceback(tmp_path, content, message):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "baqylau.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'never-used.sqlite3'}",  # refused before the database
        "BAQYLAU_HOME": str(tmp_path),
    }
    baqylau = Path(sys.executable).with_name("baqylau")
    done = subprocess.run(
        [str(baqylau), "import-plan", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("CommandError: plan.xlsx ") and message in lines[0]
