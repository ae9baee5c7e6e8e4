"""`baqylau serve` itself: it refuses to start what would answer 500, and it stops everything when one of
its processes dies (so systemd restarts the whole)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import smoke


def serve(site, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "baqylau.cli", "serve", "--port", str(smoke.free_port()), *args],
        env=site.env | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path):
    site = smoke.Site(f"sqlite:///{tmp_path / 'new.sqlite3'}", tmp_path)
    refused = serve(site)
    assert refused.returncode != 0
    assert "migrations are not applied: run `baqylau migrate` first" in refused.stderr


def test_serve_refuses_static_files_that_are_not_collected(site, tmp_path):
    refused = serve(site, BAQYLAU_STATIC_ROOT=str(tmp_path / "empty"))
    assert refused.returncode != 0
    assert "run `baqylau collectstatic --no-input` first" in refused.stderr


def test_serve_stops_everything_when_gunicorn_dies(site):
    port = smoke.free_port()
    command = [sys.executable, "-m", "baqylau.cli", "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(command, env=site.env, stderr=subprocess.PIPE, text=True)
    try:
        smoke.wait_until_healthy(f"http://127.0.0.1:{port}", process, site.log)
        children = smoke._children(process.pid)
        gunicorn = next(pid for pid in children if b"gunicorn" in _command_line(pid))
        worker = next(pid for pid in children if b"db_worker" in _command_line(pid))
        os.kill(gunicorn, signal.SIGKILL)
        assert process.wait(timeout=90) == 1
        assert "gunicorn stopped on its own, so everything was stopped" in process.stderr.read()
        time.sleep(0.5)
        assert not _running(worker)
    finally:
        smoke.stop(process)


def _command_line(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"
