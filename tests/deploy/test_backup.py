"""`baqylau backup` and `baqylau restore` as an operator runs them: the demo with its history and an
agency's attachment, backed up while the server runs, restored into a new database and media folder."""

import hashlib
import os
import re
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import new_database, smoke

PDF = b"%PDF-1.4\n% the act of acceptance, scanned\n" + os.urandom(2048) + b"\n%%EOF\n"


def files(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def submit_with_attachment(browser) -> None:
    person = browser("akimat-1")
    path = re.findall(r'href="(/reports/new/measure/\d+/)"', person.get("/inbox/").text)[0]
    answer = person.submit_form(
        path,
        {"period_end": "2026-11-15", "narrative": "Acceptance act attached", "progress": "55", "submit": "1"},
        files={"attachment": ("act.pdf", PDF, "application/pdf")},
    )
    assert answer.status_code == 302, answer.text[:1000]


def test_backup_of_a_running_site_restores_the_same_rows_history_and_attachments(site, browser, tmp_path):
    submit_with_attachment(browser)
    archive = tmp_path / "baqylau.tar.gz"
    written = site.run("backup", "-o", str(archive))
    assert "Backup written" in written.stdout and archive.stat().st_size > 0
    rows = site.dump()

    with new_database(tmp_path, "restored") as url:
        fresh = smoke.Site(url, tmp_path / "restored")
        restored = fresh.run("restore", str(archive))
        assert "Restored the backup" in restored.stdout
        again = fresh.dump()
        # Refused over a database that is not empty; nothing changes.
        refused = fresh.run("restore", str(archive), check=False)
        assert refused.returncode != 0 and "not empty" in refused.stderr and "--force" in refused.stderr
        forced = fresh.run("restore", str(archive), "--force")
        assert "Restored" in forced.stdout
        after_force = fresh.dump()

    assert again == rows and after_force == rows
    models = {row["model"] for row in rows}
    assert {"plans.historicalmeasure", "reports.historicalreport", "reports.reportattachment"} <= models
    history = [row for row in rows if row["model"] == "reports.historicalreport"]
    assert any(row["fields"]["narrative"] == "Acceptance act attached" for row in history)
    attachment = next(row for row in rows if row["model"] == "reports.reportattachment")
    original, copy = files(site.media), files(fresh.media)
    assert original == copy and attachment["fields"]["file"] in copy
    assert (fresh.media / attachment["fields"]["file"]).read_bytes() == PDF


def test_daily_backups_keep_the_newest(site, tmp_path):
    """What the systemd timer and the cron line of docs/deployment.md run."""
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20250101-020000", "20250102-020000", "20250103-020000"):
        (folder / f"baqylau-{stamp}.tar.gz").write_bytes(b"an older backup")
    (folder / "notes.txt").write_text("not a backup: left alone")
    answer = site.run("backup", "--into", str(folder), "--keep", "2")
    assert answer.stdout.count("Removed the older backup") == 2
    names = sorted(p.name for p in folder.iterdir())
    assert names[0] == "baqylau-20250103-020000.tar.gz" and names[-1] == "notes.txt" and len(names) == 3
    assert re.fullmatch(r"baqylau-\d{8}-\d{6}\.tar\.gz", names[1])


def test_restore_refuses_what_is_not_a_backup(db, tmp_path):
    bogus = tmp_path / "backup.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))

    with tarfile.open(bogus, "w:gz") as archive:
        archive.add(__file__, arcname="something.py")
    with pytest.raises(CommandError, match="not a Baqylau backup"):
        call_command("restore", str(bogus))
