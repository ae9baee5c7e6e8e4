"""The example files of deploy/ say what the product does: every command a systemd unit runs exists with
the options it is given, every variable of the environment example is one the product reads, and the
proxy sets the headers production settings trust."""

import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
BINARY = "/opt/baqylau/.venv/bin/baqylau"


def exec_lines(unit: Path) -> list[list[str]]:
    found = []
    for line in unit.read_text().splitlines():
        if line.startswith("ExecStart="):
            words = shlex.split(line.removeprefix("ExecStart=").replace("%H", "host").replace("%i", "1"))
            found.append(words)
    return found


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_each_unit_runs_baqylau_commands_that_exist_with_their_options(unit, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as deployed
    commands = exec_lines(unit)
    assert commands, f"{unit.name} runs nothing"
    for words in commands:
        assert words[0] == BINARY, words
        name = words[1].replace("-", "_")
        assert name in get_commands(), f"{unit.name}: no command {words[1]}"
        parser = load_command_class(get_commands()[name], name).create_parser("baqylau", name)
        parser.parse_args(words[2:])  # exits (fails the test) on an unknown or malformed option


def test_the_environment_example_names_only_what_the_product_reads():
    example = (DEPLOY / "baqylau.env.example").read_text()
    names = re.findall(r"^([A-Z_]+)=", example, re.M)
    sources = "".join(p.read_text() for p in (ROOT / "src/baqylau").rglob("*.py"))
    unread = [n for n in names if n not in ("DJANGO_SETTINGS_MODULE",) and f'"{n}"' not in sources]
    assert not unread, f"deploy/baqylau.env.example names variables nothing reads: {unread}"


def test_the_proxy_sets_what_production_trusts():
    conf = (DEPLOY / "nginx/baqylau.conf").read_text()
    example = (DEPLOY / "baqylau.env.example").read_text()
    port = re.search(r"^BAQYLAU_PORT=(\d+)", example, re.M).group(1)
    assert f"server 127.0.0.1:{port};" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf  # SECURE_PROXY_SSL_HEADER
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf  # BAQYLAU_CLIENT_ADDRESS_HEADER
    body_limit_mb = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert body_limit_mb * 1_048_576 >= settings.BAQYLAU_IMPORT_MAX_BYTES
